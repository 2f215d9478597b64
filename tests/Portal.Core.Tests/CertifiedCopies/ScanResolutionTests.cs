using Portal.Core.CertifiedCopies;
using Portal.Core.Documents;
using Portal.Tests.Shared;

namespace Portal.Core.Tests.CertifiedCopies;

public sealed class ScanResolutionTests
{
    [Theory]
    [InlineData(1, 300, 300, 300)]          // JFIF in dots per inch
    [InlineData(2, 79, 79, 200.66)]         // JFIF in dots per centimetre
    [InlineData(1, 300, 150, 150)]          // the lower of the two axes counts
    public void A_jpeg_with_a_jfif_density_is_measured_by_it(byte units, int x, int y, double dpi)
    {
        var image = ScanResolution.Image(TestScans.JpegHeader(2480, 3508, jfif: (units, (ushort)x, (ushort)y)))!;
        Assert.Equal(DpiSource.Declared, image.Source);
        Assert.Equal(dpi, image.Dpi, 2);
    }

    [Theory]
    [InlineData(true, (ushort)2, 72, 72)]
    [InlineData(false, (ushort)2, 240, 240)]
    [InlineData(true, (ushort)3, 118, 299.72)]   // EXIF in centimetres
    public void A_jpeg_without_jfif_density_is_measured_by_its_exif_resolution(bool little, ushort unit, uint value, double dpi)
    {
        var header = TestScans.JpegHeader(1000, 1400, jfif: (0, 1, 1), exif: (value, value, unit, little));
        var image = ScanResolution.Image(header)!;
        Assert.Equal(DpiSource.Declared, image.Source);
        Assert.Equal(dpi, image.Dpi, 2);
    }

    [Fact]
    public void A_jpeg_without_any_density_is_taken_as_an_a4_page()
    {
        var image = ScanResolution.Image(TestScans.JpegHeader(TestScans.A4Width200, TestScans.A4Height200))!;
        Assert.Equal(DpiSource.A4, image.Source);
        Assert.Equal(200, Math.Round(image.Dpi));
        var landscape = ScanResolution.Image(TestScans.JpegHeader(1754, 1240))!;   // A4 landscape at 150 dpi
        Assert.Equal(150, Math.Round(landscape.Dpi));
    }

    [Fact]
    public void A_png_is_measured_by_its_phys_chunk_else_as_a4()
    {
        Assert.Equal(300, Math.Round(ScanResolution.Image(TestScans.Png(300, 400, 300))!.Dpi));
        var noDensity = ScanResolution.Image(TestScans.Png(1240, 1754, null))!;
        Assert.Equal(DpiSource.A4, noDensity.Source);
        Assert.Equal(150, Math.Round(noDensity.Dpi));
    }

    [Fact]
    public void An_image_is_placed_at_its_resolution()
    {
        var image = ScanResolution.Image(TestScans.Png(TestScans.A4Width200, TestScans.A4Height200, 200))!;
        Assert.InRange(image.WidthPoints, 595, 596);    // 210 mm
        Assert.InRange(image.HeightPoints, 841.5, 842.5);   // 297 mm
    }

    [Fact]
    public void A_real_jpeg_from_a_scanner_reports_its_pages_and_resolution()
    {
        var report = ScanResolution.Measure(TestScans.Jpeg(200))!;
        Assert.Equal(FileType.Jpeg, report.Type);
        Assert.Equal(1, report.PageCount);
        Assert.Equal(200, report.MinDpi);
        Assert.Null(report.FirstPageBelow(200));
        Assert.Equal(1, ScanResolution.Measure(TestScans.Jpeg(150))!.FirstPageBelow(200));
    }

    [Fact]
    public void A_pdf_of_scanned_pages_is_measured_page_by_page()
    {
        var pdf = TestScans.PdfOfImages(TestScans.Png(1654, 2339, null), TestScans.Png(1240, 1754, null), TestScans.Png(2480, 3508, null));
        var report = ScanResolution.Measure(pdf)!;
        Assert.Equal(FileType.Pdf, report.Type);
        Assert.Equal(3, report.PageCount);
        Assert.All(report.Pages, p => Assert.Equal(DpiSource.PageImage, p.Source));
        Assert.Equal([200.0, 150.0, 300.0], report.Pages.Select(p => Math.Round(p.Dpi!.Value)));
        Assert.Equal(2, report.FirstPageBelow(200));
    }

