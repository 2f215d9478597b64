using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Portal.Core.Deadlines;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Portal.Core.Signatures;

/// <summary>A parsed certificate with what path building and reporting ask for, computed once.</summary>
internal sealed class Cert
{
    public BcCertificate Bc { get; }
    public byte[] Der { get; }
    /// <summary>Uppercase hex, as <see cref="TrustStore.Fingerprint"/>.</summary>
    public string Sha256 { get; }
    public byte[] SubjectDer { get; }
    public byte[] IssuerDer { get; }
    /// <summary>The subjectPublicKey bits: anchors are matched by subject and this (§3.5 rule 18).</summary>
    public byte[] PublicKeyBits { get; }
    /// <summary>The DER SubjectPublicKeyInfo, which .NET imports for RSA and ECDSA verification.</summary>
    public byte[] PublicKeyInfo { get; }
    public byte[]? SubjectKeyId { get; }
    public byte[]? AuthorityKeyId { get; }
    public DateTimeOffset NotBefore { get; }
    public DateTimeOffset NotAfter { get; }
    /// <summary>True for the trust store's own anchor certificates.</summary>
    public bool IsAnchor { get; init; }

    readonly Lazy<AsymmetricKeyParameter?> key;
    readonly Lazy<AsymmetricAlgorithm?> dotNetKey;
    readonly Lazy<string> subject;
    readonly Lazy<string> issuer;
    readonly Lock dotNetKeyLock = new();

