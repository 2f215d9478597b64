using System.Text;
using Portal.Core.Signatures;
using Portal.Core.Signatures.Pdf;
using static Portal.Core.Tests.Signatures.Pdf.PdfBuilder;

namespace Portal.Core.Tests.Signatures.Pdf;

/// <summary>Signature structure (SIGNATURES.md §3.1–3.3) and the attacks of §4, on hand-made files without cryptography.</summary>
public class PdfSignatureScanTests
{
    static PdfSignatureScan Scan(byte[] pdf) => PdfSignatureScan.Read(pdf);

    static int IndexOf(byte[] file, string text, int from = 0) =>
        Encoding.Latin1.GetString(file).IndexOf(text, from, StringComparison.Ordinal);

    [Fact]
    public void A_sound_signature_covers_the_whole_file_with_no_problems()
    {
        var builder = SignedOnePage();
        var bytes = builder.ToArray();

        var scan = Scan(bytes);

        Assert.True(scan.IsPdf);
        Assert.Null(scan.FormatProblem);
        Assert.Empty(scan.Problems);
        Assert.Equal(2, scan.RevisionCount);
        Assert.Equal(bytes.Length, scan.RevisionEnds[^1]);
        var s = Assert.Single(scan.Signatures);
        Assert.Empty(s.StructureProblems);
        Assert.Equal("Signature1", s.FieldName);
        Assert.Equal(builder.LastByteRange, s.ByteRange);
        Assert.Equal(2, s.Revision);
        Assert.True(s.CoversWholeFile);
        Assert.True(s.CoversWholeRevision);
        Assert.Equal("Adobe.PPKLite", s.Filter);
        Assert.Equal("ETSI.CAdES.detached", s.SubFilter);
        Assert.False(s.IsDocumentTimestamp);
        Assert.Equal(new DateTimeOffset(2026, 2, 27, 14, 5, 9, TimeSpan.FromHours(7)), s.ClaimedTime);
        Assert.Equal("Phê duyệt", s.Reason);
        Assert.Equal(256, s.Contents!.Length);
        Assert.Equal(Convert.FromHexString(DummyContents()), s.Contents);
        Assert.Equal(ModificationLevel.None, s.ModificationsAfter);
        Assert.False(s.IsCertification);
        Assert.Null(scan.DocMdpPermission);
    }

    [Fact]
    public void A_byterange_extended_past_the_end_of_the_file_is_a_problem()
    {
        var builder = SignedOnePage();
        var bytes = builder.ToArray();
        var r = builder.LastByteRange;
        Patch(bytes, IndexOf(bytes, "/ByteRange [") + 11, $"[0 {r[1]:D10} {r[2]:D10} {r[3] + 100:D10}]");

        var s = Assert.Single(Scan(bytes).Signatures);

        Assert.Contains(s.StructureProblems, p => p.StartsWith("ByteRange vượt quá cuối tệp"));
        Assert.False(s.CoversWholeFile);
        Assert.Null(s.Revision);
    }

    [Fact]
    public void A_byterange_not_starting_at_zero_is_a_problem()
    {
        var builder = SignedOnePage();
        var bytes = builder.ToArray();
        var r = builder.LastByteRange;
        Patch(bytes, IndexOf(bytes, "/ByteRange [") + 11, $"[1 {r[1] - 1:D10} {r[2]:D10} {r[3]:D10}]");

        var s = Assert.Single(Scan(bytes).Signatures);

        Assert.Contains("ByteRange không bắt đầu từ 0.", s.StructureProblems);
    }

    [Fact]
    public void A_signature_over_only_part_of_its_revision_is_a_problem()
    {
        var builder = SignedOnePage();
        var bytes = builder.ToArray();
        var r = builder.LastByteRange;
        Patch(bytes, IndexOf(bytes, "/ByteRange [") + 11, $"[0 {r[1]:D10} {r[2]:D10} {r[3] - 40:D10}]");

        var s = Assert.Single(Scan(bytes).Signatures);

        Assert.Contains(s.StructureProblems, p => p.StartsWith("Vùng được ký không kết thúc tại cuối một phiên bản"));
        Assert.False(s.CoversWholeRevision);
        Assert.Equal(ModificationLevel.Other, s.ModificationsAfter);
    }

