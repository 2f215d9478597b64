using System.Globalization;
using System.Text.RegularExpressions;
using Portal.Core.CertifiedCopies;
using Portal.Core.Documents;
using Portal.Core.Tests.Documents;
using Portal.Tests.Shared;

namespace Portal.Core.Tests.CertifiedCopies;

public sealed class CopyPdfTests
{
    static CopyStatement Statement(string? demo = null) => new()
    {
        AgencyName = "Ủy ban nhân dân xã Tân Phước", ProvinceName = "tỉnh Bình Sơn", BookNumber = "7/2026/SCT/BS-ĐT",
        IssuedAt = DateTimeOffset.Parse("2026-11-23T02:30:00Z", CultureInfo.InvariantCulture),   // 09:30 in Vietnam
        SignerName = "Trần Văn Bình", SignerTitle = "Lãnh đạo cơ quan", DossierCode = "000.22.01.H99-261123-0001",
        Copies = 2, FeeVnd = 8_000, VerifyUrl = "https://dvc.test/xac-thuc/ABCDEFGHIJKLMNOP", VerifyCode = "ABCDEFGHIJKLMNOP",
        DemoMarker = demo,
    };

    static readonly Lazy<byte[]> Copy = new(() => CopyPdf.Build(
    [
        new ScanFile("trang-1.png", TestScans.Png(TestScans.A4Width200, TestScans.A4Height200, 200), FileType.Png),
        new ScanFile("trang-2-3.pdf", TestScans.PdfOfImages(TestScans.Png(1654, 2339, null), TestScans.Png(2339, 1654, null)), FileType.Pdf),
    ], Statement()));

    [Fact]
    public void The_scanned_pages_come_first_at_their_own_size_then_the_statement_page()
    {
        var info = PdfTools.Info(Copy.Value);
        Assert.Matches(@"Pages:\s+4", info);
        var sizes = PdfTools.WithFile(Copy.Value, path => PdfTools.Run("pdfinfo", "-f", "1", "-l", "4", path));
        var pages = Regex.Matches(sizes, @"Page\s+(\d) size:\s+([\d.]+) x ([\d.]+)").Select(m => (W: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            H: double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(4, pages.Count);
        Assert.InRange(pages[0].W, 595, 596);     // the PNG at 200 dpi: 1654 px = 210 mm
        Assert.InRange(pages[0].H, 841.5, 842.5);
        Assert.Equal((595, 842), ((int)Math.Round(pages[1].W), (int)Math.Round(pages[1].H)));   // imported as it was
        Assert.Equal((595, 842), ((int)Math.Round(pages[3].W), (int)Math.Round(pages[3].H)));   // the statement, A4
    }

    [Fact]
    public void The_statement_and_the_stamp_are_there_in_vietnamese_text()
    {
        var text = Regex.Replace(PdfTools.Text(Copy.Value), @"\s+", " ");
        foreach (var expected in new[]
        {
            "BẢN SAO ĐIỆN TỬ CHỨNG THỰC TỪ BẢN CHÍNH", "2026-11-23T09:30:00+07:00", "Bản sao chứng thực số 7/2026/SCT/BS-ĐT — trang 2/3",
            CopyPdf.Statement, "Số chứng thực: 7/2026/SCT/BS-ĐT", "gồm 03 trang", "NGƯỜI THỰC HIỆN CHỨNG THỰC", "Trần Văn Bình",
            "Lãnh đạo cơ quan", "Số bản sao: 2. Phí chứng thực: 8.000 đồng.", "https://dvc.test/xac-thuc/ABCDEFGHIJKLMNOP",
            "ỦY BAN NHÂN DÂN XÃ TÂN PHƯỚC", "Bình Sơn, ngày 23 tháng 11 năm 2026",
        })
            Assert.Contains(expected, text);
    }

    [Fact]
    public void Fonts_are_embedded_noto_and_the_file_is_well_formed()
    {
        var fonts = PdfTools.Fonts(Copy.Value);
        Assert.DoesNotContain("Type 3", fonts);
        Assert.All(fonts.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2), row => Assert.Contains("Noto", row));
        PdfTools.WithFile(Copy.Value, path => PdfTools.Run("qpdf", "--check", path));
    }

    [Fact]
    public void The_qr_code_opens_the_verification_page()
    {
        var statementPage = PdfTools.WithFile(Copy.Value, path =>
        {
            var prefix = Path.Combine(Path.GetDirectoryName(path)!, "page");
            PdfTools.Run("pdftoppm", "-r", "150", "-png", "-f", "4", "-l", "4", "-singlefile", path, prefix);
            return PdfTools.Run("zbarimg", "--raw", "-q", prefix + ".png").Trim();
        });
        Assert.Equal("https://dvc.test/xac-thuc/ABCDEFGHIJKLMNOP", statementPage);
    }

    [Fact]
    public void The_demo_marker_is_on_every_page()
    {
        var copy = CopyPdf.Build([new ScanFile("a.png", TestScans.Png(827, 1170, 100), FileType.Png)], Statement("DEMO - KHÔNG CÓ GIÁ TRỊ PHÁP LÝ"));
        var perPage = PdfTools.WithFile(copy, path => Enumerable.Range(1, 2)
            .Select(p => PdfTools.Run("pdftotext", "-enc", "UTF-8", "-f", p.ToString(CultureInfo.InvariantCulture), "-l", p.ToString(CultureInfo.InvariantCulture), path, "-")
                .Normalize(System.Text.NormalizationForm.FormC)).ToList());
        Assert.All(perPage, page => Assert.Contains("DEMO - KHÔNG CÓ GIÁ TRỊ PHÁP LÝ", page));
    }
}