    Cert(BcCertificate bc, byte[] der)
    {
        Bc = bc;
        Der = der;
        Sha256 = Convert.ToHexString(SHA256.HashData(der));
        var s = bc.CertificateStructure;
        SubjectDer = s.Subject.GetDerEncoded();
        IssuerDer = s.Issuer.GetDerEncoded();
        PublicKeyBits = s.SubjectPublicKeyInfo.PublicKeyData.GetBytes();
        PublicKeyInfo = s.SubjectPublicKeyInfo.GetDerEncoded();
        SubjectKeyId = OctetsOf(bc.GetExtensionValue(X509Extensions.SubjectKeyIdentifier));
        var aki = bc.GetExtensionValue(X509Extensions.AuthorityKeyIdentifier);
        if (aki is not null)
            try { AuthorityKeyId = AuthorityKeyIdentifier.GetInstance(Asn1Object.FromByteArray(aki.GetOctets())).GetKeyIdentifier(); }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidCastException) { }
        NotBefore = Time.Utc(bc.NotBefore);
        NotAfter = Time.Utc(bc.NotAfter);
        // The verifier caches certificates across calls and threads, so the parts computed late are thread-safe.
        key = new(() =>
        {
            try { return Bc.GetPublicKey(); }
            catch (Exception e) when (e is not OutOfMemoryException) { return null; }
        });
        dotNetKey = new(ImportDotNetKey);
        subject = new(() => DisplayName(SubjectDer));
        issuer = new(() => DisplayName(IssuerDer));
    }

    public static Cert? TryParse(byte[] der, bool anchor = false)
    {
        try
        {
            var bc = new X509CertificateParser().ReadCertificate(der);
            return bc is null ? null : new Cert(bc, der) { IsAnchor = anchor };
        }
        catch (Exception e) when (e is not OutOfMemoryException) { return null; }
    }

    /// <summary>The public key, or null when BouncyCastle does not know the algorithm.</summary>
    public AsymmetricKeyParameter? Key => key.Value;

    /// <summary>
    /// Runs <paramref name="verify"/> with the key imported into .NET (OpenSSL), imported once because the import
    /// costs several times the verification. Null when the key is not a <typeparamref name="T"/> or cannot be imported.
    /// </summary>
    public bool? WithDotNetKey<T>(Func<T, bool> verify) where T : AsymmetricAlgorithm
    {
        if (dotNetKey.Value is not T k) return null;
        lock (dotNetKeyLock) return verify(k);      // one shared key object: no concurrent use of it
    }

    AsymmetricAlgorithm? ImportDotNetKey()
    {
        try
        {
            switch (Key)
            {
                case Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters:
                    var rsa = RSA.Create();
                    rsa.ImportSubjectPublicKeyInfo(PublicKeyInfo, out _);
                    return rsa;
                case Org.BouncyCastle.Crypto.Parameters.ECPublicKeyParameters:
                    var ec = ECDsa.Create();
                    ec.ImportSubjectPublicKeyInfo(PublicKeyInfo, out _);
                    return ec;
                default:
                    return null;
            }
        }
        catch (CryptographicException) { return null; }    // e.g. a curve OpenSSL lacks: BouncyCastle verifies instead
    }

    /// <summary>The subject is <paramref name="name"/>: the same bytes, or equal under RFC 5280 §7.1 (case and space folding).</summary>
    public bool SubjectIs(X509Name name, byte[] nameDer) =>
        SubjectDer.AsSpan().SequenceEqual(nameDer) || Bc.SubjectDN.Equivalent(name, true);

    /// <summary>This certificate's issuer is <paramref name="issuer"/>'s subject.</summary>
    public bool IssuedUnderNameOf(Cert issuer) => issuer.SubjectIs(Bc.IssuerDN, IssuerDer);

    /// <summary>Whether <paramref name="issuer"/>'s key verifies this certificate's signature (over the TBS bytes as received).</summary>
    public bool IsSignedBy(Cert issuer)
    {
        // RFC 5280 §4.1.1.2: the outer signatureAlgorithm must equal the signature field inside the TBS.
        var s = Bc.CertificateStructure;
        return s.SignatureAlgorithm.Equals(s.TbsCertificate.Signature) && Algorithms.VerifySigned(Der, issuer);
    }

    public bool IsSelfIssued => SubjectDer.AsSpan().SequenceEqual(IssuerDer);

    public string SerialHex => Bc.SerialNumber.ToString(16).ToUpperInvariant();

    public string Subject => subject.Value;
    public string Issuer => issuer.Value;

    public string? CommonName => Attribute(X509Name.CN);
    public string? Organization => Attribute(X509Name.O);

    string? Attribute(DerObjectIdentifier oid)
    {
        var values = Bc.SubjectDN.GetValueList(oid);
        return values.Count > 0 ? Nfc(values[0]?.ToString()) : null;
    }

    /// <summary>UID values ("MST:…", "CCCD:…") and the serialNumber attribute, in the order they are written.</summary>
    public List<string> Identifiers()
    {
        var list = new List<string>();
        var oids = Bc.SubjectDN.GetOidList();
        var values = Bc.SubjectDN.GetValueList();
        for (var i = 0; i < oids.Count; i++)
            if (oids[i] is DerObjectIdentifier oid && (oid.Equals(X509Name.UID) || oid.Equals(X509Name.SerialNumber)) && Nfc(values[i]?.ToString()) is { Length: > 0 } v)
                list.Add(v);
        return list;
    }

    public ChainElement ToChainElement() => new(Subject, Issuer, SerialHex, NotBefore, NotAfter, Sha256, IsAnchor);

    public SignerIdentity ToIdentity() => new(CommonName, Organization, SerialHex, Identifiers());

    static string DisplayName(byte[] der)
    {
        try { return Nfc(new X500DistinguishedName(der).Name) ?? ""; }
        catch (CryptographicException) { return Convert.ToHexString(der); }
    }

    static string? Nfc(string? s) => s?.Normalize(NormalizationForm.FormC);

    static byte[]? OctetsOf(Asn1OctetString? extension)
    {
        if (extension is null) return null;
        try { return Asn1OctetString.GetInstance(Asn1Object.FromByteArray(extension.GetOctets())).GetOctets(); }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidCastException) { return null; }
    }

    public override string ToString() => Subject;
}

internal static class Time
{
    /// <summary>BouncyCastle returns UTC DateTimes (Kind Utc or Unspecified); make that explicit.</summary>
    public static DateTimeOffset Utc(DateTime d) =>
        new(d.Kind == DateTimeKind.Local ? d.ToUniversalTime() : DateTime.SpecifyKind(d, DateTimeKind.Utc));

    /// <summary>"09:12 28/02/2026", Vietnam time (SIGNATURES.md §6.2).</summary>
    public static string Vietnamese(DateTimeOffset t) =>
        LegalTime.Local(t).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture);
}
