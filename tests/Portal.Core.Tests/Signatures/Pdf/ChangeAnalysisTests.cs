using Portal.Core.Signatures;
using Portal.Core.Signatures.Pdf;
using static Portal.Core.Tests.Signatures.Pdf.PdfBuilder;

namespace Portal.Core.Tests.Signatures.Pdf;

/// <summary>
/// Changes after signing (SIGNATURES.md §3.9, §3.10). <see cref="PdfBuilder.SignedOnePage"/> is signed in revision 2;
/// each test appends one update and checks what the first signature's analysis says.
/// </summary>
public class ChangeAnalysisTests
{
    // Objects of the signed document: 1 catalog, 2 pages, 3 page, 4 content, 5 font, 6 form XObject, 7 text field,
    // 8 signature field, 9 signature dictionary, 10 AcroForm.
    const string Page = "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >> /Contents 4 0 R";

    static PdfSignatureEntry First(byte[] pdf) => PdfSignatureScan.Read(pdf).Signatures[0];

    static string Details(PdfSignatureEntry s) => string.Join(" | ", s.ModificationDetails);

    [Fact]
    public void Nothing_after_signing_is_none()
    {
        var s = First(SignedOnePage().ToArray());
        Assert.Equal(ModificationLevel.None, s.ModificationsAfter);
        Assert.Empty(s.ModificationDetails);
    }

    [Fact]
    public void An_update_that_changes_the_page_content_is_other()
    {
        var bytes = SignedOnePage().Stream(4, "", Latin1("BT /F1 18 Tf 10 10 Td (Forged) Tj ET")).XrefTable().ToArray();
        var s = First(bytes);
        Assert.Equal(ModificationLevel.Other, s.ModificationsAfter);
        Assert.Contains(s.ModificationDetails, d => d.Contains("đối tượng 4"));
        Assert.Empty(s.StructureProblems); // the signature itself is intact; the verdict comes from the level
        Assert.True(s.CoversWholeRevision);
        Assert.False(s.CoversWholeFile);
    }

    [Fact]
    public void An_update_that_points_the_page_at_new_content_is_other()
    {
        var bytes = SignedOnePage()
            .Object(3, "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 11 0 R /Annots [7 0 R 8 0 R] >>")
            .Stream(11, "", Latin1("BT (Forged) Tj ET"))
            .XrefTable().ToArray();
        var s = First(bytes);
        Assert.Equal(ModificationLevel.Other, s.ModificationsAfter);
        Assert.Contains(s.ModificationDetails, d => d.Contains("trang 1: khóa /Contents thay đổi"));
    }

