using System.Globalization;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;
using Portal.Core.Deadlines;
using Portal.Core.Documents;

namespace Portal.Core.CertifiedCopies;

/// <summary>One scanned file of the original, in the order its pages appear in the copy.</summary>
public sealed record ScanFile(string FileName, byte[] Bytes, FileType Type);

/// <summary>What the certification statement (lời chứng) of an electronic copy says.</summary>
public sealed record CopyStatement
{
    public required string AgencyName { get; init; }
    public required string ProvinceName { get; init; }
    /// <summary>"15/2026/SCT/BS-ĐT": the number in the year's electronic-copy book.</summary>
    public required string BookNumber { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public required string SignerName { get; init; }
    public required string SignerTitle { get; init; }
    public required string DossierCode { get; init; }
    public required int Copies { get; init; }
    public required long FeeVnd { get; init; }
    /// <summary>The public verification page the QR code opens (/xac-thuc/{code}).</summary>
    public required string VerifyUrl { get; init; }
    public required string VerifyCode { get; init; }
    public string? DemoMarker { get; init; }
}

/// <summary>
/// The unsigned electronic certified copy (DOMAIN.md §8.1): the scanned pages at 100 % (pages of a scanned PDF imported
/// as they are, an image on a page of its own size at its resolution), a certification stamp at the top right of
/// page 1 (Decree 30/2020 Annex I: copy type, copying agency, signing time in ISO 8601 Vietnam time, 10 pt, black — in
/// Noto Serif, the serif face Portal embeds, for Times New Roman) and a running line on the other pages, then a last
/// page with the certification statement (Circular 01/2020/TT-BTP wording "Chứng thực bản sao đúng với bản chính",
/// number, date, the certifying person) and the QR code of the public verification page. The agency's signature is
/// added afterwards by <see cref="Signatures.PadesSigner"/> as an incremental update; PDFsharp never touches the
/// signed file (SIGNATURES.md §12).
/// </summary>
public static class CopyPdf
{
    public const string Statement = "CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH";
    const double Margin = 56;           // ≈ 20 mm
    static readonly XColor Red = XColor.FromArgb(176, 0, 32);
    static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    public static byte[] Build(IReadOnlyList<ScanFile> scans, CopyStatement s)
    {
        ArgumentOutOfRangeException.ThrowIfZero(scans.Count);
        PortalFonts.EnsureInstalled();
        using var document = new PdfDocument();
        document.Info.Title = Nfc($"Bản sao chứng thực số {s.BookNumber}");
        document.Info.Subject = Nfc($"{Statement} — {s.AgencyName}");
        document.Info.Creator = "Portal";
        document.Info.CreationDate = s.IssuedAt.UtcDateTime;
        document.Options.CompressContentStreams = true;

        foreach (var scan in scans) AddScan(document, scan);
        var scanned = document.PageCount;
        var unicode = new XPdfFontOptions(PdfFontEncoding.Unicode);
        var stamp = new XFont(PortalFonts.Serif, 10, XFontStyleEx.Regular, unicode);
        var stampBold = new XFont(PortalFonts.Serif, 10, XFontStyleEx.Bold, unicode);
        for (var i = 0; i < scanned; i++)
        {
            using var gfx = XGraphics.FromPdfPage(document.Pages[i], XGraphicsPdfPageOptions.Append);
            var lines = i == 0
                ? new List<(string, XFont)>
                {
                    ("BẢN SAO ĐIỆN TỬ CHỨNG THỰC TỪ BẢN CHÍNH", stampBold),
                    (s.AgencyName, stamp),
                    ($"Số chứng thực: {s.BookNumber}", stamp),
                    (LegalTime.Local(s.IssuedAt).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), stamp),
                }
                : [($"Bản sao chứng thực số {s.BookNumber} — trang {i + 1}/{scanned}", stamp)];
            if (s.DemoMarker is { Length: > 0 } demo) lines.Insert(0, (demo, stampBold));
            Stamp(gfx, document.Pages[i], lines, s.DemoMarker is { Length: > 0 });
        }
        StatementPage(document, s, scanned, unicode);

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return ZlibTrailer.Complete(output.ToArray());
    }

