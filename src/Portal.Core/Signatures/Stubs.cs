// TEMPORARY: contracts of the CMS and PDF parts being built on branches sig-cms and sig-pdf. Deleted at merge.
using System.Security.Cryptography;
namespace Portal.Core.Signatures
{
    public abstract class SignedContent
    {
        public abstract byte[] Digest(HashAlgorithmName algorithm);
        public static SignedContent FromBytes(ReadOnlyMemory<byte> bytes) => throw new NotImplementedException();
        public static SignedContent FromRanges(ReadOnlyMemory<byte> file, long a, long b, long c, long d) => throw new NotImplementedException();
    }
    public enum CmsKind { PdfCadesDetached, PdfPkcs7Detached, PdfPkcs7Sha1, PdfDocTimestamp, Detached, Enveloping }
    public sealed class CmsEvidence { public List<byte[]> Certificates { get; } = []; public List<byte[]> Crls { get; } = []; public List<byte[]> OcspResponses { get; } = []; }
    public enum SigningTimeSource { Timestamp, Claimed, None }
    public sealed record SignerIdentity(string? CommonName, string? Organization, string? SerialNumber, IReadOnlyList<string> Identifiers);
    public sealed record ChainElement(string Subject, string Issuer, string SerialNumber, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Sha256, bool IsAnchor);
    public sealed record SignerVerdict
    {
        public Indication Indication { get; init; } public SubIndication SubIndication { get; init; } public bool FormatValid { get; init; }
        public bool? Intact { get; init; } public bool? CryptoValid { get; init; } public bool Trusted { get; init; } public SignerIdentity? Signer { get; init; }
        public IReadOnlyList<ChainElement> Chain { get; init; } = []; public DateTimeOffset? SigningTime { get; init; } public SigningTimeSource SigningTimeSource { get; init; }
        public DateTimeOffset BestSignatureTime { get; init; } public DateTimeOffset? ClaimedTime { get; init; } public string? DigestAlgorithm { get; init; }
        public string? SignatureAlgorithm { get; init; } public string? KeyDescription { get; init; } public string RevocationStatus { get; init; } = "";
        public DateTimeOffset? TimestampTime { get; init; } public string? TimestampAuthority { get; init; } public bool IsCounterSignature { get; init; }
        public byte[]? SignerCertificate { get; init; } public IReadOnlyList<string> Warnings { get; init; } = []; public IReadOnlyList<string> Checks { get; init; } = [];
    }
    public sealed class CmsVerifier(TrustStore trust, SignaturePolicy policy)
    {
        public TrustStore Trust => trust; public SignaturePolicy Policy => policy;
        public IReadOnlyList<SignerVerdict> Verify(ReadOnlyMemory<byte> cms, SignedContent? content, CmsKind kind, DateTimeOffset validationTime, DateTimeOffset? claimedTime = null, CmsEvidence? evidence = null, CancellationToken ct = default) => throw new NotImplementedException();
        public static bool TryExtractContent(ReadOnlyMemory<byte> cms, out byte[] content) => throw new NotImplementedException();
        public static bool LooksLikeCms(ReadOnlySpan<byte> bytes) => throw new NotImplementedException();
    }
}
namespace Portal.Core.Signatures.Pdf
{
    public sealed class PdfSignatureScan
    {
        public static PdfSignatureScan Read(ReadOnlyMemory<byte> pdf, CancellationToken ct = default) => throw new NotImplementedException();
        public bool IsPdf { get; } public string? FormatProblem { get; } public bool Encrypted { get; } public int RevisionCount { get; }
        public IReadOnlyList<long> RevisionEnds { get; } = []; public IReadOnlyList<PdfSignatureEntry> Signatures { get; } = []; public int? DocMdpPermission { get; }
        public IReadOnlyList<byte[]> DssCertificates { get; } = []; public IReadOnlyList<byte[]> DssCrls { get; } = []; public IReadOnlyList<byte[]> DssOcsps { get; } = [];
        public IReadOnlyList<string> Problems { get; } = [];
    }
    public sealed class PdfSignatureEntry
    {
        public string? FieldName { get; } public bool IsDocumentTimestamp { get; } public string? Filter { get; } public string? SubFilter { get; }
        public long[]? ByteRange { get; } public byte[]? Contents { get; } public DateTimeOffset? ClaimedTime { get; } public string? Reason { get; } public string? Name { get; } public string? Location { get; }
        public int? Revision { get; } public bool CoversWholeFile { get; } public bool CoversWholeRevision { get; }
        public IReadOnlyList<string> StructureProblems { get; } = []; public ModificationLevel ModificationsAfter { get; } public IReadOnlyList<string> ModificationDetails { get; } = [];
        public bool IsCertification { get; }
    }
}
