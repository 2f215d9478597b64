using System.Text.Json;
using Portal.Core.Signatures;

namespace Portal.Core.Tests.Signatures;

/// <summary>
/// The pyHanko corpus through the whole verifier (structure, CMS, chain, changes after signing), at each manifest
/// entry's validation time, trusting the corpus root and not requiring revocation data ("soft-fail, no fetching" in
/// the pyHanko tests). The building blocks are asserted by the CMS and scan tests; this checks the final verdicts.
/// </summary>
public sealed class VerifierCorpusTests
{
    sealed class Frozen(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    public static IEnumerable<object[]> Files() => Corpus.SignedFiles();

    [Theory]
    [MemberData(nameof(Files))]
    public void Final_verdicts_agree_with_pyHanko(string file)
    {
        using var manifest = Corpus.Manifest();
        var expected = Corpus.Entry(manifest, file).GetProperty("signatures").EnumerateArray().ToList();
        var verifier = new SignatureVerifier(Corpus.Trust(), SignaturePolicy.Version1 with { RequireRevocation = false },
            new Frozen(Corpus.ValidationTime(expected[0])));
        var report = verifier.Verify(Corpus.Read(file));

        Assert.Equal(expected.Count, report.Signatures.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (e, s) = (expected[i], report.Signatures[i]);
            var what = $"{file} #{i}: {s.Indication}/{s.SubIndication} {string.Join(" ", s.Problems)}";
            if (Corpus.Bool(e, "intact") is { } intact) Assert.True(s.Intact == intact, "intact " + what);
            if (Corpus.Bool(e, "valid") is { } valid) Assert.True(s.CryptoValid == valid, "valid " + what);
            if (e.GetProperty("coverage").GetString() is "contiguous_block_from_start" or "unclear"
                || e.GetProperty("modification_level").GetString() == "other")
                Assert.True(s is { Indication: "TOTAL_FAILED", SubIndication: "FORMAT_FAILURE" }, what);
            if (Corpus.Bool(e, "bottom_line") == false) Assert.True(s.Indication != "TOTAL_PASSED", what);
            if (Corpus.Bool(e, "bottom_line") == true && Corpus.Bool(e, "trusted_with_corpus_root") == true)
                Assert.True(s.Indication == "TOTAL_PASSED", what);
            if (e.GetProperty("sub_indication").GetString() is { } sub && !EmptyEContent(s))
                Assert.True(s.SubIndication == sub && s.Indication == e.GetProperty("indication").GetString(), what);
        }
    }

    // SIGNATURES.md §3.4 rule 10: an eContent that is present but empty is treated as absent with a warning, where
    // pyHanko rejects any eContent in a detached signature (the corpus's pdf-sig-with-econtent.pdf is such a file).
    static bool EmptyEContent(SignatureResult s) => s.Checks.Contains("format: empty eContent treated as absent");
}
