using System.Text;
using Portal.Core.Signatures.Pdf;
using static Portal.Core.Tests.Signatures.Pdf.PdfBuilder;

using Portal.Core.Tests.Signatures;

namespace Portal.Core.Tests.Signatures.Pdf;

public class PdfFileTests
{
    [Fact]
    public void A_classic_file_has_one_revision_ending_after_the_eof_marker()
    {
        var bytes = OnePage().XrefTable("/Root 1 0 R /ID [<0102> <0304>]").ToArray();
        var pdf = PdfFile.Open(bytes);

        var revision = Assert.Single(pdf.Revisions);
        Assert.Equal(XrefKind.Table, revision.XrefKind);
        Assert.Equal(bytes.Length, revision.End);
        Assert.Equal(6, revision.Trailer.GetInteger("Size"));
        Assert.Equal(2, ((PdfArray)revision.Trailer.Get("ID")!).Count);
        Assert.False(pdf.IsReconstructed);
        Assert.Equal("Catalog", pdf.Catalog().GetName("Type"));
        Assert.Equal(1, pdf.RootReference()!.Number);
        var page = Assert.Single(pdf.Pages());
        Assert.Equal(3, page.Number);
        Assert.Equal(4, ((PdfArray)page.MediaBox!).Count); // inherited from /Pages
        var content = Assert.IsType<PdfStream>(pdf.Resolve(page.Dictionary.Get("Contents")));
        Assert.Equal("BT /F1 18 Tf 10 10 Td (Hello) Tj ET", Encoding.Latin1.GetString(pdf.DecodeStream(content)));
    }

    [Fact]
    public void Raw_objects_are_the_exact_file_bytes()
    {
        var pdf = PdfFile.Open(OnePage().XrefTable().ToArray());
        Assert.Equal("5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>\nendobj", Encoding.Latin1.GetString(pdf.RawObject(5).Span));
        Assert.Equal("<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>", Encoding.Latin1.GetString(pdf.GetIndirect(5)!.RawValue.Span));
    }

    [Fact]
    public void An_incremental_update_is_a_second_revision_and_older_views_still_see_the_old_object()
    {
        var builder = OnePage().XrefTable();
        var firstEnd = builder.Length;
        var bytes = builder.Object(3, "<< /Type /Page /Parent 2 0 R /Contents 6 0 R >>")
            .Stream(6, "", Latin1("0 0 m 10 10 l S"))
            .XrefTable().ToArray();
        var pdf = PdfFile.Open(bytes);

        Assert.Equal(2, pdf.Revisions.Count);
        Assert.Equal(firstEnd, pdf.Revisions[0].End);
        Assert.Equal(bytes.Length, pdf.Revisions[1].End);
        Assert.Equal([3, 6], pdf.Revisions[1].Objects.Keys.Order());
        Assert.Equal(4, ((PdfReference)((PdfDictionary)pdf.GetObject(3, 0)!).Get("Contents")!).Number);
        Assert.Equal(6, ((PdfReference)((PdfDictionary)pdf.GetObject(3)!).Get("Contents")!).Number);
        Assert.Null(pdf.GetObject(6, 0));
        Assert.Equal(0, pdf.Lookup(3, 0)!.Value.Revision);
        Assert.Equal(1, pdf.Lookup(3)!.Value.Revision);
    }