    static void AddScan(PdfDocument document, ScanFile scan)
    {
        if (scan.Type == FileType.Pdf)
        {
            using var source = PdfReader.Open(new MemoryStream(scan.Bytes, writable: false), PdfDocumentOpenMode.Import);
            foreach (var page in source.Pages) document.AddPage(page);
            return;
        }
        var image = ScanResolution.Image(scan.Bytes)
            ?? throw new InvalidOperationException($"Tệp {scan.FileName} không đọc được như ảnh JPEG hoặc PNG.");
        var pdfPage = document.AddPage();
        pdfPage.Width = XUnit.FromPoint(image.WidthPoints);
        pdfPage.Height = XUnit.FromPoint(image.HeightPoints);
        using var gfx = XGraphics.FromPdfPage(pdfPage);
        using var x = XImage.FromStream(new MemoryStream(scan.Bytes, writable: false));
        gfx.DrawImage(x, 0, 0, image.WidthPoints, image.HeightPoints);
    }

    /// <summary>Text lines right-aligned in a white box at the page's top right corner, so they stay legible over a scan.</summary>
    static void Stamp(XGraphics gfx, PdfPage page, List<(string Text, XFont Font)> lines, bool demo)
    {
        const double pad = 4, inset = 12;
        var lineHeight = 12.5;
        var width = lines.Max(l => gfx.MeasureString(Nfc(l.Text), l.Font).Width) + 2 * pad;
        var maxWidth = page.Width.Point - 2 * inset;
        width = Math.Min(width, maxWidth);
        var height = lines.Count * lineHeight + 2 * pad;
        var x = page.Width.Point - inset - width;
        gfx.DrawRectangle(new XPen(XColors.Black, 0.6), XBrushes.White, x, inset, width, height);
        var y = inset + pad;
        for (var i = 0; i < lines.Count; i++)
        {
            var brush = demo && i == 0 ? new XSolidBrush(Red) : XBrushes.Black;
            gfx.DrawString(Nfc(lines[i].Text), lines[i].Font, brush, new XRect(x + pad, y, width - 2 * pad, lineHeight), XStringFormats.TopRight);
            y += lineHeight;
        }
    }