    [Fact]
    public void Filling_a_form_field_is_form_filling()
    {
        var bytes = SignedOnePage()
            .Object(7, "<< /FT /Tx /T (name) /Subtype /Widget /Rect [10 100 200 120] /P 3 0 R /V (Nguyễn Văn An) /AP << /N 11 0 R >> >>")
            .Stream(11, "/Type /XObject /Subtype /Form /BBox [0 0 190 20] /Resources << /Font << /F1 12 0 R >> >>", Latin1("BT /F1 10 Tf (An) Tj ET"))
            .Object(12, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
            .XrefTable().ToArray();
        var s = First(bytes);
        Assert.True(s.ModificationsAfter == ModificationLevel.FormFilling, Details(s));
        Assert.Contains(s.ModificationDetails, d => d.Contains("điền trường biểu mẫu name"));
    }

    [Fact]
    public void Adding_a_comment_annotation_is_annotations()
    {
        var bytes = SignedOnePage()
            .Object(3, Page + " /Annots [7 0 R 8 0 R 11 0 R] >>")
            .Object(11, "<< /Type /Annot /Subtype /Text /Rect [250 100 270 120] /Contents (ghi chú) /P 3 0 R /Popup 12 0 R >>")
            .Object(12, "<< /Type /Annot /Subtype /Popup /Rect [250 40 290 100] /Parent 11 0 R >>")
            .XrefTable().ToArray();
        var s = First(bytes);
        Assert.True(s.ModificationsAfter == ModificationLevel.Annotations, Details(s));
        Assert.Contains(s.ModificationDetails, d => d.Contains("thêm chú thích /Text"));
    }

    [Fact]
    public void Removing_an_annotation_is_other()
    {
        var bytes = SignedOnePage().Object(3, Page + " /Annots [8 0 R] >>").XrefTable().ToArray();
        var s = First(bytes);
        Assert.Equal(ModificationLevel.Other, s.ModificationsAfter);
        Assert.Contains(s.ModificationDetails, d => d.Contains("chú thích 7 bị xóa"));
    }

    static PdfBuilder WithSecondSignature(PdfBuilder signed, bool visible = true, bool byStream = false)
    {
        var rect = visible ? "[10 10 100 40]" : "[0 0 0 0]";
        signed.Object(3, Page + " /Annots [7 0 R 8 0 R 11 0 R] >>")
            .Object(11, $"<< /FT /Sig /T (Signature2) /Type /Annot /Subtype /Widget /Rect {rect} /F 132 /P 3 0 R /V 12 0 R /AP << /N 13 0 R >> >>")
            .SignatureDictionary(12)
            .Stream(13, "/Type /XObject /Subtype /Form /BBox [0 0 90 30]", Latin1("0 0 90 30 re S"));
        if (byStream) return signed.ObjectStream(14, (10, "<< /Fields [7 0 R 8 0 R 11 0 R] /SigFlags 3 >>")).XrefStream(15);
        return signed.Object(10, "<< /Fields [7 0 R 8 0 R 11 0 R] /SigFlags 3 >>").XrefTable();
    }

    [Fact]
    public void A_second_signature_in_a_new_field_is_form_filling_for_the_first_and_whole_for_the_second()
    {
        var scan = PdfSignatureScan.Read(WithSecondSignature(SignedOnePage()).ToArray());

        Assert.Equal(2, scan.Signatures.Count);
        var (first, second) = (scan.Signatures[0], scan.Signatures[1]);
        Assert.Equal("Signature1", first.FieldName);
        Assert.True(first.ModificationsAfter == ModificationLevel.FormFilling, Details(first));
        Assert.Empty(first.StructureProblems);
        Assert.True(first.CoversWholeRevision && !first.CoversWholeFile);
        Assert.Equal(2, first.Revision);
        Assert.Equal("Signature2", second.FieldName);
        Assert.Empty(second.StructureProblems);
        Assert.True(second.CoversWholeFile);
        Assert.Equal(3, second.Revision);
        Assert.Equal(ModificationLevel.None, second.ModificationsAfter);
    }

    [Fact]
    public void A_second_signature_written_with_an_object_stream_and_a_cross_reference_stream_is_also_form_filling()
    {
        var scan = PdfSignatureScan.Read(WithSecondSignature(SignedOnePage(), byStream: true).ToArray());
        Assert.True(scan.Signatures[0].ModificationsAfter == ModificationLevel.FormFilling, Details(scan.Signatures[0]));
        Assert.Empty(scan.Signatures[1].StructureProblems);
        Assert.True(scan.Signatures[1].CoversWholeFile);
    }

    [Fact]
    public void Signing_an_existing_empty_signature_field_is_form_filling()
    {
        var builder = SignedOnePage(original: b => b
                .Object(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [7 0 R 11 0 R] >> >>")
                .Object(11, "<< /FT /Sig /T (Later) /Type /Annot /Subtype /Widget /Rect [10 10 100 40] /F 132 /P 3 0 R >>"))
            .Object(10, "<< /Fields [7 0 R 8 0 R 11 0 R] /SigFlags 3 >>")
            .XrefTable();
        var bytes = builder
            .Object(11, "<< /FT /Sig /T (Later) /Type /Annot /Subtype /Widget /Rect [10 10 100 40] /F 132 /P 3 0 R /V 12 0 R /AP << /N 13 0 R >> >>")
            .SignatureDictionary(12)
            .Stream(13, "/Type /XObject /Subtype /Form /BBox [0 0 90 30]", Latin1("0 0 90 30 re S"))
            .XrefTable().ToArray();
        var scan = PdfSignatureScan.Read(bytes);
        Assert.Equal(["Signature1", "Later"], scan.Signatures.Select(s => s.FieldName));
        Assert.True(scan.Signatures[0].ModificationsAfter == ModificationLevel.FormFilling, Details(scan.Signatures[0]));
        Assert.Contains(scan.Signatures[0].ModificationDetails, d => d.Contains("thêm chữ ký vào trường Later"));
    }

    [Fact]
    public void Redefining_the_signature_dictionary_is_other_and_a_structure_problem()
    {
        var builder = SignedOnePage();
        var r = builder.LastByteRange;
        var bytes = builder
            .Object(9, $"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 {r[1]} {r[2]} {r[3]}] /Contents <{DummyContents()}> /M (D:20260227140509+07'00') /Reason (Forged) >>")
            .XrefTable().ToArray();
        var s = First(bytes);
        Assert.Equal(ModificationLevel.Other, s.ModificationsAfter);
        Assert.Contains("Từ điển chữ ký đã bị thay đổi sau khi ký.", s.StructureProblems);
        Assert.Equal("Forged", s.Reason);
    }

    [Theory]
    [InlineData(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>")]
    [InlineData(7, "<< /FT /Tx /T (name) /Subtype /Widget /Rect [0 0 300 144] /P 3 0 R >>")]
    public void A_shadow_update_that_redefines_an_object_of_the_signed_page_is_other(int number, string body)
    {
        var s = First(SignedOnePage().Object(number, body).XrefTable().ToArray());
        Assert.Equal(ModificationLevel.Other, s.ModificationsAfter);
    }

    [Fact]
    public void A_shadow_update_that_redefines_a_form_xobject_drawn_by_the_page_is_other()
    {
        var bytes = SignedOnePage().Stream(6, "/Type /XObject /Subtype /Form /BBox [0 0 300 144]", Latin1("1 1 1 rg 0 0 300 144 re f")).XrefTable().ToArray();
        var s = First(bytes);
        Assert.Equal(ModificationLevel.Other, s.ModificationsAfter);
        Assert.Contains(s.ModificationDetails, d => d.Contains("đối tượng 6 (luồng /Form)"));
    }

    [Fact]
    public void Adding_a_page_is_other()
    {
        var bytes = SignedOnePage()
            .Object(2, "<< /Type /Pages /Kids [3 0 R 11 0 R] /Count 2 /MediaBox [0 0 300 144] >>")
            .Object(11, "<< /Type /Page /Parent 2 0 R /Contents 12 0 R >>")
            .Stream(12, "", Latin1("BT (page two) Tj ET"))
            .XrefTable().ToArray();
        var s = First(bytes);
        Assert.Equal(ModificationLevel.Other, s.ModificationsAfter);
        Assert.Contains(s.ModificationDetails, d => d.Contains("số trang thay đổi từ 1 thành 2"));
    }

    [Fact]
    public void Validation_data_and_a_document_timestamp_are_none()
    {
        var bytes = SignedOnePage()
            .Object(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 10 0 R /DSS 11 0 R >>")
            .Object(11, "<< /Certs [12 0 R] /VRI << /0123456789ABCDEF0123456789ABCDEF01234567 << /Cert [12 0 R] >> >> >>")
            .Stream(12, "", [0x30, 0x82, 0x01, 0x00])
            .Object(3, Page + " /Annots [7 0 R 8 0 R 13 0 R] >>")
            .Object(10, "<< /Fields [7 0 R 8 0 R 13 0 R] /SigFlags 3 >>")
            .Object(13, "<< /FT /Sig /T (Timestamp1) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R /V 14 0 R >>")
            .SignatureDictionary(14, type: "/DocTimeStamp", subFilter: "/ETSI.RFC3161")
            .XrefTable().ToArray();
        var scan = PdfSignatureScan.Read(bytes);

        Assert.True(scan.Signatures[0].ModificationsAfter == ModificationLevel.None, Details(scan.Signatures[0]));
        var timestamp = scan.Signatures[1];
        Assert.True(timestamp.IsDocumentTimestamp);
        Assert.Empty(timestamp.StructureProblems);
        Assert.True(timestamp.CoversWholeFile);
        Assert.Equal([0x30, 0x82, 0x01, 0x00], Assert.Single(scan.DssCertificates));
    }

    [Fact]
    public void Validation_data_with_a_foreign_key_is_other()
    {
        var bytes = SignedOnePage()
            .Object(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 10 0 R /DSS 11 0 R >>")
            .Object(11, "<< /Certs [] /JavaScript 12 0 R >>")
            .Object(12, "<< /S /JavaScript /JS (app.alert(1)) >>")
            .XrefTable().ToArray();
        Assert.Equal(ModificationLevel.Other, First(bytes).ModificationsAfter);
    }

    [Fact]
    public void An_identical_redefinition_and_an_unused_new_object_are_no_change()
    {
        var bytes = SignedOnePage()
            .Object(3, Page + " /Annots [7 0 R 8 0 R] >>")
            .Object(11, "<< /Unused true >>")
            .XrefTable().ToArray();
        var s = First(bytes);
        Assert.True(s.ModificationsAfter == ModificationLevel.None, Details(s));
    }

    [Fact]
    public void Document_information_updates_are_none()
    {
        var bytes = SignedOnePage().Object(11, "<< /Producer (Portal) /ModDate (D:20260301000000Z) >>").XrefTable("/Root 1 0 R /Info 11 0 R").ToArray();
        var s = First(bytes);
        Assert.True(s.ModificationsAfter == ModificationLevel.None, Details(s));
    }

    [Fact]
    public void Deleting_an_object_is_other()
    {
        var s = First(SignedOnePage().Free(6).XrefTable().ToArray());
        Assert.Equal(ModificationLevel.Other, s.ModificationsAfter);
        Assert.Contains(s.ModificationDetails, d => d.Contains("đối tượng 6") && d.Contains("bị xóa"));
    }

    [Fact]
    public void A_new_object_that_an_old_object_already_referred_to_is_other()
    {
        // The signed page refers to object 20, which does not exist (reads as null); a later update defines it.
        var builder = SignedOnePage(fieldExtra: "/AP << /N 20 0 R >> ");
        var bytes = builder.Stream(20, "/Type /XObject /Subtype /Form /BBox [0 0 300 144]", Latin1("0 0 300 144 re f")).XrefTable().ToArray();
        var s = First(bytes);
        Assert.Equal(ModificationLevel.Other, s.ModificationsAfter);
        Assert.Contains(s.ModificationDetails, d => d.Contains("đối tượng mới 20 được tham chiếu từ đối tượng cũ 7"));
    }

    [Fact]
    public void A_new_text_field_is_other()
    {
        var bytes = SignedOnePage()
            .Object(3, Page + " /Annots [7 0 R 8 0 R 11 0 R] >>")
            .Object(10, "<< /Fields [7 0 R 8 0 R 11 0 R] /SigFlags 3 >>")
            .Object(11, "<< /FT /Tx /T (added) /Subtype /Widget /Rect [10 10 100 40] /P 3 0 R /V (x) >>")
            .XrefTable().ToArray();
        var s = First(bytes);
        Assert.Equal(ModificationLevel.Other, s.ModificationsAfter);
        Assert.Contains(s.ModificationDetails, d => d.Contains("thêm trường biểu mẫu mới added"));
    }

    [Fact]
    public void A_new_catalog_entry_is_other()
    {
        var bytes = SignedOnePage().Object(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 10 0 R /OpenAction 11 0 R >>")
            .Object(11, "<< /S /JavaScript /JS (app.alert(1)) >>").XrefTable().ToArray();
        var s = First(bytes);
        Assert.Equal(ModificationLevel.Other, s.ModificationsAfter);
        Assert.Contains(s.ModificationDetails, d => d.Contains("khóa /OpenAction"));
    }

    [Fact]
    public void Redrawing_a_field_appearance_in_place_is_form_filling_when_nothing_else_draws_it()
    {
        var bytes = SignedOnePage(fieldExtra: "/AP << /N 20 0 R >> ",
                original: b => b.Stream(20, "/Type /XObject /Subtype /Form /BBox [0 0 190 20]", Latin1("")))
            .Object(7, "<< /FT /Tx /T (name) /Subtype /Widget /Rect [10 100 200 120] /P 3 0 R /AP << /N 20 0 R >> /V (An) >>")
            .Stream(20, "/Type /XObject /Subtype /Form /BBox [0 0 190 20]", Latin1("BT (An) Tj ET"))
            .XrefTable().ToArray();
        var s = First(bytes);
        Assert.True(s.ModificationsAfter == ModificationLevel.FormFilling, Details(s));
    }

    [Fact]
    public void Redrawing_a_field_appearance_that_is_also_drawn_elsewhere_is_other_sneaky_update()
    {
        var bytes = SignedOnePage(fieldExtra: "/AP << /N 20 0 R >> ", catalogExtra: "/Shown 20 0 R ",
                original: b => b.Stream(20, "/Type /XObject /Subtype /Form /BBox [0 0 190 20]", Latin1("")))
            .Object(7, "<< /FT /Tx /T (name) /Subtype /Widget /Rect [10 100 200 120] /P 3 0 R /AP << /N 20 0 R >> /V (An) >>")
            .Stream(20, "/Type /XObject /Subtype /Form /BBox [0 0 190 20]", Latin1("BT (An) Tj ET"))
            .XrefTable().ToArray();
        var s = First(bytes);
        Assert.Equal(ModificationLevel.Other, s.ModificationsAfter);
        Assert.Contains(s.ModificationDetails, d => d.Contains("còn được dùng ở đối tượng 1 /Shown"));
    }

    // ----- certification (DocMDP) -----

    static PdfBuilder Certified(int p) => SignedOnePage(
        signatureExtra: $"/Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P {p} /V /1.2 >> >>] ",
        catalogExtra: "/Perms << /DocMDP 9 0 R >> ");

    static PdfBuilder FillField(PdfBuilder b) => b
        .Object(7, "<< /FT /Tx /T (name) /Subtype /Widget /Rect [10 100 200 120] /P 3 0 R /V (An) >>").XrefTable();

    static PdfBuilder AddComment(PdfBuilder b) => b
        .Object(3, Page + " /Annots [7 0 R 8 0 R 11 0 R] >>")
        .Object(11, "<< /Type /Annot /Subtype /Text /Rect [250 100 270 120] /Contents (note) /P 3 0 R >>").XrefTable();

    [Theory]
    [InlineData(1, ModificationLevel.Other)]
    [InlineData(2, ModificationLevel.FormFilling)]
    [InlineData(3, ModificationLevel.FormFilling)]
    public void Form_filling_after_certification_is_allowed_from_p2(int p, ModificationLevel expected)
    {
        var scan = PdfSignatureScan.Read(FillField(Certified(p)).ToArray());
        var s = scan.Signatures[0];
        Assert.True(s.IsCertification);
        Assert.Equal(p, scan.DocMdpPermission);
        Assert.True(s.ModificationsAfter == expected, Details(s));
        if (expected == ModificationLevel.Other) Assert.Contains(s.ModificationDetails, d => d.Contains($"DocMDP P={p}"));
    }

    [Theory]
    [InlineData(2, ModificationLevel.Other)]
    [InlineData(3, ModificationLevel.Annotations)]
    public void Annotations_after_certification_are_allowed_only_with_p3(int p, ModificationLevel expected)
    {
        var s = PdfSignatureScan.Read(AddComment(Certified(p)).ToArray()).Signatures[0];
        Assert.True(s.ModificationsAfter == expected, Details(s));
    }

    [Fact]
    public void A_document_timestamp_after_a_p1_certification_is_allowed()
    {
        var bytes = Certified(1)
            .Object(3, Page + " /Annots [7 0 R 8 0 R 13 0 R] >>")
            .Object(10, "<< /Fields [7 0 R 8 0 R 13 0 R] /SigFlags 3 >>")
            .Object(13, "<< /FT /Sig /T (Timestamp1) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R /V 14 0 R >>")
            .SignatureDictionary(14, type: "/DocTimeStamp", subFilter: "/ETSI.RFC3161")
            .XrefTable().ToArray();
        var s = PdfSignatureScan.Read(bytes).Signatures[0];
        Assert.True(s.ModificationsAfter == ModificationLevel.None, Details(s));
        Assert.Empty(s.StructureProblems);
    }

    [Fact]
    public void A_certification_signature_that_is_not_the_first_is_a_problem()
    {
        var bytes = SignedOnePage()
            .Object(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm 10 0 R /Perms << /DocMDP 12 0 R >> >>")
            .Object(3, Page + " /Annots [7 0 R 8 0 R 11 0 R] >>")
            .Object(10, "<< /Fields [7 0 R 8 0 R 11 0 R] /SigFlags 3 >>")
            .Object(11, "<< /FT /Sig /T (Cert) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 132 /P 3 0 R /V 12 0 R >>")
            .SignatureDictionary(12, extra: "/Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /P 1 >> >>] ")
            .XrefTable().ToArray();
        var scan = PdfSignatureScan.Read(bytes);
        var certification = scan.Signatures[1];
        Assert.True(certification.IsCertification);
        Assert.Contains("Chữ ký chứng nhận (DocMDP) không phải là chữ ký đầu tiên của tài liệu.", certification.StructureProblems);
    }
}