    [Fact]
    public void A_cross_reference_stream_with_a_png_predictor_and_an_object_stream_is_read()
    {
        var bytes = new PdfBuilder()
            .ObjectStream(10, (1, "<< /Type /Catalog /Pages 2 0 R >>"), (2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
                (3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>"))
            .XrefStream(11, "/Root 1 0 R /ID [<01> <02>]").ToArray();
        var pdf = PdfFile.Open(bytes);

        var revision = Assert.Single(pdf.Revisions);
        Assert.Equal(XrefKind.Stream, revision.XrefKind);
        Assert.Equal([11], revision.XrefStreamObjects);
        Assert.Equal(12, revision.Trailer.GetInteger("Size"));
        Assert.Equal(XrefEntryKind.Compressed, pdf.Lookup(2)!.Value.Kind);
        Assert.True(pdf.GetIndirect(3)!.InObjectStream);
        Assert.Equal(3, Assert.Single(pdf.Pages()).Number);
        Assert.Equal("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", Encoding.Latin1.GetString(pdf.GetIndirect(2)!.RawValue.Span));
        Assert.False(pdf.IsReconstructed);
    }

    [Fact]
    public void A_cross_reference_stream_without_a_predictor_and_an_update_by_stream_are_read()
    {
        var bytes = OnePage().XrefStream(6, pngPredictor: false)
            .Object(3, "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Rotate 90 >>")
            .XrefStream(7).ToArray();
        var pdf = PdfFile.Open(bytes);

        Assert.Equal(2, pdf.Revisions.Count);
        Assert.All(pdf.Revisions, r => Assert.Equal(XrefKind.Stream, r.XrefKind));
        Assert.Equal(90, ((PdfInteger)pdf.Pages()[0].Rotate!).Value);
        Assert.Null(pdf.Pages(0)[0].Rotate);
    }

    [Fact]
    public void A_hybrid_file_finds_objects_listed_only_in_its_cross_reference_stream()
    {
        var bytes = new PdfBuilder()
            .Object(1, "<< /Type /Catalog /Pages 2 0 R >>")
            .ObjectStream(5, (2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"), (3, "<< /Type /Page /Parent 2 0 R >>"))
            .HybridXref(6).ToArray();
        var pdf = PdfFile.Open(bytes);

        var revision = Assert.Single(pdf.Revisions);
        Assert.Equal(XrefKind.Table, revision.XrefKind);
        Assert.Contains(6, revision.XrefStreamObjects);
        Assert.Equal(XrefEntryKind.Compressed, pdf.Lookup(3)!.Value.Kind);
        Assert.Single(pdf.Pages());
    }

    [Fact]
    public void A_wrong_length_falls_back_to_finding_endstream()
    {
        var bytes = new PdfBuilder()
            .Object(1, "<< /Type /Catalog /Pages 2 0 R >>")
            .Object(2, "<< /Type /Pages /Kids [] /Count 0 >>")
            .Stream(3, "", Latin1("0123456789"), length: "4")
            .Stream(4, "", Latin1("abcdef"), length: "7 0 R")
            .Object(7, "6")
            .Stream(8, "", Latin1("xyz"), length: "9 0 R")
            .Object(9, "(not a number)")
            .XrefTable().ToArray();
        var pdf = PdfFile.Open(bytes);

        var wrong = Assert.IsType<PdfStream>(pdf.GetObject(3));
        Assert.True(wrong.LengthRepaired);
        Assert.Equal("0123456789", Encoding.Latin1.GetString(pdf.StreamData(wrong).Span));
        var indirect = Assert.IsType<PdfStream>(pdf.GetObject(4));
        Assert.False(indirect.LengthRepaired);
        Assert.Equal("abcdef", Encoding.Latin1.GetString(pdf.StreamData(indirect).Span));
        Assert.Equal("xyz", Encoding.Latin1.GetString(pdf.StreamData(Assert.IsType<PdfStream>(pdf.GetObject(8))).Span));
    }

    [Fact]
    public void A_broken_cross_reference_table_is_rebuilt_by_scanning_and_revisions_follow_the_eof_markers()
    {
        var builder = OnePage().XrefTable();
        var firstEnd = builder.Length;
        var bytes = builder.Object(3, "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Rotate 180 >>").XrefTable().ToArray();
        var text = Encoding.Latin1.GetString(bytes);
        var last = text.LastIndexOf("startxref\n", StringComparison.Ordinal) + "startxref\n".Length;
        bytes[last] = (byte)'9'; // the final startxref now points nowhere useful

        var pdf = PdfFile.Open(bytes);

        Assert.True(pdf.IsReconstructed);
        Assert.NotEmpty(pdf.Warnings);
        Assert.Equal(2, pdf.Revisions.Count);
        Assert.Equal(firstEnd, pdf.Revisions[0].End);
        Assert.Equal(180, ((PdfInteger)pdf.Pages()[0].Rotate!).Value);
        Assert.Null(pdf.Pages(0)[0].Rotate);
    }

    [Fact]
    public void A_wrong_offset_in_the_table_is_repaired_from_the_object_headers()
    {
        var bytes = OnePage().XrefTable().ToArray();
        var text = Encoding.Latin1.GetString(bytes);
        var entry = text.IndexOf("\n1 5\n", StringComparison.Ordinal) + "\n1 5\n".Length + 20 * 4; // object 5
        Assert.StartsWith($"{text.IndexOf("5 0 obj", StringComparison.Ordinal):D10} 00000 n", text[entry..]);
        Encoding.ASCII.GetBytes("0000000020").CopyTo(bytes, entry);

        var pdf = PdfFile.Open(bytes);

        Assert.False(pdf.IsReconstructed);
        Assert.Equal("Font", ((PdfDictionary)pdf.GetObject(5)!).GetName("Type"));
        Assert.Contains(pdf.Warnings, w => w.Contains("Object 5"));
    }

    [Fact]
    public void Junk_before_the_header_is_allowed_and_offsets_counted_from_the_header_work()
    {
        var bytes = Latin1(new string(' ', 300)).Concat(OnePage().XrefTable().ToArray()).ToArray();
        var pdf = PdfFile.Open(bytes);
        Assert.Equal(300, pdf.HeaderOffset);
        Assert.Single(pdf.Pages());
    }

    [Fact]
    public void A_file_without_a_header_is_not_a_pdf() =>
        Assert.Throws<PdfFormatException>(() => PdfFile.Open(Latin1(new string('x', 2000) + "%PDF-1.7")));

    [Fact]
    public void A_prev_loop_is_detected_and_the_file_is_rebuilt()
    {
        var builder = OnePage().XrefTable();
        var bytes = builder.Object(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>").XrefTable().ToArray();
        var text = Encoding.Latin1.GetString(bytes);
        var lastXref = text.LastIndexOf("xref\n", text.LastIndexOf("startxref", StringComparison.Ordinal) - 1, StringComparison.Ordinal);
        var prev = text.LastIndexOf("/Prev ", StringComparison.Ordinal) + 6;
        var digits = text[prev..].TakeWhile(char.IsDigit).Count();
        var replacement = lastXref.ToString().PadLeft(digits, '0');
        Assert.Equal(digits, replacement.Length);
        Encoding.ASCII.GetBytes(replacement).CopyTo(bytes, prev); // /Prev points at its own section

        var pdf = PdfFile.Open(bytes);

        Assert.True(pdf.IsReconstructed);
        Assert.Contains(pdf.Warnings, w => w.Contains("loops"));
        Assert.Equal("Courier", ((PdfDictionary)pdf.GetObject(5)!).GetName("BaseFont"));
    }

    [Fact]
    public void A_reference_cycle_is_a_format_error_not_a_hang()
    {
        var pdf = PdfFile.Open(OnePage().Object(6, "7 0 R").Object(7, "6 0 R").XrefTable().ToArray());
        Assert.Throws<PdfFormatException>(() => pdf.Resolve(new PdfReference(6, 0)));
    }

    [Fact]
    public void A_page_tree_loop_is_a_format_error()
    {
        var bytes = new PdfBuilder()
            .Object(1, "<< /Type /Catalog /Pages 2 0 R >>")
            .Object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
            .Object(3, "<< /Type /Pages /Kids [2 0 R] /Count 1 >>")
            .XrefTable().ToArray();
        Assert.Throws<PdfFormatException>(() => PdfFile.Open(bytes).Pages());
    }

    [Fact]
    public void A_flate_bomb_stops_at_the_decode_budget()
    {
        var bomb = Deflate(new byte[80 * 1024 * 1024]); // 80 MiB of zeros, about 80 KB compressed
        var pdf = PdfFile.Open(OnePage().Stream(6, "/Filter /FlateDecode", bomb).XrefTable().ToArray());
        var stream = Assert.IsType<PdfStream>(pdf.GetObject(6));
        Assert.Throws<PdfFormatException>(() => pdf.DecodeStream(stream));
    }

    [Fact]
    public void Form_fields_are_listed_with_qualified_names_inherited_types_and_widgets()
    {
        var bytes = OnePage(catalogExtra: "/AcroForm 6 0 R ", pageExtra: "/Annots [8 0 R 10 0 R] ")
            .Object(6, "<< /Fields [7 0 R 10 0 R] >>")
            .Object(7, "<< /T (parent) /FT /Tx /Kids [8 0 R 9 0 R] >>")
            .Object(8, "<< /T (child) /Parent 7 0 R /Subtype /Widget /Rect [0 0 10 10] /V (filled) >>")
            .Object(9, "<< /T (other) /Parent 7 0 R /Kids [11 0 R] >>")
            .Object(10, "<< /T (Sig1) /FT /Sig /Subtype /Widget /Rect [0 0 0 0] >>")
            .Object(11, "<< /Subtype /Widget /Parent 9 0 R /Rect [1 1 2 2] >>")
            .XrefTable().ToArray();
        var fields = PdfFile.Open(bytes).Fields();

        Assert.Equal(["parent.child", "parent.other", "Sig1"], fields.Select(f => f.FullName));
        Assert.Equal(["Tx", "Tx", "Sig"], fields.Select(f => f.FieldType));
        Assert.Equal(8, Assert.Single(fields[0].Widgets).Number);
        Assert.Equal(11, Assert.Single(fields[1].Widgets).Number);
        Assert.Equal("filled", ((PdfString)fields[0].Value!).Text);
        Assert.Equal(10, fields[2].Number);
    }

    [Fact]
    public void The_linearized_corpus_file_groups_its_first_page_section_with_the_original()
    {
        var pdf = PdfFile.Open(Corpus.Read("pdf/minimal-signed-twice-both-created.pdf"));
        Assert.False(pdf.IsReconstructed);
        Assert.Equal(2, pdf.Revisions.Count);
        Assert.Equal(83059, pdf.Revisions[0].End); // the first signature's range ends here (manifest byte_range 78318 + 4741)
        Assert.Equal(107981, pdf.Revisions[1].End);
        Assert.Single(pdf.Pages());
    }

    [Theory]
    [MemberData(nameof(Corpus.SignedFiles), MemberType = typeof(Corpus))]
    public void Every_corpus_file_opens_through_its_cross_references(string file)
    {
        var pdf = PdfFile.Open(Corpus.Read(file));
        Assert.False(pdf.IsReconstructed, string.Join("; ", pdf.Warnings));
        Assert.Equal("Catalog", pdf.Catalog().GetName("Type"));
        Assert.Equal(pdf.Data.Length, pdf.LastRevision.End);
        if (!pdf.IsEncrypted) Assert.NotEmpty(pdf.Pages());
    }
}