    [Fact]
    public void A_forged_byterange_hidden_in_the_contents_padding_is_found_signature_wrapping()
    {
        var bytes = SignedOnePage().ToArray();
        var original = IndexOf(bytes, "/ByteRange [");
        // SWA: the attacker uses the zero padding of /Contents to hide a second /ByteRange; the dictionary still parses.
        var padding = IndexOf(bytes, "0000000000", IndexOf(bytes, "/Contents <"));
        Patch(bytes, padding, "> /ByteRange [0 1 2 3] /Pad <");

        var scan = Scan(bytes);

        var s = Assert.Single(scan.Signatures);
        Assert.Equal([0L, 1, 2, 3], s.ByteRange!);
        Assert.Contains(scan.Problems, p => p.Contains($"byte {original}"));
        Assert.Contains($"Tệp có /ByteRange không thuộc trường chữ ký nào (tại byte {original}).", s.StructureProblems);
        Assert.Contains(s.StructureProblems, p => p.StartsWith("Từ điển chữ ký có khóa bị lặp lại"));
        Assert.Contains(s.StructureProblems, p => p.StartsWith("Khoảng trống của ByteRange"));
        Assert.Contains("Mảng /ByteRange nằm ngoài vùng được ký.", s.StructureProblems);
    }

    [Fact]
    public void Bytes_written_into_the_contents_padding_that_break_the_dictionary_are_a_problem()
    {
        var bytes = SignedOnePage().ToArray();
        var padding = IndexOf(bytes, "0000000000", IndexOf(bytes, "/Contents <"));
        Patch(bytes, padding, "> /ByteRange [0 1 2 3] <");

        var s = Assert.Single(Scan(bytes).Signatures);

        Assert.Contains(s.StructureProblems, p => p.StartsWith("Không đọc được từ điển chữ ký"));
        Assert.Contains(s.StructureProblems, p => p.Contains("không thuộc trường chữ ký nào"));
    }

    [Fact]
    public void A_byterange_whose_gap_is_not_the_contents_token_is_a_problem()
    {
        var builder = SignedOnePage();
        var bytes = builder.ToArray();
        var r = builder.LastByteRange;
        // The gap starts one byte early and swallows the space before "<": the gap is no longer exactly the token.
        Patch(bytes, IndexOf(bytes, "/ByteRange [") + 11, $"[0 {r[1] - 1:D10} {r[2]:D10} {r[3]:D10}]");

        var s = Assert.Single(Scan(bytes).Signatures);

        Assert.Contains(s.StructureProblems, p => p.StartsWith("Khoảng trống của ByteRange"));
    }

    [Fact]
    public void Empty_contents_is_universal_signature_forgery_and_a_problem()
    {
        var s = Assert.Single(Scan(BuildWithContents("<>")).Signatures);
        Assert.Contains("/Contents rỗng: tệp không chứa giá trị chữ ký.", s.StructureProblems);
    }

    [Fact]
    public void Contents_as_an_indirect_reference_cannot_be_the_gap()
    {
        var s = Assert.Single(Scan(BuildWithContents("11 0 R", extraObject: (11, "<3082ABCD>"))).Signatures);
        Assert.Contains(s.StructureProblems, p => p.Contains("tham chiếu gián tiếp"));
        Assert.Null(s.Contents);
    }

    [Fact]
    public void Contents_as_a_literal_string_is_a_problem()
    {
        var s = Assert.Single(Scan(BuildWithContents("(0123456789)")).Signatures);
        Assert.Contains("/Contents không phải là chuỗi hex.", s.StructureProblems);
    }

    [Fact]
    public void A_missing_byterange_is_a_problem_not_an_unverified_signature()
    {
        var bytes = SignedOnePage().ToArray();
        Patch(bytes, IndexOf(bytes, "/ByteRange ["), "/ByteRangX ");
        var s = Assert.Single(Scan(bytes).Signatures);
        Assert.Contains(s.StructureProblems, p => p.StartsWith("Từ điển chữ ký thiếu /ByteRange"));
        Assert.Null(s.ByteRange);
    }

