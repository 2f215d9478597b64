using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Portal.Core.Dossiers;
using Portal.Core.Tests.Documents;

namespace Portal.Core.Tests.Dossiers;

public sealed partial class ReceiptPdfTests
{
    const string Code = "000.00.12.H56-260227-0037";

    public static Receipt Sample(int documents = 3, string? demo = null) => new()
    {
        SiteName = "Cổng Dịch vụ công tỉnh Bình Sơn",
        ProvinceName = "tỉnh Bình Sơn",
        DossierCode = Code,
        LookupUrl = $"https://dichvucong.binhson.gov.vn/tra-cuu?ma={Code}",
        ProcedureCode = "1.001193.000.00.00.H56",
        ProcedureName = "Đăng ký khai sinh",
        AgencyName = "Ủy ban nhân dân xã Bình Minh, huyện Đông Hải",
        ApplicantName = "Nguyễn Thị Hường",
        ApplicantAddress = "Số 12, đường Trần Hưng Đạo, thôn Phước Lộc, xã Bình Minh, huyện Đông Hải, tỉnh Bình Sơn",
        Phone = "0912 345 678",
        Email = "huong.nguyen@example.vn",
        IdNumber = "056190001234",
        OwnerName = "Trần Gia Bảo",
        SubmittedAt = DateTimeOffset.Parse("2026-02-27T02:05:00Z", CultureInfo.InvariantCulture),   // 09:05 in Vietnam
        DueAt = DateTimeOffset.Parse("2026-03-02T09:05:00+07:00", CultureInfo.InvariantCulture),
        DueExplanation = "Thời hạn giải quyết 1 ngày làm việc kể từ khi hồ sơ được tiếp nhận; ngày hẹn sẽ được xác định lại khi tiếp nhận.",
        DeliveryMethod = "Nhận kết quả trực tuyến",
        Documents = [.. Enumerable.Range(1, documents).Select(i => new ReceiptDocument(
            i == 1 ? "Tờ khai đăng ký khai sinh theo mẫu" : $"Giấy tờ số {i}: bản sao giấy chứng sinh hoặc văn bản của người làm chứng",
            i % 3 == 0 ? [] : [$"giay-to-{i:00}_ban-chup.pdf", $"giay-to-{i:00}_trang-2.jpg"]))],
        Hotline = "1900 1234",
        DemoMarker = demo,
    };

    static readonly Lazy<byte[]> Default = new(() => ReceiptPdf.Build(Sample()));

    [Fact]
    public void Every_font_is_embedded_and_none_is_type_3()
    {
        var fonts = PdfTools.Fonts(Default.Value);
        var rows = fonts.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();   // after the two header lines

        Assert.NotEmpty(rows);
        Assert.DoesNotContain("Type 3", fonts);
        Assert.All(rows, row => Assert.Matches(@"\s+yes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", row));   // emb sub uni obj gen
        Assert.All(rows, row => Assert.Contains("Noto", row));
    }

    [Fact]
    public void The_text_is_extractable_with_every_diacritic()
    {
        var text = Flat(PdfTools.Text(Default.Value));

        foreach (var expected in new[]
        {
            Code, "Đăng ký khai sinh", "Nguyễn Thị Hường", "Ủy ban nhân dân xã Bình Minh", "Trần Gia Bảo",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "CỔNG DỊCH VỤ CÔNG TỈNH BÌNH SƠN",
            "GIẤY XÁC NHẬN NỘP HỒ SƠ TRỰC TUYẾN", ReceiptPdf.NotYetReceived,
            "09:05, 27/02/2026", "09:05, 02/03/2026", "Bình Sơn, ngày 27 tháng 02 năm 2026",
            "Nhận kết quả trực tuyến", "1.001193.000.00.00.H56", "056190001234", "0912 345 678",
            "Tra cứu hồ sơ tại https://dichvucong.binhson.gov.vn/tra-cuu bằng mã hồ sơ và số điện thoại hoặc số CCCD đã khai",
            "1900 1234", "giay-to-01_ban-chup.pdf", "Trang 1/1",
        })
            Assert.Contains(Flat(expected), text);
        Assert.DoesNotContain("?ma=", text);                      // the footer shows the lookup page, not the query
    }

    [Fact]
    public void Text_given_in_nfd_comes_out_in_nfc()
    {
        var pdf = ReceiptPdf.Build(Sample() with { ApplicantName = "Nguyễn Thị Hường".Normalize(NormalizationForm.FormD) });
        var text = PdfTools.WithFile(pdf, path => PdfTools.Run("pdftotext", "-enc", "UTF-8", path, "-"));

        Assert.Contains("Nguyễn Thị Hường", Flat(text));         // already NFC before any normalisation on our side
    }