    [Fact]
    public void A_typed_pdf_page_is_not_a_scan_and_is_not_measured()
    {
        var report = ScanResolution.Measure(TestPdfs.Pages(2, "Van ban danh may", 0))!;
        Assert.Equal(2, report.PageCount);
        Assert.All(report.Pages, p => Assert.Equal(DpiSource.NotAScan, p.Source));
        Assert.Null(report.MinDpi);
        Assert.Null(report.FirstPageBelow(200));
    }

    [Fact]
    public void An_image_much_smaller_than_its_page_is_a_logo_not_a_scan()
    {
        // A 4:1 banner on an A4 page: its shape does not match the page's, so it says nothing about a scan.
        var report = ScanResolution.Measure(BannerPdf())!;
        Assert.Equal(DpiSource.NotAScan, Assert.Single(report.Pages).Source);
    }

    static byte[] BannerPdf()
    {
        PortalFonts.EnsureInstalled();
        using var document = new PdfSharp.Pdf.PdfDocument();
        var page = document.AddPage();
        using (var gfx = PdfSharp.Drawing.XGraphics.FromPdfPage(page))
        using (var image = PdfSharp.Drawing.XImage.FromStream(new MemoryStream(TestScans.Png(400, 100, null))))
            gfx.DrawImage(image, 50, 50, 200, 50);
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    [Fact]
    public void A_pdf_with_a_password_is_refused_because_its_pages_cannot_be_copied()
    {
        PortalFonts.EnsureInstalled();
        using var document = new PdfSharp.Pdf.PdfDocument();
        var page = document.AddPage();
        using (var gfx = PdfSharp.Drawing.XGraphics.FromPdfPage(page))
        using (var image = PdfSharp.Drawing.XImage.FromStream(new MemoryStream(TestScans.Png(1654, 2339, null))))
            gfx.DrawImage(image, 0, 0, page.Width.Point, page.Height.Point);
        document.SecuritySettings.UserPassword = "bi-mat";
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        var refused = Assert.IsType<ScanUpload.Verdict.Refused>(ScanUpload.Check("co-mat-khau.pdf", FileType.Pdf, output.ToArray()));
        Assert.Contains("có mật khẩu hoặc được mã hóa", refused.Message);
    }

    [Fact]
    public void Files_that_are_not_scans_or_cannot_be_read_give_no_report()
    {
        Assert.Null(ScanResolution.Measure("Không phải ảnh"u8.ToArray()));
        Assert.Null(ScanResolution.Measure(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00 }));   // a JPEG cut in its first segment
        Assert.Null(ScanResolution.Measure("%PDF-1.7\nrác"u8.ToArray()));
    }

    [Fact]
    public void The_upload_check_refuses_in_vietnamese_and_says_what_to_do()
    {
        var low = Assert.IsType<ScanUpload.Verdict.Refused>(ScanUpload.Check("ban-chinh.jpg", FileType.Jpeg, TestScans.Jpeg(150)));
        Assert.Contains("khoảng 150 dpi", low.Message);
        Assert.Contains("Hãy quét lại bản chính ở độ phân giải 200 dpi trở lên", low.Message);
        var guessed = Assert.IsType<ScanUpload.Verdict.Refused>(ScanUpload.Check("anh.png", FileType.Png, TestScans.Png(1240, 1754, null)));
        Assert.Contains("so với khổ A4", guessed.Message);
        var word = Assert.IsType<ScanUpload.Verdict.Refused>(ScanUpload.Check("don.docx", FileType.Docx, "PK"u8.ToArray()));
        Assert.Contains("phải là tệp PDF, JPG hoặc PNG", word.Message);
        var page2 = Assert.IsType<ScanUpload.Verdict.Refused>(ScanUpload.Check("ban-quet.pdf", FileType.Pdf,
            TestScans.PdfOfImages(TestScans.Png(1654, 2339, null), TestScans.Png(1240, 1754, null))));
        Assert.Contains("(trang 2)", page2.Message);
        var ok = Assert.IsType<ScanUpload.Verdict.Accepted>(ScanUpload.Check("ban-chinh.jpg", FileType.Jpeg, TestScans.Jpeg(200)));
        Assert.Equal((1, 200), (ok.Pages, ok.Dpi));
    }
}
