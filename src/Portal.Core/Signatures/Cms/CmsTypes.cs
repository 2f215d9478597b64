namespace Portal.Core.Signatures;

/// <summary>What kind of CMS is being verified: decides eContent rules, the number of signers and required attributes.</summary>
public enum CmsKind
{
    /// <summary>PDF /SubFilter ETSI.CAdES.detached: signed attributes and signing-certificate(-v2) are mandatory.</summary>
    PdfCadesDetached,
    /// <summary>PDF /SubFilter adbe.pkcs7.detached: signed attributes optional, signing-certificate a warning when absent.</summary>
    PdfPkcs7Detached,
    /// <summary>PDF /SubFilter adbe.pkcs7.sha1 (legacy): eContent is the SHA-1 of the byte ranges.</summary>
    PdfPkcs7Sha1,
    /// <summary>PDF /SubFilter ETSI.RFC3161: the CMS is a time-stamp token whose imprint covers the byte ranges.</summary>
    PdfDocTimestamp,
    /// <summary>A .p7s beside its content; several signers allowed.</summary>
    Detached,
    /// <summary>A .p7m that carries its content in eContent; several signers allowed.</summary>
    Enveloping,
}

/// <summary>Validation material found outside the CMS: a PDF's /DSS, Portal's CRL and OCSP cache.</summary>
public sealed class CmsEvidence
{
    public List<byte[]> Certificates { get; } = [];
    public List<byte[]> Crls { get; } = [];
    /// <summary>DER OCSPResponse (as in /DSS /OCSPs) or a bare BasicOCSPResponse.</summary>
    public List<byte[]> OcspResponses { get; } = [];
}

public enum SigningTimeSource { Timestamp, Claimed, None }

/// <summary>
/// Who signed, as the certificate says. <see cref="SerialNumber"/> is the certificate serial in hex;
/// <see cref="Identifiers"/> are the personal and tax identifiers written in the subject (UID values such as
/// "MST:0101234567" or "CCCD:…", and the serialNumber attribute), as written.
/// </summary>
public sealed record SignerIdentity(string? CommonName, string? Organization, string? SerialNumber, IReadOnlyList<string> Identifiers);

/// <summary>One certificate of the path, signer first. <see cref="Sha256"/> is the uppercase hex fingerprint.</summary>
public sealed record ChainElement(string Subject, string Issuer, string SerialNumber, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Sha256, bool IsAnchor);

/// <summary>
/// The result for one SignerInfo (SIGNATURES.md §1, §7): the final indication plus the building blocks, which are
/// reported even when an earlier check already decided the indication.
/// </summary>
public sealed record SignerVerdict
{
    public Indication Indication { get; init; }
    public SubIndication SubIndication { get; init; }
    /// <summary>The CMS and this SignerInfo could be processed.</summary>
    public bool FormatValid { get; init; }
    /// <summary>The signed digest matches the content; null when it could not be checked.</summary>
    public bool? Intact { get; init; }
    /// <summary>The signature value verifies with the signer's public key; null when it could not be checked.</summary>
    public bool? CryptoValid { get; init; }
    /// <summary>A path from the signer certificate to a trust anchor was found.</summary>
    public bool Trusted { get; init; }
    public SignerIdentity? Signer { get; init; }
    public IReadOnlyList<ChainElement> Chain { get; init; } = [];
    public DateTimeOffset? SigningTime { get; init; }
    public SigningTimeSource SigningTimeSource { get; init; } = SigningTimeSource.None;
    /// <summary>The earliest verified proof of existence, else the validation time (§3.6 rule 19).</summary>
    public DateTimeOffset BestSignatureTime { get; init; }
    public DateTimeOffset? ClaimedTime { get; init; }
    /// <summary>"SHA-256", "SHA-1", "SHAKE256" …</summary>
    public string? DigestAlgorithm { get; init; }
    /// <summary>"RSA PKCS#1 v1.5", "RSA-PSS", "ECDSA", "Ed25519", "Ed448".</summary>
    public string? SignatureAlgorithm { get; init; }
    /// <summary>"RSA 2048", "ECDSA P-256", "Ed25519".</summary>
    public string? KeyDescription { get; init; }
    /// <summary>Short Vietnamese text for the details page (§6.2).</summary>
    public string RevocationStatus { get; init; } = "Chưa kiểm tra được";
    public DateTimeOffset? TimestampTime { get; init; }
    public string? TimestampAuthority { get; init; }
    public bool IsCounterSignature { get; init; }
    public byte[]? SignerCertificate { get; init; }
    /// <summary>Vietnamese sentences for the citizen and staff.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>The building-block log (English), for staff and debugging.</summary>
    public IReadOnlyList<string> Checks { get; init; } = [];
}