    static void StatementPage(PdfDocument document, CopyStatement s, int scanned, XPdfFontOptions unicode)
    {
        var page = document.AddPage();
        page.Width = XUnit.FromMillimeter(210);
        page.Height = XUnit.FromMillimeter(297);
        using var gfx = XGraphics.FromPdfPage(page);
        var serif = new XFont(PortalFonts.Serif, 12, XFontStyleEx.Regular, unicode);
        var serifBold = new XFont(PortalFonts.Serif, 12, XFontStyleEx.Bold, unicode);
        var serifItalic = new XFont(PortalFonts.Serif, 12, XFontStyleEx.Italic, unicode);
        var title = new XFont(PortalFonts.Serif, 15, XFontStyleEx.Bold, unicode);
        var small = new XFont(PortalFonts.Sans, 9, XFontStyleEx.Regular, unicode);
        var width = page.Width.Point - 2 * Margin;
        var y = Margin;

        if (s.DemoMarker is { Length: > 0 } demo)
        {
            gfx.DrawRectangle(new XPen(Red, 1.2), Margin, y, width, 22);
            gfx.DrawString(Nfc(demo), serifBold, new XSolidBrush(Red), new XRect(Margin, y + 4, width, 16), XStringFormats.TopCenter);
            y += 34;
        }

        // The agency on the left, the national motto on the right (Decree 30/2020 layout).
        var half = width / 2;
        var left = Centered(gfx, Nfc(s.AgencyName).ToUpper(Vietnamese), serifBold, Margin, half - 8, y);
        var leftCentre = Margin + (half - 8) / 2;
        gfx.DrawLine(new XPen(XColors.Black, 0.6), leftCentre - 30, left + 2, leftCentre + 30, left + 2);
        var right = Centered(gfx, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", new XFont(PortalFonts.Serif, 11, XFontStyleEx.Bold, unicode), Margin + half, half, y);
        right = Centered(gfx, "Độc lập - Tự do - Hạnh phúc", serifBold, Margin + half, half, right);
        var motto = gfx.MeasureString("Độc lập - Tự do - Hạnh phúc", serifBold).Width;
        gfx.DrawLine(new XPen(XColors.Black, 0.6), Margin + half + (half - motto) / 2, right + 2, Margin + half + (half + motto) / 2, right + 2);
        y = Math.Max(left, right) + 36;

        y = Centered(gfx, "LỜI CHỨNG", title, Margin, width, y) + 4;
        y = Centered(gfx, Statement, title, Margin, width, y) + 24;

        var pages = scanned == 1 ? "gồm 01 trang (trang 1 của tệp này)" : $"gồm {scanned:00} trang (các trang 1–{scanned} của tệp này)";
        y = Paragraph(gfx, $"Bản sao điện tử {pages} được chứng thực từ bản chính giấy tờ, văn bản do người yêu cầu chứng thực xuất trình "
            + $"tại {s.AgencyName}. Người thực hiện chứng thực đã đối chiếu bản sao với bản chính.", serif, Margin, width, y) + 10;
        y = Paragraph(gfx, $"Số chứng thực: {s.BookNumber}", serifBold, Margin, width, y);
        y = Paragraph(gfx, $"Sổ chứng thực bản sao điện tử năm {LegalTime.Local(s.IssuedAt).Year.ToString(CultureInfo.InvariantCulture)} của {s.AgencyName}.", serif, Margin, width, y);
        y = Paragraph(gfx, $"Số bản sao: {s.Copies.ToString(CultureInfo.InvariantCulture)}. Phí chứng thực: {CopyFee.Vnd(s.FeeVnd)}.", serif, Margin, width, y);
        y = Paragraph(gfx, $"Mã hồ sơ: {s.DossierCode}", serif, Margin, width, y) + 18;

        var local = LegalTime.Local(s.IssuedAt);
        var place = string.Create(CultureInfo.InvariantCulture, $"{Place(Nfc(s.ProvinceName))}, ngày {local:dd} tháng {local:MM} năm {local:yyyy}");
        var at = Centered(gfx, place, serifItalic, Margin + half, half, y) + 6;
        at = Centered(gfx, "NGƯỜI THỰC HIỆN CHỨNG THỰC", serifBold, Margin + half, half, at);
        at = Centered(gfx, "(Đã ký số)", serifItalic, Margin + half, half, at) + 30;
        at = Centered(gfx, s.SignerName, serifBold, Margin + half, half, at);
        at = Centered(gfx, s.SignerTitle, serif, Margin + half, half, at);
        y = at + 40;

        // The QR code and what it is for, at the foot of the page.
        const double qr = 96;
        var qrTop = Math.Max(y, page.Height.Point - Margin - qr);
        QrCode.DrawPdf(gfx, s.VerifyUrl, new XRect(Margin, qrTop, qr, qr));
        var textX = Margin + qr + 10;
        var t = qrTop + 12;
        t = Paragraph(gfx, "Kiểm tra bản sao này: quét mã QR hoặc mở", small, textX, width - qr - 10, t);
        t = Paragraph(gfx, s.VerifyUrl, small, textX, width - qr - 10, t);
        t = Paragraph(gfx, $"Mã xác thực: {s.VerifyCode}", small, textX, width - qr - 10, t);
        Paragraph(gfx, "Trang kiểm tra cho biết bản sao có do cơ quan cấp hay không và so khớp tệp bạn có với bản đã cấp.", small, textX, width - qr - 10, t);
    }

    static double Centered(XGraphics gfx, string text, XFont font, double x, double width, double y)
    {
        var lineHeight = font.Size * 1.35;
        foreach (var line in TextWrap.Lines(gfx, Nfc(text), font, width))
        {
            gfx.DrawString(line, font, XBrushes.Black, new XRect(x, y, width, lineHeight), XStringFormats.TopCenter);
            y += lineHeight;
        }
        return y;
    }

    static double Paragraph(XGraphics gfx, string text, XFont font, double x, double width, double y)
    {
        var lineHeight = font.Size * 1.35;
        foreach (var line in TextWrap.Lines(gfx, Nfc(text), font, width))
        {
            gfx.DrawString(line, font, XBrushes.Black, new XRect(x, y, width, lineHeight), XStringFormats.TopLeft);
            y += lineHeight;
        }
        return y;
    }

    static string Nfc(string s) => s.IsNormalized(NormalizationForm.FormC) ? s : s.Normalize(NormalizationForm.FormC);

    /// <summary>"tỉnh Bình Sơn" → "Bình Sơn": the place line names the place alone.</summary>
    static string Place(string province)
    {
        foreach (var prefix in new[] { "tỉnh ", "thành phố " })
            if (province.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return province[prefix.Length..];
        return province;
    }
}
