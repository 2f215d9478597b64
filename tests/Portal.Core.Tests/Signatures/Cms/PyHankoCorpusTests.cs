using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Portal.Core.Signatures;

namespace Portal.Core.Tests.Signatures.Cms;

/// <summary>
/// Cross-check with the pyHanko corpus (SIGNATURES.md §10.1): for every signature of manifest.json with a
/// four-number ByteRange, the CMS in the gap is verified over the ranges and the building blocks are compared with
/// what pyHanko's own tests assert. Null in the manifest means "not asserted" and is not compared.
/// </summary>
public sealed class PyHankoCorpusTests
{
    static readonly string CorpusDir = Corpus.Directory;

    static readonly Lazy<JsonDocument> Manifest = new(() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(CorpusDir, "manifest.json"))));

    static readonly Lazy<CmsVerifier> Verifier =
        new(() => new CmsVerifier(Corpus.Trust(), SignaturePolicy.Version1 with { RequireRevocation = false }));

    public static TheoryData<string, int> Signatures()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in Manifest.Value.RootElement.GetProperty("files").EnumerateArray())
            foreach (var signature in file.GetProperty("signatures").EnumerateArray())
                if (signature.GetProperty("observed").TryGetProperty("byte_range", out var range) && range.GetArrayLength() == 4)
                    data.Add(file.GetProperty("file").GetString()!, signature.GetProperty("index").GetInt32());
        return data;
    }

    [Fact]
    public void The_corpus_has_signatures_to_check()
    {
        Assert.True(Signatures().Count() >= 40, $"only {Signatures().Count()} signatures in {CorpusDir}");
    }

    [Theory]
    [MemberData(nameof(Signatures))]
    public void Building_blocks_agree_with_pyHanko(string file, int index)
    {
        var (expected, verdict) = Run(file, index);

        var detail = Detail(file, index, verdict);
        if (Corpus.Bool(expected, "intact") is { } intact) Assert.True(verdict.Intact == intact, "intact " + detail);
        if (Corpus.Bool(expected, "valid") is { } valid) Assert.True(verdict.CryptoValid == valid, "valid " + detail);
        if (Corpus.Bool(expected, "trusted_with_corpus_root") is { } trusted) Assert.True(verdict.Trusted == trusted, "trusted " + detail);
    }

    /// <summary>
    /// Where pyHanko's tests assert an indication, Portal gives the same one, except where SIGNATURES.md sets a
    /// different policy: an eContent that is present but empty is treated as absent with a warning (§3.4 rule 10),
    /// where pyHanko rejects any eContent in a detached signature.
    /// </summary>
    [Fact]
    public void Indications_asserted_by_pyHanko_agree_or_follow_a_documented_Portal_policy()
    {
        var compared = 0;
        foreach (var (file, index) in Signatures().Select(row => ((string)row[0], (int)row[1])))
        {
            var (expected, verdict) = Run(file, index);
            if (expected.GetProperty("sub_indication").GetString() is not { } sub) continue;
            compared++;
            var detail = Detail(file, index, verdict);
            if (sub == "FORMAT_FAILURE" && verdict.Checks.Contains("format: empty eContent treated as absent"))
            {
                Assert.True(verdict.SubIndication != SubIndication.FormatFailure, "empty eContent " + detail);
                Assert.Contains(verdict.Warnings, w => w.Contains("eContent"));
                continue;
            }
            Assert.True(Indications.Code(verdict.SubIndication) == sub, "sub-indication " + detail);
            Assert.True(Indications.Code(verdict.Indication) == expected.GetProperty("indication").GetString(), "indication " + detail);
        }
        Assert.True(compared >= 2, $"only {compared} asserted indications found");
    }

    static (JsonElement Expected, SignerVerdict Verdict) Run(string file, int index)
    {
        var entry = Manifest.Value.RootElement.GetProperty("files").EnumerateArray().Single(f => f.GetProperty("file").GetString() == file);
        var expected = entry.GetProperty("signatures").EnumerateArray().Single(s => s.GetProperty("index").GetInt32() == index);
        var observed = expected.GetProperty("observed");
        var range = observed.GetProperty("byte_range").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var pdf = File.ReadAllBytes(Path.Combine(CorpusDir, file));
        var kind = observed.GetProperty("subfilter").GetString() switch
        {
            "ETSI.CAdES.detached" => CmsKind.PdfCadesDetached,
            "adbe.pkcs7.detached" => CmsKind.PdfPkcs7Detached,
            "adbe.pkcs7.sha1" => CmsKind.PdfPkcs7Sha1,
            "ETSI.RFC3161" => CmsKind.PdfDocTimestamp,
            var other => throw new InvalidOperationException("unexpected SubFilter " + other),
        };
        var content = SignedContent.FromRanges(pdf, range[0], range[1], range[2], range[3]);
        return (expected, Assert.Single(Verifier.Value.Verify(Contents(pdf, range), content, kind, Corpus.ValidationTime(expected))));
    }

    static string Detail(string file, int index, SignerVerdict v) =>
        $"{file}#{index}: {v.Indication}/{v.SubIndication}\n{string.Join("\n", v.Checks)}";

    /// <summary>
    /// The CMS: the hex string in the ByteRange gap, read up to its closing '&gt;'. The coverage-anomaly files have
    /// ranges that miss /Contents; then the /Contents of the signature dictionary holding this /ByteRange is used.
    /// </summary>
    static byte[] Contents(byte[] pdf, long[] range)
    {
        var text = System.Text.Encoding.Latin1.GetString(pdf);
        var gapStart = (int)(range[0] + range[1]);
        var gap = text[gapStart..(int)range[2]].TrimStart();
        int open;
        if (gap.StartsWith('<')) open = text.IndexOf('<', gapStart);
        else
        {
            var byteRange = Regex.Match(text, $@"/ByteRange\s*\[\s*{range[0]}\s+{range[1]}\s+{range[2]}\s+{range[3]}\s*\]");
            Assert.True(byteRange.Success, "no /ByteRange with these numbers");
            var contents = Regex.Matches(text, @"/Contents\s*<").OrderBy(m => Math.Abs(m.Index - byteRange.Index)).First();
            open = contents.Index + contents.Length - 1;
        }
        var close = text.IndexOf('>', open);
        return Convert.FromHexString(string.Concat(text[(open + 1)..close].Where(c => !char.IsWhiteSpace(c))));
    }
}
