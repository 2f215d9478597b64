using System.Text;
using Portal.Core.Signatures.Pdf;
using static Portal.Core.Tests.Signatures.Pdf.PdfBuilder;

using Portal.Core.Tests.Signatures;

namespace Portal.Core.Tests.Signatures.Pdf;

/// <summary>
/// Hostile and broken input: the scan answers (a format problem, or problems on the signatures) and throws nothing
/// but <see cref="OperationCanceledException"/>. The token is only a hang guard; a hang fails the test.
/// </summary>
public class PdfRobustnessTests
{
    static readonly Lazy<byte[]> Bomb = new(() => Deflate(new byte[80 * 1024 * 1024])); // 80 MiB of zeros, ~80 KB

    static PdfSignatureScan Read(byte[] pdf)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var scan = PdfSignatureScan.Read(pdf, guard.Token);
        Assert.DoesNotContain(PdfSignatureScan.InternalError, scan.FormatProblem ?? "");
        return scan;
    }

    static byte[] TwoSignatures()
    {
        var b = SignedOnePage()
            .Object(3, "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Annots [7 0 R 8 0 R 11 0 R] >>")
            .Object(10, "<< /Fields [7 0 R 8 0 R 11 0 R] /SigFlags 3 >>")
            .Object(11, "<< /FT /Sig /T (Signature2) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R /V 12 0 R >>")
            .SignatureDictionary(12);
        return b.ObjectStream(13, (14, "<< /Unused true >>")).XrefStream(15).ToArray();
    }

    public static TheoryData<string> Files() => new() { "built", "pdf/pades-lta-dss-indirect-arrs-test-2.pdf", "pdf/minimal-signed-twice-both-created.pdf" };

    static byte[] Load(string name) => name == "built" ? TwoSignatures() : Corpus.Read(name);

    [Theory]
    [MemberData(nameof(Files))]
    public void Truncated_files_never_throw(string name)
    {
        var whole = Load(name);
        var intact = Read(whole);
        Assert.Null(intact.FormatProblem);
        Assert.True(intact.Signatures.Count >= 2);
        var cuts = Enumerable.Range(0, 160).Select(i => (int)((long)whole.Length * i / 160))
            .Concat([1, 5, 8, 9, whole.Length - 1, whole.Length - 6, whole.Length - 7]).Distinct();
        foreach (var cut in cuts)
        {
            var scan = Read(whole[..cut]);
            // A cut file is either unreadable, or what it still holds is not a clean signature over the whole file.
            // (Cutting exactly at a revision end leaves a smaller, sound file.)
            Assert.True(scan.FormatProblem is not null || intact.RevisionEnds.Contains(cut)
                || scan.Signatures.All(s => !s.CoversWholeFile || s.StructureProblems.Count > 0), $"cut at {cut}");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Random_byte_flips_never_throw(string name)
    {
        var whole = Load(name);
        var random = new Random(20260227);
        var outcomes = new HashSet<string>();
        for (var i = 0; i < 300; i++)
        {
            var copy = (byte[])whole.Clone();
            for (var k = random.Next(1, 9); k > 0; k--) copy[random.Next(copy.Length)] = (byte)random.Next(256);
            var scan = Read(copy);
            outcomes.Add(scan.FormatProblem is not null ? "unreadable" : $"{scan.Signatures.Count} signatures");
        }
        Assert.NotEmpty(outcomes);
    }

    [Fact]
    public void Huge_contents_is_read_whole()
    {
        var bytes = OnePage("/AcroForm << /Fields [8 0 R] >> ", "/Annots [8 0 R] ").XrefTable()
            .Object(8, "<< /FT /Sig /T (S) /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 9 0 R >>")
            .SignatureDictionary(9, contents: $"<{DummyContents(10 * 1024 * 1024)}>") // 20 MB of hex
            .XrefTable().ToArray();
        var s = Assert.Single(Read(bytes).Signatures);
        Assert.Empty(s.StructureProblems);
        Assert.Equal(10 * 1024 * 1024, s.Contents!.Length);
        Assert.True(s.CoversWholeFile);
    }

    [Fact]
    public void A_prev_loop_is_rebuilt_and_the_signature_still_found()
    {
        var bytes = SignedOnePage().ToArray();
        var text = Encoding.Latin1.GetString(bytes);
        var prev = text.LastIndexOf("/Prev ", StringComparison.Ordinal) + 6;
        var digits = text[prev..].TakeWhile(char.IsDigit).Count();
        var lastXref = text.LastIndexOf("\nxref\n", StringComparison.Ordinal) + 1;
        Patch(bytes, prev, lastXref.ToString().PadLeft(digits, '0'));

        var scan = Read(bytes);

        Assert.Null(scan.FormatProblem);
        Assert.Contains(scan.Problems, p => p.Contains("xref"));
        Assert.Single(scan.Signatures);
    }

    [Fact]
    public void A_reference_cycle_in_the_form_is_a_format_problem()
    {
        var bytes = OnePage("/AcroForm 11 0 R ").Object(11, "12 0 R").Object(12, "11 0 R").Object(13, "[13 0 R]").XrefTable().ToArray();
        var scan = Read(bytes);
        Assert.NotNull(scan.FormatProblem);
        Assert.Empty(scan.Signatures);
    }

    [Fact]
    public void A_self_referencing_array_as_annotations_does_not_hang()
    {
        var bytes = SignedOnePage().Object(3, "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Annots 13 0 R >>").Object(13, "[13 0 R 7 0 R 8 0 R]")
            .XrefTable().ToArray();
        var scan = Read(bytes);
        Assert.Equal(Portal.Core.Signatures.ModificationLevel.Other, Assert.Single(scan.Signatures).ModificationsAfter);
    }

    [Theory]
    [InlineData("[", "]")]
    [InlineData("<< /A ", ">>")]
    public void Ten_thousand_levels_of_nesting_in_the_catalog_make_the_file_unreadable(string open, string close)
    {
        var nested = string.Concat(Enumerable.Repeat(open, 10_000)) + string.Concat(Enumerable.Repeat(close, 10_000));
        var bytes = OnePage($"/Deep {nested} ").XrefTable().ToArray();
        Assert.NotNull(Read(bytes).FormatProblem);
    }

    [Fact]
    public void Ten_thousand_nested_arrays_in_a_signature_dictionary_are_a_problem_on_that_signature()
    {
        var nested = new string('[', 10_000) + new string(']', 10_000);
        var bytes = OnePage("/AcroForm << /Fields [8 0 R] >> ", "/Annots [8 0 R] ").XrefTable()
            .Object(8, "<< /FT /Sig /T (S) /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 9 0 R >>")
            .SignatureDictionary(9, extra: $"/Deep {nested} ")
            .XrefTable().ToArray();
        var s = Assert.Single(Read(bytes).Signatures);
        Assert.Contains(s.StructureProblems, p => p.StartsWith("Không đọc được từ điển chữ ký"));
    }

    [Fact]
    public void A_flate_bomb_holding_the_catalog_makes_the_file_unreadable()
    {
        // The cross-reference stream says object 1 is inside object stream 10; decoding that exceeds the budget.
        var bytes = new PdfBuilder()
            .Stream(10, "/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", Bomb.Value)
            .Compressed(1, 10, 0)
            .XrefStream(11, "/Root 1 0 R").ToArray();
        Assert.NotNull(Read(bytes).FormatProblem);
    }

    [Fact]
    public void A_flate_bomb_in_the_validation_data_is_a_document_problem()
    {
        var bytes = SignedOnePage(catalogExtra: "/DSS << /Certs [20 0 R] >> ",
                original: b => b.Stream(20, "/Filter /FlateDecode", Bomb.Value))
            .ToArray();
        var scan = Read(bytes);
        Assert.Contains(scan.Problems, p => p.Contains("/DSS /Certs"));
        Assert.Empty(scan.DssCertificates);
        Assert.Single(scan.Signatures);
    }

    [Fact]
    public void A_flate_bomb_as_the_cross_reference_stream_falls_back_to_scanning()
    {
        var builder = OnePage();
        var at = builder.Length;
        var bytes = builder.Raw($"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length {Bomb.Value.Length} >>\nstream\n")
            .Bytes(Bomb.Value).Raw($"\nendstream\nendobj\nstartxref\n{at}\n%%EOF\n").ToArray();
        var scan = Read(bytes);
        Assert.Null(scan.FormatProblem);
        Assert.Contains(scan.Problems, p => p.Contains("xref"));
    }

    [Fact]
    public void A_huge_cross_reference_stream_index_is_refused_or_bounded()
    {
        var builder = OnePage();
        var at = builder.Length;
        var data = Deflate(new byte[7 * 10]);
        var bytes = builder.Raw($"6 0 obj\n<< /Type /XRef /Size 2000000000 /Index [0 2000000000] /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length {data.Length} >>\nstream\n")
            .Bytes(data).Raw($"\nendstream\nendobj\nstartxref\n{at}\n%%EOF\n").ToArray();
        var scan = Read(bytes);
        Assert.True(scan.FormatProblem is not null || scan.Problems.Count > 0 || scan.RevisionCount == 1);
    }

    [Fact]
    public void Input_that_is_not_a_pdf_is_said_so()
    {
        foreach (var input in new[] { Array.Empty<byte>(), Latin1("hello"), Latin1(new string('%', 4000)) })
        {
            var scan = Read(input);
            Assert.False(scan.IsPdf);
            Assert.NotNull(scan.FormatProblem);
        }
        var headerOnly = Read(Latin1("%PDF-1.7\n"));
        Assert.True(headerOnly.IsPdf);
        Assert.NotNull(headerOnly.FormatProblem);
    }

    [Fact]
    public void A_cancelled_token_stops_the_scan()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => PdfSignatureScan.Read(TwoSignatures(), cancelled.Token));
    }
}
