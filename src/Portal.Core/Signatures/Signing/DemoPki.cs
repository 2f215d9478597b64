using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Core.Signatures;

/// <summary>
/// The demo's own PKI, generated on the first ./run.sh (SIGNATURES.md §11, issue: "the demo generates a demo PKI on
/// first run and says so on every document it signs"): a root, an issuing CA, and the signing key of the province's
/// service centre, every name marked "DEMO — KHÔNG CÓ GIÁ TRỊ PHÁP LÝ". The root is trusted only by the demo's
/// configuration; CRLs are written so that demo signatures can be checked for revocation offline.
/// </summary>
public static class DemoPki
{
    public const string Marker = "DEMO - KHÔNG CÓ GIÁ TRỊ PHÁP LÝ";
    public const string RootFile = "demo-root.pem";
    public const string IntermediateFile = "demo-ca.pem";
    public const string SignerFile = "demo-signer.p12";
    public const string PasswordFile = "demo-signer.password";
    public static readonly string[] CrlFiles = ["demo-root.crl", "demo-ca.crl"];

    /// <summary>Creates the files in <paramref name="directory"/> unless they exist; returns whether it created them.</summary>
    public static bool Ensure(string directory, TimeProvider clock)
    {
        if (File.Exists(Path.Combine(directory, SignerFile))) return false;
        Directory.CreateDirectory(directory);
        var now = clock.GetUtcNow();

        using var rootKey = RSA.Create(3072);
        var rootRequest = CaRequest($"CN=Portal Demo Root CA, O={Marker}, C=VN", rootKey, pathLength: null);
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(20));

        using var caKey = RSA.Create(3072);
        var caRequest = CaRequest($"CN=Portal Demo CA, O={Marker}, C=VN", caKey, pathLength: 0);
        caRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var caPublic = caRequest.Create(root, now.AddDays(-1), now.AddYears(15), RandomNumberGenerator.GetBytes(16));
        using var ca = caPublic.CopyWithPrivateKey(caKey);

        using var signerKey = RSA.Create(3072);
        var signerRequest = new CertificateRequest(
            $"CN=Trung tâm Phục vụ hành chính công tỉnh Bình Sơn ({Marker}), O={Marker}, C=VN",
            signerKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        signerRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        signerRequest.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, true));
        signerRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(signerRequest.PublicKey, false));
        signerRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var signerPublic = signerRequest.Create(ca, now.AddDays(-1), now.AddYears(5), RandomNumberGenerator.GetBytes(16));
        using var signer = signerPublic.CopyWithPrivateKey(signerKey);

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var bundle = new X509Certificate2Collection { signer, caPublic };
        WritePrivate(Path.Combine(directory, SignerFile), bundle.Export(X509ContentType.Pkcs12, password)!);
        WritePrivate(Path.Combine(directory, PasswordFile), System.Text.Encoding.ASCII.GetBytes(password));
        File.WriteAllText(Path.Combine(directory, RootFile), root.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(directory, IntermediateFile), caPublic.ExportCertificatePem() + "\n");

        // Empty CRLs valid for the demo's lifetime: "nothing revoked", signed by each CA.
        File.WriteAllBytes(Path.Combine(directory, CrlFiles[0]), new CertificateRevocationListBuilder()
            .Build(root, 1, now.AddYears(10), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, now.AddDays(-1)));
        File.WriteAllBytes(Path.Combine(directory, CrlFiles[1]), new CertificateRevocationListBuilder()
            .Build(ca, 1, now.AddYears(10), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, now.AddDays(-1)));
        return true;
    }

    static CertificateRequest CaRequest(string subject, RSA key, int? pathLength)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, pathLength is not null, pathLength ?? 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    static void WritePrivate(string path, byte[] bytes)
    {
        // Private keys and their password are readable by the owner only (Portal runs on Linux, ARCHITECTURE.md).
        File.WriteAllBytes(path, bytes);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
