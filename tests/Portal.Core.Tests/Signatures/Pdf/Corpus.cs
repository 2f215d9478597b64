using System.Text.Json;

namespace Portal.Core.Tests.Signatures.Pdf;

/// <summary>The shared pyHanko corpus (SIGNATURES.md §10.1): ../shared/corpus/pyhanko beside the repository, else /work/shared.</summary>
public static class Corpus
{
    public static string Directory { get; } = Find();

    static string Find()
    {
        var beside = Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "corpus", "pyhanko"));
        if (System.IO.File.Exists(Path.Combine(beside, "manifest.json"))) return beside;
        const string fallback = "/work/shared/corpus/pyhanko";
        if (System.IO.File.Exists(Path.Combine(fallback, "manifest.json"))) return fallback;
        throw new InvalidOperationException($"The pyHanko corpus is neither at {beside} nor at {fallback}.");
    }

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
}