    [Fact]
    public void The_page_is_a5_portrait_with_title_and_creator()
    {
        var info = PdfTools.Info(Default.Value);

        Assert.Matches(@"Page size:\s+419\.5\d* x 595\.2\d* pts", info);      // ISO A5, 148 × 210 mm
        Assert.Matches(@"Pages:\s+1\n", info);
        Assert.Contains("Creator:         Portal", info);
        Assert.Contains($"Title:           Giấy xác nhận nộp hồ sơ trực tuyến {Code}", info.Normalize(NormalizationForm.FormC));
    }

    [Fact]
    public void The_qr_code_opens_the_lookup_url()
    {
        Assert.Equal([Sample().LookupUrl], PdfTools.QrCodes(Default.Value));
    }

    [Fact]
    public void Thirty_documents_flow_onto_more_pages_with_every_file_name()
    {
        var receipt = Sample(documents: 30);
        var pdf = ReceiptPdf.Build(receipt);
        var text = Flat(PdfTools.Text(pdf));
        var pages = int.Parse(PagesLine().Match(PdfTools.Info(pdf)).Groups[1].Value, CultureInfo.InvariantCulture);

        Assert.True(pages >= 2, $"{pages} page(s)");
        foreach (var file in receipt.Documents.SelectMany(d => d.Files)) Assert.Contains(file, text);
        Assert.Contains($"Trang {pages}/{pages}", text);
        Assert.Contains($"Mã hồ sơ {Code} (tiếp theo)", text);  // every page names the dossier
        Assert.Contains("30", text);
    }

    [Fact]
    public void A_document_with_very_many_files_is_split_across_pages()
    {
        var files = Enumerable.Range(1, 120).Select(i => $"anh-chup-trang-{i:000}.jpg").ToList();
        var receipt = Sample(documents: 1) with { Documents = [new ReceiptDocument("Hồ sơ thiết kế", files)] };
        var pdf = ReceiptPdf.Build(receipt);
        var text = Flat(PdfTools.Text(pdf));

        foreach (var file in files) Assert.Contains(file, text);
        PdfTools.WithFile(pdf, path => PdfTools.Run("qpdf", "--check", path));
    }

    [Fact]
    public void The_demo_marker_is_printed_on_every_page()
    {
        const string marker = "DỮ LIỆU MẪU – KHÔNG CÓ GIÁ TRỊ PHÁP LÝ";
        var one = Flat(PdfTools.Text(ReceiptPdf.Build(Sample(demo: marker))));
        var many = PdfTools.Text(ReceiptPdf.Build(Sample(documents: 30, demo: marker)));
        var pages = many.Split('\f', StringSplitOptions.RemoveEmptyEntries).Where(p => p.Trim().Length > 0).ToList();

        Assert.Contains(marker, one);
        Assert.True(pages.Count >= 2);
        Assert.All(pages, page => Assert.Contains(marker, Flat(page)));
        Assert.DoesNotContain(marker, Flat(PdfTools.Text(Default.Value)));
    }

    [Fact]
    public void Optional_fields_left_empty_leave_no_row()
    {
        var pdf = ReceiptPdf.Build(Sample() with { OwnerName = null, Email = null, IdNumber = null, ApplicantAddress = null, DueAt = null });
        var text = Flat(PdfTools.Text(pdf));

        Assert.DoesNotContain("Chủ hồ sơ", text);
        Assert.DoesNotContain("Thư điện tử", text);
        Assert.Contains("Chưa xác định", text);
    }

    [Fact]
    public void Qpdf_finds_the_file_well_formed()
    {
        var output = PdfTools.WithFile(Default.Value, path => PdfTools.Run("qpdf", "--check", path));

        Assert.Contains("No syntax or stream encoding errors found", output);
    }

    [Fact]
    public void The_same_receipt_gives_the_same_pages()
    {
        var a = PdfTools.Text(ReceiptPdf.Build(Sample(documents: 30)));
        var b = PdfTools.Text(ReceiptPdf.Build(Sample(documents: 30)));

        Assert.Equal(a, b);
    }

    [Fact]
    public void Receipts_can_be_built_in_parallel()
    {
        var sizes = Enumerable.Range(0, 8).AsParallel().Select(i => ReceiptPdf.Build(Sample(documents: i)).Length).ToList();

        Assert.All(sizes, size => Assert.True(size > 10_000));
    }

    /// <summary>pdftotext lays text out in lines; wrapped cells and columns are compared with runs of white space as one space.</summary>
    static string Flat(string s) => Spaces().Replace(s.Normalize(NormalizationForm.FormC), " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"Pages:\s+(\d+)")]
    private static partial Regex PagesLine();
}
