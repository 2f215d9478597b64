using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Portal.Core.Signatures;

/// <summary>
/// Trust anchors and the intermediate pool a verification builds paths with (SIGNATURES.md §8). Anchors are
/// matched by subject and public key (§3.5 rule 18); intermediates are used for path building, never as anchors.
/// The version is a hash of both sets, so every report names exactly what it trusted.
/// </summary>
public sealed class TrustStore
{
    /// <summary>The shipped files and their SHA-256 fingerprints from the official pages (§8.2), checked at start-up.</summary>
    public static readonly IReadOnlyList<(string File, bool Anchor, string Sha256)> Shipped =
    [
        ("vietnam-national-root-ca.pem", true, "BAC8BF609AB420A8EE1780D74F4DE5C7F7184959D2A7375B0A75E4C29F0908E7"),
        ("vgca-root-g2.pem", true, "F04BA4B459A7C9A1B971AD9B1CB833E695A80C79AEA63B174B66A70EDFE2FDB8"),
        ("vnpt-ca-sha2-intermediate.pem", false, "7D6BA5245317F9ED5D8BC765A4634D26AC6340D36B9F584DF3B52D9C4A81A306"),
        ("vgca-cpca-g2-intermediate.pem", false, "D8CAB7A4AEF92E6BB2509D7C61CEE7B44F3731B2D21074963530277B366FAE4B"),
    ];

    public IReadOnlyList<X509Certificate2> Anchors { get; }
    public IReadOnlyList<X509Certificate2> Intermediates { get; }
    public string Version { get; }

    public TrustStore(IEnumerable<X509Certificate2> anchors, IEnumerable<X509Certificate2> intermediates)
    {
        Anchors = Distinct(anchors);
        Intermediates = Distinct(intermediates);
        var text = new StringBuilder();
        foreach (var c in Anchors.OrderBy(Fingerprint, StringComparer.Ordinal)) text.Append("A:").Append(Fingerprint(c)).Append('\n');
        foreach (var c in Intermediates.OrderBy(Fingerprint, StringComparer.Ordinal)) text.Append("I:").Append(Fingerprint(c)).Append('\n');
        Version = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(text.ToString())))[..16];
    }

    /// <summary>The product's default store; throws when an embedded file does not match its pinned fingerprint.</summary>
    public static TrustStore Default() => Default([], []);

    /// <summary>The default store plus extra anchors and intermediates (administrators' additions, tests, the demo).</summary>
    public static TrustStore Default(IEnumerable<X509Certificate2> extraAnchors, IEnumerable<X509Certificate2> extraIntermediates)
    {
        var anchors = new List<X509Certificate2>();
        var intermediates = new List<X509Certificate2>();
        foreach (var (file, anchor, sha256) in Shipped)
        {
            var cert = LoadShipped(file);
            if (!string.Equals(Fingerprint(cert), sha256, StringComparison.Ordinal))
                throw new InvalidOperationException(
                    $"Trust store file {file} has fingerprint {Fingerprint(cert)}, expected {sha256}; refusing to start with a tampered trust store.");
            (anchor ? anchors : intermediates).Add(cert);
        }
        anchors.AddRange(extraAnchors);
        intermediates.AddRange(extraIntermediates);
        return new TrustStore(anchors, intermediates);
    }

    public static string Fingerprint(X509Certificate2 cert) => Convert.ToHexString(SHA256.HashData(cert.RawData));

    /// <summary>True when <paramref name="cert"/> is an anchor: same subject and same public key (rule 18).</summary>
    public bool IsAnchor(X509Certificate2 cert) => FindAnchor(cert) is not null;

    public X509Certificate2? FindAnchor(X509Certificate2 cert)
    {
        foreach (var a in Anchors)
            if (a.SubjectName.RawData.AsSpan().SequenceEqual(cert.SubjectName.RawData)
                && a.PublicKey.EncodedKeyValue.RawData.AsSpan().SequenceEqual(cert.PublicKey.EncodedKeyValue.RawData))
                return a;
        return null;
    }

    /// <summary>Reads every certificate in a PEM text (files may hold a chain).</summary>
    public static IReadOnlyList<X509Certificate2> ReadPem(string pem)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        return [.. collection];
    }

    static X509Certificate2 LoadShipped(string file)
    {
        using var stream = typeof(TrustStore).Assembly.GetManifestResourceStream("trust/" + file)
            ?? throw new InvalidOperationException($"Trust store file {file} is missing from the build.");
        using var reader = new StreamReader(stream);
        return X509Certificate2.CreateFromPem(reader.ReadToEnd());
    }

    static List<X509Certificate2> Distinct(IEnumerable<X509Certificate2> certs) =>
        [.. certs.GroupBy(Fingerprint).Select(g => g.First())];
}
