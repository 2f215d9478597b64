using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Portal.Core.Signatures;

namespace Portal.Core.Tests.Signatures;

/// <summary>
/// The pyHanko corpus (SIGNATURES.md §10.1): ../shared/corpus/pyhanko beside the repository when present (it may have
/// grown since it was copied), else the copy in tests/corpus/pyhanko (MIT, see its LICENSE) so a bare clone can test.
/// </summary>
public static class Corpus
{
    public static string Directory { get; } =
        System.IO.File.Exists(Path.Combine(Repo.Root, "..", "shared", "corpus", "pyhanko", "manifest.json"))
            ? Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "corpus", "pyhanko"))
            : Path.Combine(Repo.Root, "tests", "corpus", "pyhanko");

    public static JsonDocument Manifest() => JsonDocument.Parse(System.IO.File.ReadAllBytes(Path.Combine(Directory, "manifest.json")));

    public static byte[] Read(string relative) => System.IO.File.ReadAllBytes(Path.Combine(Directory, relative));

    /// <summary>The "file" of every entry of files[] (signed PDFs with expectations).</summary>
    public static IEnumerable<object[]> SignedFiles()
    {
        using var manifest = Manifest();
        return manifest.RootElement.GetProperty("files").EnumerateArray()
            .Select(f => new object[] { f.GetProperty("file").GetString()! }).ToList();
    }

    public static JsonElement Entry(JsonDocument manifest, string file) =>
        manifest.RootElement.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("file").GetString() == file);

    /// <summary>
    /// The corpus root and, as the corpus README allows in tests, the CAs copied out of the PDFs: roots are anchors,
    /// intermediates go to the pool. The self-signed "Lord Testerino" certificate is not trusted.
    /// </summary>
    public static TrustStore Trust() => trust.Value;

    static readonly Lazy<TrustStore> trust = new(() =>
    {
        var anchors = new List<X509Certificate2>(Pem("crypto/testing-ca/root/root.cert.pem"));
        var pool = new List<X509Certificate2>(Pem("crypto/testing-ca/root/interm.cert.pem"));
        foreach (var file in System.IO.Directory.GetFiles(Path.Combine(Directory, "crypto/extracted-from-pdfs"), "*.pem"))
            (Path.GetFileName(file).Contains("root", StringComparison.Ordinal) ? anchors : pool).AddRange(TrustStore.ReadPem(System.IO.File.ReadAllText(file)));
        pool.AddRange(Pem("crypto/some-chain.cert.pem").Where(c => !c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData)));
        return new TrustStore(anchors, pool);
    });

    static IReadOnlyList<X509Certificate2> Pem(string relative) => TrustStore.ReadPem(System.IO.File.ReadAllText(Path.Combine(Directory, relative)));

    /// <summary>The manifest's frozen clock for a signature, or now for "not frozen" (the test does not depend on it).</summary>
    public static DateTimeOffset ValidationTime(JsonElement signature) =>
        signature.GetProperty("validation_time").GetString() is { } s
        && DateTimeOffset.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : DateTimeOffset.UtcNow;

    /// <summary>A manifest boolean; null means "not asserted".</summary>
    public static bool? Bool(JsonElement e, string name) =>
        e.GetProperty(name).ValueKind switch { JsonValueKind.True => true, JsonValueKind.False => false, _ => null };
}
