using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Core.Signatures;

/// <summary>
/// An agency unit's signing certificate, its private key and the intermediates to embed (SIGNATURES.md §11).
/// The key signs a hash and never leaves this object; an HSM or a remote signing service would stand in here by
/// signing the same hash.
/// </summary>
public sealed class SigningKey : IDisposable
{
    public X509Certificate2 Certificate { get; }
    public IReadOnlyList<X509Certificate2> Chain { get; }
    readonly RSA? rsa;
    readonly ECDsa? ecdsa;

    public SigningKey(X509Certificate2 certificateWithKey, IEnumerable<X509Certificate2> chain)
    {
        Certificate = certificateWithKey;
        Chain = [.. chain.Where(c => !c.RawData.AsSpan().SequenceEqual(certificateWithKey.RawData))];
        rsa = certificateWithKey.GetRSAPrivateKey();
        ecdsa = rsa is null ? certificateWithKey.GetECDsaPrivateKey() : null;
        if (rsa is null && ecdsa is null)
            throw new InvalidOperationException($"Chứng thư {certificateWithKey.Subject} không kèm khóa bí mật RSA hoặc ECDSA dùng để ký.");
        // Portal's own signatures: RSA ≥ 3072 or ECDSA P-256+ (SIGNATURES.md §2, last row).
        if (rsa is { KeySize: < 3072 } || ecdsa is { KeySize: < 256 })
            throw new InvalidOperationException($"Khóa ký của {certificateWithKey.Subject} quá ngắn: cần RSA từ 3072 bit hoặc ECDSA P-256 trở lên.");
    }

    /// <summary>Loads a PKCS#12 (.p12/.pfx) file: the certificate with a private key, plus every other certificate as chain.</summary>
    public static SigningKey FromPkcs12(string path, string? password)
    {
        var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        var leaf = all.FirstOrDefault(c => c.HasPrivateKey)
            ?? throw new InvalidOperationException($"Tệp {path} không chứa khóa bí mật.");
        return new SigningKey(leaf, all.Where(c => c != leaf));
    }

    public bool IsRsa => rsa is not null;

    /// <summary>The signature algorithm identifier's OID for a SHA-256 signature with this key.</summary>
    public string SignatureAlgorithmOid => rsa is not null ? "1.2.840.113549.1.1.1" : "1.2.840.10045.4.3.2";

    /// <summary>Signs data with SHA-256: RSA PKCS#1 v1.5, or ECDSA with the DER (X9.62) signature CMS expects.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) => rsa is not null
        ? rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
        : ecdsa!.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    public void Dispose()
    {
        rsa?.Dispose();
        ecdsa?.Dispose();
    }
}
