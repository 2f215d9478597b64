using System.Security.Cryptography;

namespace Portal.Core.Signatures;

/// <summary>
/// The cryptographic and structural policy a verification runs under (SIGNATURES.md §2). Versioned like every
/// other rule: a report names the version it was made with, and a new version means re-validation.
/// </summary>
public sealed record SignaturePolicy
{
    public static readonly SignaturePolicy Version1 = new();

    public string Version { get; init; } = "1";
    public int MinRsaBits { get; init; } = 2048;
    public int MinEcBits { get; init; } = 256;

    /// <summary>Digests accepted for message digests, signatures and certificate references.</summary>
    public IReadOnlySet<string> AcceptedDigests { get; init; } = new HashSet<string>
    {
        HashAlgorithmName.SHA256.Name!, HashAlgorithmName.SHA384.Name!, HashAlgorithmName.SHA512.Name!, "SHA224",
    };

    /// <summary>SHA-1 is acceptable only with a trusted timestamp proving the signature existed before this.</summary>
    public DateTimeOffset Sha1Sunset { get; init; } = new(2019, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Fail (instead of warn) when signed attributes are not in DER order (§3.4 rule 12, §9.3).</summary>
    public bool StrictDerSignedAttributes { get; init; }

    /// <summary>Revocation data is required; without it a signature is at best INDETERMINATE (§0 principle 4).</summary>
    public bool RequireRevocation { get; init; } = true;

    /// <summary>Fetch CRLs and OCSP responses named in certificates. Off by default: deployments are offline.</summary>
    public bool FetchRevocationOnline { get; init; }

    /// <summary>Maximum PDF or CMS size the verifier accepts (the public check and API).</summary>
    public long MaxFileBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>Wall-clock budget for one verification; exceeding it gives INDETERMINATE, never a hang.</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(10);
}
