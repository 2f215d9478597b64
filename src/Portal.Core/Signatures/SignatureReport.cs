using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Portal.Core.Signatures;

/// <summary>
/// The validation report of one file (SIGNATURES.md §7): a document-level verdict and one ETSI indication per
/// signature, with the building blocks kept apart from the final indication. Serialised as camelCase JSON for the
/// API and the database; the Vietnamese texts are part of it so the stored report reads the same years later.
/// </summary>
public sealed record SignatureReport
{
    public const string NoSignatureFound = "NO_SIGNATURE_FOUND";

    /// <summary>pdf | cms-detached | cms-enveloping</summary>
    public required string Format { get; init; }
    /// <summary>TOTAL_PASSED | TOTAL_FAILED | INDETERMINATE, or NO_SIGNATURE_FOUND for a file without signatures.</summary>
    public required string Indication { get; init; }
    public string? SubIndication { get; init; }
    /// <summary>The headline of SIGNATURES.md §6.1, e.g. "Chữ ký số hợp lệ".</summary>
    public required string Title { get; init; }
    /// <summary>Headline and reason in one sentence a citizen understands.</summary>
    public required string Message { get; init; }
    public required IReadOnlyList<SignatureResult> Signatures { get; init; }
    public IReadOnlyList<string> Problems { get; init; } = [];

    public required string FileSha256 { get; init; }
    public long FileSize { get; init; }
    public required string MediaType { get; init; }
    public int? Revisions { get; init; }
    /// <summary>Whether the last signature covers the whole file (PDF only).</summary>
    public bool? WholeFileSigned { get; init; }
    /// <summary>For .p7m: the SHA-256 of the extracted content.</summary>
    public string? ContentSha256 { get; init; }

    public DateTimeOffset ValidatedAt { get; init; }
    public DateTimeOffset ValidationTime { get; init; }
    public required string ValidatorVersion { get; init; }
    public required string PolicyVersion { get; init; }
    public required string TrustStoreVersion { get; init; }
    public bool Online { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);
    public static SignatureReport FromJson(string json) => JsonSerializer.Deserialize<SignatureReport>(json, Json)!;
}

/// <summary>One signature or document timestamp in a report.</summary>
public sealed record SignatureResult
{
    public int Index { get; init; }
    /// <summary>signature | document-timestamp | countersignature</summary>
    public string Kind { get; init; } = "signature";
    public required string Indication { get; init; }
    public string? SubIndication { get; init; }
    public required string Message { get; init; }

    // Building blocks, reported whatever the final indication (§0 principle 8).
    public bool? Intact { get; init; }
    public bool? CryptoValid { get; init; }
    public bool Trusted { get; init; }
    public bool? CoversWholeRevision { get; init; }
    public bool? CoversWholeFile { get; init; }
    public int? Revision { get; init; }
    /// <summary>none | form-filling | annotations | other; null outside PDF.</summary>
    public string? ModificationsAfter { get; init; }
    public IReadOnlyList<string> ModificationDetails { get; init; } = [];

    public SignerSummary? Signer { get; init; }
    public IReadOnlyList<ChainEntry> Chain { get; init; } = [];
    public DateTimeOffset? SigningTime { get; init; }
    /// <summary>timestamp | claimed | null when nothing was claimed or proven.</summary>
    public string? SigningTimeSource { get; init; }
    public DateTimeOffset? ClaimedTime { get; init; }
    public DateTimeOffset BestSignatureTime { get; init; }
    public DateTimeOffset? TimestampTime { get; init; }
    public string? TimestampAuthority { get; init; }

    public string? FieldName { get; init; }
    public string? SubFilter { get; init; }
    public IReadOnlyList<long>? ByteRange { get; init; }
    public string? DigestAlgorithm { get; init; }
    public string? SignatureAlgorithm { get; init; }
    public string? Key { get; init; }
    public string? Revocation { get; init; }
    public string? SignerCertificateSha256 { get; init; }
    public string? Reason { get; init; }
    public string? Location { get; init; }

    public IReadOnlyList<string> Problems { get; init; } = [];
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>The building-block log, for staff and for audits.</summary>
    public IReadOnlyList<string> Checks { get; init; } = [];
}

public sealed record SignerSummary(string? CommonName, string? Organization, string? SerialNumber, IReadOnlyList<string> Identifiers);

public sealed record ChainEntry(string Subject, string Issuer, string SerialNumber, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Sha256, bool Anchor);
