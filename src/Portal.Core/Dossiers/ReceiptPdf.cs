using System.Globalization;
using System.Text;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Portal.Core.Deadlines;
using Portal.Core.Documents;

namespace Portal.Core.Dossiers;

/// <summary>One required or optional document and the names of the files uploaded for it.</summary>
public sealed record ReceiptDocument(string Name, IReadOnlyList<string> Files);

/// <summary>What the acknowledgement of an online submission shows (DOMAIN.md §4.2 as far as it applies).</summary>
public sealed record Receipt
{
    public required string SiteName { get; init; }
    public required string ProvinceName { get; init; }
    public required string DossierCode { get; init; }
    /// <summary>The absolute URL the QR code opens (the public lookup with the code filled in).</summary>
    public required string LookupUrl { get; init; }
    public required string ProcedureCode { get; init; }
    public required string ProcedureName { get; init; }
    /// <summary>The receiving unit.</summary>
    public required string AgencyName { get; init; }
    public required string ApplicantName { get; init; }
    public string? ApplicantAddress { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
    /// <summary>CCCD number or tax code.</summary>
    public string? IdNumber { get; init; }
    /// <summary>The dossier owner, when not the applicant.</summary>
    public string? OwnerName { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
    /// <summary>The expected appointment, when one can be computed before reception.</summary>
    public DateTimeOffset? DueAt { get; init; }
    public required string DueExplanation { get; init; }
    public required string DeliveryMethod { get; init; }
    public required IReadOnlyList<ReceiptDocument> Documents { get; init; }
    public required string Hotline { get; init; }
    /// <summary>Set for demo data: printed prominently on every page.</summary>
    public string? DemoMarker { get; init; }
}

/// <summary>
/// "Giấy xác nhận nộp hồ sơ trực tuyến": the A5 acknowledgement an applicant can print or keep right after submitting
/// online. It is not the Mẫu 01 receipt and appointment slip, which the unit issues at reception (DOMAIN.md §4.2); the
/// page says so. Layout after Vietnamese administrative forms: unit on the left, national motto on the right.
/// </summary>
public static class ReceiptPdf
{
    public const string Title = "GIẤY XÁC NHẬN NỘP HỒ SƠ TRỰC TUYẾN";
    public const string NotYetReceived = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả sẽ được gửi khi hồ sơ được tiếp nhận.";

    public static byte[] Build(Receipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        PortalFonts.EnsureInstalled();

        using var document = new PdfDocument();
        document.Info.Title = $"Giấy xác nhận nộp hồ sơ trực tuyến {receipt.DossierCode}";
        document.Info.Subject = Nfc(receipt.ProcedureName);
        document.Info.Creator = "Portal";
        document.Info.CreationDate = receipt.SubmittedAt.UtcDateTime;   // the same receipt gives the same dates
        document.Options.CompressContentStreams = true;

        var layout = new Layout(document, receipt);
        layout.Header();
        layout.CodeAndQr();
        layout.Fields();
        layout.DocumentTable();
        layout.Finish();

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return ZlibTrailer.Complete(output.ToArray());
    }

    static string Nfc(string s) => s.IsNormalized(NormalizationForm.FormC) ? s : s.Normalize(NormalizationForm.FormC);

    static string Moment(DateTimeOffset at) =>
        LegalTime.Local(at).ToString("HH:mm, dd/MM/yyyy", CultureInfo.InvariantCulture);

    sealed record Cell(double X, double Width, List<(string Text, XFont Font)> Lines, XBrush? Fill = null);

    /// <summary>A cursor down A5 pages: draws top to bottom and opens a new page when the next line would not fit.</summary>
    sealed class Layout
    {
        const double Margin = 28;             // ≈ 10 mm
        const double Pad = 2.5;               // cell padding
        const double QrSide = 90;             // ≈ 32 mm with the quiet zone; the symbol itself ≈ 26 mm
        static readonly XColor Rule = XColor.FromArgb(140, 140, 140);
        static readonly XColor Red = XColor.FromArgb(176, 0, 32);
        static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

        readonly PdfDocument document;
        readonly Receipt r;
        readonly List<PdfPage> pages = [];
        readonly XFont serifBold, serifBoldLarge, serifItalic, sans, sansBold, sansItalic, small, smallItalic, codeFont, titleFont;
        readonly XPen rulePen = new(Rule, 0.5);
        readonly XBrush shade = new XSolidBrush(XColor.FromArgb(238, 238, 238));
        XGraphics gfx = null!;
        double y, bottom, width;
        List<string> footer = [];
        bool fresh;                            // nothing drawn on this page below its running head yet

        public Layout(PdfDocument document, Receipt receipt)
        {
            this.document = document;
            r = receipt;
            // Unicode encoding: one embedded CID font per face with a ToUnicode map, so pdftotext gives back Vietnamese.
            var unicode = new XPdfFontOptions(PdfFontEncoding.Unicode);
            serifBold = new XFont(PortalFonts.Serif, 8, XFontStyleEx.Bold, unicode);
            serifBoldLarge = new XFont(PortalFonts.Serif, 8.5, XFontStyleEx.Bold, unicode);
            serifItalic = new XFont(PortalFonts.Serif, 8, XFontStyleEx.Italic, unicode);
            sans = new XFont(PortalFonts.Sans, 8, XFontStyleEx.Regular, unicode);
            sansBold = new XFont(PortalFonts.Sans, 8, XFontStyleEx.Bold, unicode);
            sansItalic = new XFont(PortalFonts.Sans, 8, XFontStyleEx.Italic, unicode);
            small = new XFont(PortalFonts.Sans, 7.5, XFontStyleEx.Regular, unicode);
            smallItalic = new XFont(PortalFonts.Sans, 7.5, XFontStyleEx.Italic, unicode);
            codeFont = new XFont(PortalFonts.Sans, 16, XFontStyleEx.Bold, unicode);
            titleFont = new XFont(PortalFonts.Sans, 12.5, XFontStyleEx.Bold, unicode);
            NewPage();
        }

        double Left => Margin;

        public void Header()
        {
            var top = y;
            var leftWidth = width * 0.42;
            var rightX = Left + leftWidth + 6;
            var rightWidth = width - leftWidth - 6;

            // Left: the unit, upper case, underlined with a short rule.
            var unit = Balanced(Nfc(r.SiteName).ToUpper(Vietnamese), serifBold, leftWidth);
            var leftBottom = Centered(unit, serifBold, Left, leftWidth, top);
            Underline(Left, leftWidth, leftBottom + 1.5, leftWidth * 0.35);

            // Right: the national motto (Decree 30/2020 layout), sized down to fit the column on one line.
            var nation = Fit("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", PortalFonts.Serif, XFontStyleEx.Bold, 8.5, rightWidth);
            var rightBottom = Centered(["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], nation, rightX, rightWidth, top);
            const string motto = "Độc lập - Tự do - Hạnh phúc";
            rightBottom = Centered([motto], serifBoldLarge, rightX, rightWidth, rightBottom);
            Underline(rightX, rightWidth, rightBottom + 1.5, gfx.MeasureString(motto, serifBoldLarge).Width);

            y = Math.Max(leftBottom, rightBottom) + 6;
            var local = LegalTime.Local(r.SubmittedAt);
            var place = $"{Place(Nfc(r.ProvinceName))}, ngày {local:dd} tháng {local:MM} năm {local:yyyy}";
            y = Centered(Lines(place, serifItalic, rightWidth), serifItalic, rightX, rightWidth, y) + 8;

            y = Centered(Lines(Title, titleFont, width), titleFont, Left, width, y) + 2;
            y = Centered(Lines(NotYetReceived, smallItalic, width), smallItalic, Left, width, y) + 8;
        }

        public void CodeAndQr()
        {
            var top = y;
            var textWidth = width - QrSide - 8;
            var x = Left + 6;
            var inner = textWidth - 6;

            var at = top + 6;
            at = Draw(Lines("Mã hồ sơ", sans, inner), sans, x, at);
            var code = Fit(r.DossierCode, PortalFonts.Sans, XFontStyleEx.Bold, codeFont.Size, inner);
            at = Draw([r.DossierCode], code, x, at + 1) + 4;
            var hint = "Dùng mã này để tra cứu và khi liên hệ về hồ sơ. Quét mã QR để mở trang tra cứu.";
            at = Draw(Lines(hint, smallItalic, inner), smallItalic, x, at);

            var height = Math.Max(at - top + 6, QrSide);
            gfx.DrawRectangle(rulePen, Left, top, width, height);
            QrCode.DrawPdf(gfx, r.LookupUrl, new XRect(Left + width - QrSide, top + (height - QrSide) / 2, QrSide, QrSide));
            y = top + height + 8;
            fresh = false;
        }

        public void Fields()
        {
            var rows = new List<(string Label, string? Value, XFont Font)>
            {
                ("Thủ tục hành chính", $"{r.ProcedureName}\nMã thủ tục: {r.ProcedureCode}", sans),
                ("Cơ quan tiếp nhận", r.AgencyName, sans),
                ("Người nộp hồ sơ", r.ApplicantName, sansBold),
                ("Số CCCD / mã số thuế", r.IdNumber, sans),
                ("Địa chỉ", r.ApplicantAddress, sans),
                (Contacts(), string.Join("; ", new[] { r.Phone, r.Email }.Where(v => !string.IsNullOrWhiteSpace(v))), sans),
                ("Chủ hồ sơ", r.OwnerName, sans),
                ("Thời điểm nộp", Moment(r.SubmittedAt), sans),
                ("Ngày hẹn trả (dự kiến)", r.DueAt is { } due ? Moment(due) : "Chưa xác định", sansBold),
                ("Hình thức nhận kết quả", r.DeliveryMethod, sans),
            };
            const double labelWidth = 104;
            var valueX = Left + labelWidth;
            var valueWidth = width - labelWidth;
            foreach (var (label, value, font) in rows)
            {
                if (string.IsNullOrWhiteSpace(value)) continue;
                var valueCell = Text(valueX, valueWidth, value, font);
                // The explanation follows the expected date in the same cell, in italic.
                if (label.StartsWith("Ngày hẹn", StringComparison.Ordinal))
                    valueCell.Lines.AddRange(Text(valueX, valueWidth, r.DueExplanation, sansItalic).Lines);
                Row([Text(Left, labelWidth, label, sans, shade), valueCell]);
            }
            y += 8;
        }

        public void DocumentTable()
        {
            var heading = $"Thành phần hồ sơ đã nộp ({r.Documents.Count})";
            // Keep the heading and the column heads with at least the first two lines of the first row.
            if (y + 2 * LineHeight(sansBold) + 2 * LineHeight(sans) + 4 * Pad + 3 > bottom) NewPage();
            y = Draw([heading], sansBold, Left, y) + 3;

            const double numberWidth = 24;
            var nameWidth = (width - numberWidth) * 0.52;
            var filesX = Left + numberWidth + nameWidth;
            var filesWidth = width - numberWidth - nameWidth;
            void TableHead() => Row([
                Text(Left, numberWidth, "STT", sansBold, shade),
                Text(Left + numberWidth, nameWidth, "Giấy tờ", sansBold, shade),
                Text(filesX, filesWidth, "Tệp đã nộp", sansBold, shade)]);
            TableHead();
            for (var i = 0; i < r.Documents.Count; i++)
            {
                var d = r.Documents[i];
                var files = d.Files.Count == 0
                    ? Text(filesX, filesWidth, "(không có tệp)", smallItalic)
                    : new Cell(filesX, filesWidth, [.. d.Files.SelectMany(f => Text(filesX, filesWidth, f, small).Lines)]);   // a file a line
                Row([Text(Left, numberWidth, (i + 1).ToString(CultureInfo.InvariantCulture), sans),
                     Text(Left + numberWidth, nameWidth, d.Name, sans),
                     files], onNewPage: TableHead);
            }
        }

        /// <summary>Closes the last page and draws every page's footer, now that the page count is known.</summary>
        public void Finish()
        {
            gfx.Dispose();
            var lineHeight = LineHeight(small);
            for (var i = 0; i < pages.Count; i++)
            {
                using var g = XGraphics.FromPdfPage(pages[i], XGraphicsPdfPageOptions.Append);
                var at = bottom + 8;
                g.DrawLine(rulePen, Left, at, Left + width, at);
                at += 3;
                foreach (var line in footer)
                {
                    g.DrawString(line, small, XBrushes.Black, new XRect(Left, at, width, lineHeight), XStringFormats.TopLeft);
                    at += lineHeight;
                }
                var pageNo = $"Trang {i + 1}/{pages.Count}";
                g.DrawString(pageNo, small, XBrushes.Black, new XRect(Left, at - lineHeight, width, lineHeight), XStringFormats.TopRight);
            }
        }

        void NewPage()
        {
            gfx?.Dispose();
            var page = document.AddPage();
            page.Width = XUnit.FromMillimeter(148);   // ISO A5; PageSize.A5 rounds to 420 × 595 pt
            page.Height = XUnit.FromMillimeter(210);
            pages.Add(page);
            gfx = XGraphics.FromPdfPage(page);
            width = page.Width.Point - 2 * Margin;
            if (pages.Count == 1) footer = FooterLines();
            bottom = page.Height.Point - Margin - (footer.Count * LineHeight(small) + 12);
            y = Margin;

            if (!string.IsNullOrWhiteSpace(r.DemoMarker))
            {
                var lines = Lines(Nfc(r.DemoMarker), sansBold, width - 2 * Pad);
                var height = lines.Count * LineHeight(sansBold) + 2 * Pad;
                gfx.DrawRectangle(new XPen(Red, 1.2), Left, y, width, height);
                Centered(lines, sansBold, Left, width, y + Pad, new XSolidBrush(Red));
                y += height + 6;
            }
            if (pages.Count > 1)
                y = Draw([$"Mã hồ sơ {r.DossierCode} (tiếp theo)"], smallItalic, Left, y) + 4;
            fresh = true;
        }

        List<string> FooterLines()
        {
            var lookup = r.LookupUrl;
            var cut = lookup.IndexOfAny(['?', '#']);
            if (cut >= 0) lookup = lookup[..cut];
            var hotline = $"Đường dây nóng: {Nfc(r.Hotline)}";
            return [.. Lines($"Tra cứu hồ sơ tại {lookup} bằng mã hồ sơ và số điện thoại hoặc số CCCD đã khai.", small, width),
                    .. Lines(hotline, small, width - 60)];
        }

        /// <summary>A table cell holding wrapped text in one font.</summary>
        Cell Text(double x, double cellWidth, string text, XFont font, XBrush? fill = null) =>
            new(x, cellWidth, Lines(text, font, cellWidth - 2 * Pad).Select(l => (l, font)).ToList(), fill);

        /// <summary>
        /// One table row; a row taller than the space left moves to the next page, or is split there between lines
        /// when it would not fit a fresh page either.
        /// </summary>
        void Row(IReadOnlyList<Cell> cells, Action? onNewPage = null)
        {
            var lineHeight = cells.SelectMany(c => c.Lines).Max(l => LineHeight(l.Font));
            var total = cells.Max(c => c.Lines.Count);
            var done = 0;
            while (done < total)
            {
                var room = (int)Math.Floor((bottom - y - 2 * Pad) / lineHeight);
                var remaining = total - done;
                var pageRoom = (int)Math.Floor((bottom - Margin - 2 * Pad) / lineHeight) - 4;
                if (remaining > room && (room < 1 || (!fresh && remaining <= pageRoom)))
                {
                    NewPage();
                    onNewPage?.Invoke();
                    continue;
                }
                var take = Math.Min(remaining, room);
                var height = take * lineHeight + 2 * Pad;
                for (var i = 0; i < cells.Count; i++)
                {
                    var c = cells[i];
                    if (c.Fill is not null) gfx.DrawRectangle(c.Fill, c.X, y, c.Width, height);
                    gfx.DrawRectangle(rulePen, c.X, y, c.Width, height);
                    var at = y + Pad;
                    foreach (var (text, font) in c.Lines.Skip(done).Take(take))
                    {
                        gfx.DrawString(text, font, XBrushes.Black, new XRect(c.X + Pad, at, c.Width - 2 * Pad, lineHeight), XStringFormats.TopLeft);
                        at += lineHeight;
                    }
                }
                y += height;
                done += take;
                fresh = false;
            }
        }

        double Draw(IEnumerable<string> lines, XFont font, double x, double at)
        {
            var lineHeight = LineHeight(font);
            foreach (var line in lines)
            {
                gfx.DrawString(line, font, XBrushes.Black, new XRect(x, at, width, lineHeight), XStringFormats.TopLeft);
                at += lineHeight;
            }
            return at;
        }

        double Centered(IEnumerable<string> lines, XFont font, double x, double columnWidth, double at, XBrush? brush = null)
        {
            var lineHeight = LineHeight(font);
            foreach (var line in lines)
            {
                gfx.DrawString(line, font, brush ?? XBrushes.Black, new XRect(x, at, columnWidth, lineHeight), XStringFormats.TopCenter);
                at += lineHeight;
            }
            return at;
        }

        void Underline(double x, double columnWidth, double at, double length) =>
            gfx.DrawLine(new XPen(XColors.Black, 0.6), x + (columnWidth - length) / 2, at, x + (columnWidth + length) / 2, at);

        /// <summary>The font at <paramref name="size"/>, or smaller (down to 60 %) until the text fits on one line.</summary>
        XFont Fit(string text, string family, XFontStyleEx style, double size, double maxWidth)
        {
            var options = new XPdfFontOptions(PdfFontEncoding.Unicode);
            var font = new XFont(family, size, style, options);
            var measured = gfx.MeasureString(text, font).Width;
            if (measured <= maxWidth) return font;
            return new XFont(family, Math.Max(size * 0.6, Math.Floor(size * maxWidth / measured * 10) / 10), style, options);
        }

        /// <summary>Wrapped into as few lines as at <paramref name="maxWidth"/>, but as even as possible (no lone last word).</summary>
        List<string> Balanced(string text, XFont font, double maxWidth)
        {
            var lines = Lines(text, font, maxWidth);
            if (lines.Count < 2) return lines;
            double low = maxWidth / lines.Count, high = maxWidth;
            while (high - low > 2)
            {
                var mid = (low + high) / 2;
                if (Lines(text, font, mid).Count == lines.Count) high = mid; else low = mid;
            }
            return Lines(text, font, high);
        }

        List<string> Lines(string text, XFont font, double maxWidth) => TextWrap.Lines(gfx, Nfc(text), font, maxWidth);

        static double LineHeight(XFont font) => font.Size * 1.3;

        string Contacts() => (r.Phone, r.Email) switch
        {
            ({ Length: > 0 }, { Length: > 0 }) => "Điện thoại, thư điện tử",
            (_, { Length: > 0 }) => "Thư điện tử",
            _ => "Điện thoại",
        };

        /// <summary>"tỉnh Bình Sơn" → "Bình Sơn": forms date the page with the place name alone.</summary>
        static string Place(string province)
        {
            foreach (var prefix in new[] { "tỉnh ", "thành phố " })
                if (province.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return province[prefix.Length..];
            return province;
        }
    }
}
