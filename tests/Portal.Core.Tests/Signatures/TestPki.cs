using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CrlReason = Org.BouncyCastle.Asn1.X509.CrlReason;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Store;
using Portal.Core.Signatures;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Portal.Core.Tests.Signatures;

/// <summary>
/// A test PKI made in memory (SIGNATURES.md §10.3): a root, an intermediate (pathlen 0), a TSA whose certificate
/// carries the critical extended key usage timeStamping, an OCSP responder delegated by the intermediate, and
/// factories for leaves, CRLs, OCSP responses and RFC 3161 tokens. <see cref="Shared"/> is built once per test run
/// because RSA key generation is the slow part; tests make their own leaves.
/// </summary>
public sealed partial class TestPki
{
    public static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    static readonly Lazy<TestPki> shared = new(() => new TestPki());
    public static TestPki Shared => shared.Value;

    public X509Certificate2 Root { get; }
    public X509Certificate2 Intermediate { get; }
    /// <summary>Issued by the root and valid for twenty years around <see cref="Now"/>, so it can stamp old signatures.</summary>
    public X509Certificate2 Tsa { get; }
    /// <summary>Delegated OCSP responder of the intermediate (id-kp-OCSPSigning, id-pkix-ocsp-nocheck).</summary>
    public X509Certificate2 OcspResponder { get; }
    /// <summary>A valid RSA-2048 signer with a Vietnamese subject, issued by the intermediate.</summary>
    public X509Certificate2 Signer { get; }

    int serial = 1;

    public TestPki()
    {
        Root = Ca("CN=Portal Test Root, O=Portal Tests, C=VN", null, Now.AddYears(-10), Now.AddYears(20), pathLength: null);
        Intermediate = Ca("CN=Portal Test CA, O=Portal Tests, C=VN", Root, Now.AddYears(-5), Now.AddYears(10), pathLength: 0);
        Tsa = EndEntity("CN=Portal Test TSA, O=Portal Tests, C=VN", Root, Now.AddYears(-10).AddDays(1), Now.AddYears(10),
                        X509KeyUsageFlags.DigitalSignature, ["1.3.6.1.5.5.7.3.8"], ocspNoCheck: false);
        OcspResponder = EndEntity("CN=Portal Test OCSP, O=Portal Tests, C=VN", Intermediate, Now.AddYears(-1), Now.AddYears(1),
                                  X509KeyUsageFlags.DigitalSignature, ["1.3.6.1.5.5.7.3.9"], ocspNoCheck: true);
        Signer = Leaf("CN=Nguyễn Văn An, O=Công ty TNHH ABC, OID.0.9.2342.19200300.100.1.1=MST:0101234567, C=VN");
    }

    /// <summary>Only the root is trusted; the intermediate must come with the CMS.</summary>
    public TrustStore Trust() => new([Root], []);

    /// <summary>The root as anchor and the intermediate in the shipped pool (§8.1), for leaf-only CMS.</summary>
    public TrustStore TrustWithIntermediate() => new([Root], [Intermediate]);

    /// <summary>What a CMS normally embeds besides the signer.</summary>
    public IReadOnlyList<X509Certificate2> Chain => [Intermediate];

    /// <summary>Fresh revocation data for the intermediate and its leaves: a CRL of each CA, nothing revoked.</summary>
    public IReadOnlyList<byte[]> Crls() => [Crl(), RootCrl()];

    /// <summary>An RSA leaf; <paramref name="issuer"/> defaults to the intermediate and may be any certificate with a key.</summary>
    public X509Certificate2 Leaf(string subject, X509KeyUsageFlags usage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation,
                                 DateTimeOffset? from = null, DateTimeOffset? to = null, int rsaBits = 2048, X509Certificate2? issuer = null)
    {
        using var key = RSA.Create(rsaBits);
        var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        LeafExtensions(req, usage, issuer ?? Intermediate);
        using var cert = Issue(req, issuer ?? Intermediate, from ?? Now.AddDays(-30), to ?? Now.AddYears(1));
        return cert.CopyWithPrivateKey(key);
    }

    /// <summary>An ECDSA P-256 leaf issued by the intermediate.</summary>
    public X509Certificate2 EcLeaf(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        LeafExtensions(req, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation, Intermediate);
        using var cert = Issue(req, Intermediate, Now.AddDays(-30), Now.AddYears(1));
        return cert.CopyWithPrivateKey(key);
    }