    [Theory]
    [InlineData("/SubFilter /ETSI.CAdES.detached", "/SubFilter /adbe.x509.rsa_sha1 ", "không được chấp nhận")]
    [InlineData("/Type /Sig", "/Type /Xyz", "/Type của từ điển chữ ký")]
    [InlineData("/Filter /Adobe.PPKLite", "/Filter (Adobe.PPKLit)", "thiếu /Filter")]
    public void Wrong_signature_dictionary_entries_are_problems(string from, string to, string expected)
    {
        var bytes = SignedOnePage().ToArray();
        Assert.Equal(from.Length, to.Length);
        Patch(bytes, IndexOf(bytes, from, IndexOf(bytes, "9 0 obj")), to);
        var s = Assert.Single(Scan(bytes).Signatures);
        Assert.Contains(s.StructureProblems, p => p.Contains(expected));
    }

    [Fact]
    public void A_repeated_key_in_the_signature_dictionary_is_a_problem()
    {
        var s = Assert.Single(Scan(SignedOnePage(signatureExtra: "/M (D:20200101000000Z) ").ToArray()).Signatures);
        Assert.Contains(s.StructureProblems, p => p.StartsWith("Từ điển chữ ký có khóa bị lặp lại"));
    }

    [Fact]
    public void Trailing_bytes_after_the_last_revision_leave_the_file_not_wholly_covered()
    {
        var bytes = SignedOnePage().ToArray().Concat(Latin1("garbage after the end")).ToArray();
        var s = Assert.Single(Scan(bytes).Signatures);
        Assert.True(s.CoversWholeRevision);
        Assert.False(s.CoversWholeFile);
        Assert.Empty(s.StructureProblems);
    }

    [Fact]
    public void Two_fields_sharing_one_signature_dictionary_are_a_problem()
    {
        var bytes = SignedOnePage()
            .Object(10, "<< /Fields [7 0 R 8 0 R 11 0 R] /SigFlags 3 >>")
            .Object(11, "<< /FT /Sig /T (Copy) /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 9 0 R >>")
            .XrefTable().ToArray();
        var scan = Scan(bytes);
        Assert.Equal(2, scan.Signatures.Count);
        Assert.All(scan.Signatures, s => Assert.Contains(s.StructureProblems, p => p.Contains("dùng chung một từ điển chữ ký")));
    }

    [Fact]
    public void An_old_signature_dictionary_left_behind_is_an_orphan_byterange()
    {
        // A later update removes the signature value from its field: the signed dictionary stays in the bytes.
        var bytes = SignedOnePage()
            .Object(8, "<< /FT /Sig /T (Signature1) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R >>")
            .XrefTable().ToArray();
        var scan = Scan(bytes);
        Assert.Empty(scan.Signatures);
        Assert.Contains(scan.Problems, p => p.Contains("không thuộc trường chữ ký nào"));
    }

    [Fact]
    public void A_signature_dictionary_in_an_object_stream_is_a_problem()
    {
        var bytes = OnePage("/AcroForm << /Fields [8 0 R] >> ", "/Annots [8 0 R] ")
            .ObjectStream(12, (8, "<< /FT /Sig /T (S) /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 9 0 R >>"),
                (9, $"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 10 20 30] /Contents <{DummyContents(16)}> >>"))
            .XrefStream(13).ToArray();
        var s = Assert.Single(Scan(bytes).Signatures);
        Assert.Contains(s.StructureProblems, p => p.Contains("luồng đối tượng nén"));
    }

    static byte[] BuildWithContents(string contents, (int Number, string Body)? extraObject = null)
    {
        var b = OnePage("/AcroForm << /Fields [8 0 R] >> ", "/Annots [8 0 R] ").XrefTable()
            .Object(8, "<< /FT /Sig /T (S) /Subtype /Widget /Rect [0 0 0 0] /P 3 0 R /V 9 0 R >>")
            .SignatureDictionary(9, contents: contents);
        if (extraObject is var (n, body)) b.Object(n, body);
        return b.XrefTable().ToArray();
    }
}