    /// <summary>A self-signed certificate with the root's name but another key: an anchor look-alike.</summary>
    public static X509Certificate2 SelfSigned(string subject)
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return req.CreateSelfSigned(Now.AddYears(-10), Now.AddYears(20));
    }

    /// <summary>The intermediate's CRL, this update <see cref="Now"/>, next update a week later.</summary>
    public byte[] Crl(params (X509Certificate2 Cert, DateTimeOffset At)[] revoked) => CrlBy(Intermediate, Now, revoked);

    /// <summary>The root's CRL (covers the intermediate, the TSA and root-issued leaves).</summary>
    public byte[] RootCrl(params (X509Certificate2 Cert, DateTimeOffset At)[] revoked) => CrlBy(Root, Now, revoked);

    public static byte[] CrlBy(X509Certificate2 issuer, DateTimeOffset thisUpdate, params (X509Certificate2 Cert, DateTimeOffset At)[] revoked)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var (cert, at) in revoked) builder.AddEntry(cert, at, X509RevocationReason.KeyCompromise);
        return builder.Build(issuer, crlNumber: 1, nextUpdate: thisUpdate.AddDays(7), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, thisUpdate: thisUpdate);
    }

    /// <summary>An OCSPResponse from the delegated responder for a certificate the intermediate issued.</summary>
    public byte[] Ocsp(X509Certificate2 cert, DateTimeOffset? revokedAt = null, DateTimeOffset? thisUpdate = null)
    {
        var at = thisUpdate ?? Now;
        var generator = new BasicOcspRespGenerator(new RespID(Bc(OcspResponder).SubjectDN));
        var id = new CertificateID(CertificateID.HashSha1, Bc(Intermediate), Bc(cert).SerialNumber);
        CertificateStatus status = revokedAt is { } r ? new RevokedStatus(r.UtcDateTime, CrlReason.KeyCompromise) : CertificateStatus.Good;
        generator.AddResponse(id, status, at.UtcDateTime, at.AddDays(7).UtcDateTime, null);
        var basic = generator.Generate(new Asn1SignatureFactory("SHA256WITHRSA", PrivateKey(OcspResponder)), [Bc(OcspResponder)], at.UtcDateTime);
        return new OCSPRespGenerator().Generate(OCSPRespGenerator.Successful, basic).GetEncoded();
    }

    /// <summary>An RFC 3161 token from the test TSA over SHA-256 of <paramref name="data"/>, at <paramref name="genTime"/>.</summary>
    public byte[] Timestamp(byte[] data, DateTimeOffset genTime)
    {
        var request = new TimeStampRequestGenerator();
        request.SetCertReq(true);
        var generator = new TimeStampTokenGenerator(PrivateKey(Tsa), Bc(Tsa), TspAlgorithms.Sha256, "1.3.6.1.4.1.99999.1");
        generator.SetCertificates(X509StoreFactory.Create("Certificate/Collection", new X509CollectionStoreParameters(new[] { Bc(Tsa) })));
        var number = Interlocked.Increment(ref serial);
        var token = generator.Generate(request.Generate(TspAlgorithms.Sha256, SHA256.HashData(data)), BigInteger.ValueOf(number), genTime.UtcDateTime);
        return token.GetEncoded();
    }

    /// <summary>An RFC 3161 TimeStampResp to a DER TimeStampReq (nonce honoured), as a TSA answers over HTTP.</summary>
    public byte[] TimestampResponse(byte[] requestDer, DateTimeOffset genTime)
    {
        var request = new TimeStampRequest(requestDer);
        var generator = new TimeStampTokenGenerator(PrivateKey(Tsa), Bc(Tsa), TspAlgorithms.Sha256, "1.3.6.1.4.1.99999.1");
        generator.SetCertificates(X509StoreFactory.Create("Certificate/Collection", new X509CollectionStoreParameters(new[] { Bc(Tsa) })));
        var response = new TimeStampResponseGenerator(generator, TspAlgorithms.Allowed);
        return response.Generate(request, BigInteger.ValueOf(Interlocked.Increment(ref serial)), genTime.UtcDateTime).GetEncoded();
    }

    static BcCertificate Bc(X509Certificate2 cert) => new X509CertificateParser().ReadCertificate(cert.RawData);

    static AsymmetricKeyParameter PrivateKey(X509Certificate2 cert)
    {
        using var rsa = cert.GetRSAPrivateKey() ?? throw new InvalidOperationException("RSA key expected");
        return PrivateKeyFactory.CreateKey(rsa.ExportPkcs8PrivateKey());
    }

    static void LeafExtensions(CertificateRequest req, X509KeyUsageFlags usage, X509Certificate2 issuer)
    {
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        req.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension(["http://127.0.0.1:9/ca.crl"]));
    }

    X509Certificate2 EndEntity(string subject, X509Certificate2 issuer, DateTimeOffset from, DateTimeOffset to, X509KeyUsageFlags usage,
                               string[] extendedUsages, bool ocspNoCheck)
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        LeafExtensions(req, usage, issuer);
        var ekus = new OidCollection();
        foreach (var oid in extendedUsages) ekus.Add(new Oid(oid));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(ekus, critical: true));   // RFC 3161 §2.3: critical for a TSA
        if (ocspNoCheck) req.CertificateExtensions.Add(new X509Extension("1.3.6.1.5.5.7.48.1.5", [0x05, 0x00], false));
        using var cert = Issue(req, issuer, from, to);
        return cert.CopyWithPrivateKey(key);
    }

    static X509Certificate2 Ca(string subject, X509Certificate2? issuer, DateTimeOffset from, DateTimeOffset to, int? pathLength)
    {
        using var key = RSA.Create(3072);
        var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, pathLength is not null, pathLength ?? 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        if (issuer is null) return req.CreateSelfSigned(from, to);
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var cert = Issue(req, issuer, from, to);
        return cert.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// Signs with the issuer's key through a signature generator, which (unlike Create(X509Certificate2, …)) does
    /// not refuse an issuer that is not a CA: the non-CA-issuer case needs exactly that.
    /// </summary>
    static X509Certificate2 Issue(CertificateRequest req, X509Certificate2 issuer, DateTimeOffset from, DateTimeOffset to)
    {
        var serialNumber = RandomNumberGenerator.GetBytes(16);
        serialNumber[0] = (byte)((serialNumber[0] & 0x3F) | 0x10);       // positive, minimal DER INTEGER
        using var rsa = issuer.GetRSAPrivateKey();
        using var ec = rsa is null ? issuer.GetECDsaPrivateKey() : null;
        var generator = rsa is not null ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1)
            : X509SignatureGenerator.CreateForECDsa(ec ?? throw new InvalidOperationException("issuer has no private key"));
        return req.Create(issuer.SubjectName, generator, from, to, serialNumber);
    }
}
