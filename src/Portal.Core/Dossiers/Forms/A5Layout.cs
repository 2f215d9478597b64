using System.Globalization;
using System.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Portal.Core.Deadlines;
using Portal.Core.Documents;

namespace Portal.Core.Dossiers.Forms;

/// <summary>What every A5 page of a dossier's paper carries: the code, the lookup, the hotline and the demo marker.</summary>
internal sealed record A5Page(string DossierCode, string LookupUrl, string Hotline, string? DemoMarker);

/// <summary>A piece of text in one font; a table or field cell holds one or more, each wrapped on its own.</summary>
internal readonly record struct Run(string Text, XFont Font);

/// <summary>A label and its value on the two-column field grid; empty values leave no row.</summary>
internal sealed record Field(string Label, string? Value, XFont Font, string? Note = null);

/// <summary>A table column; the last one takes whatever width is left.</summary>
internal sealed record Column(string Head, double Width);

/// <summary>
/// A cursor down A5 pages for the dossier papers (the online receipt, the one-stop forms of DOMAIN.md §4): draws top to
/// bottom, opens a new page when the next line would not fit, and closes with a footer on every page. Layout after
/// Vietnamese administrative forms: unit on the left, national motto on the right.
/// </summary>
internal sealed class A5Layout
{
    const double Margin = 28;             // ≈ 10 mm
    const double Pad = 2.5;               // cell padding
    const double QrSide = 90;             // ≈ 32 mm with the quiet zone; the symbol itself ≈ 26 mm
    const double LabelWidth = 104;
    static readonly XColor Rule = XColor.FromArgb(140, 140, 140);
    static readonly XColor Red = XColor.FromArgb(176, 0, 32);
    static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    readonly PdfDocument document;
    readonly A5Page page;
    readonly List<PdfPage> pages = [];
    readonly XFont serif, serifBoldLarge, codeFont, titleFont;
    readonly XPen rulePen = new(Rule, 0.5);
    readonly XBrush shade = new XSolidBrush(XColor.FromArgb(238, 238, 238));
    XGraphics gfx = null!;
    double y, bottom, width;
    List<string> footer = [];
    bool fresh;                            // nothing drawn on this page below its running head yet

    A5Layout(PdfDocument document, A5Page page)
    {
        this.document = document;
        this.page = page;
        // Unicode encoding: one embedded CID font per face with a ToUnicode map, so pdftotext gives back Vietnamese.
        var unicode = new XPdfFontOptions(PdfFontEncoding.Unicode);
        SerifBold = new XFont(PortalFonts.Serif, 8, XFontStyleEx.Bold, unicode);
        serifBoldLarge = new XFont(PortalFonts.Serif, 8.5, XFontStyleEx.Bold, unicode);
        SerifItalic = new XFont(PortalFonts.Serif, 8, XFontStyleEx.Italic, unicode);
        Sans = new XFont(PortalFonts.Sans, 8, XFontStyleEx.Regular, unicode);
        SansBold = new XFont(PortalFonts.Sans, 8, XFontStyleEx.Bold, unicode);
        SansItalic = new XFont(PortalFonts.Sans, 8, XFontStyleEx.Italic, unicode);
        Small = new XFont(PortalFonts.Sans, 7.5, XFontStyleEx.Regular, unicode);
        SmallItalic = new XFont(PortalFonts.Sans, 7.5, XFontStyleEx.Italic, unicode);
        codeFont = new XFont(PortalFonts.Sans, 16, XFontStyleEx.Bold, unicode);
        titleFont = new XFont(PortalFonts.Sans, 12.5, XFontStyleEx.Bold, unicode);
        serif = new XFont(PortalFonts.Serif, 8, XFontStyleEx.Regular, unicode);
        Tiny = new XFont(PortalFonts.Sans, 6.5, XFontStyleEx.Regular, unicode);
        TinyBold = new XFont(PortalFonts.Sans, 6.5, XFontStyleEx.Bold, unicode);
        TinyItalic = new XFont(PortalFonts.Sans, 6.5, XFontStyleEx.Italic, unicode);
        NewPage();
    }

    public XFont SerifBold { get; }
    public XFont SerifItalic { get; }
    public XFont Sans { get; }
    public XFont SansBold { get; }
    public XFont SansItalic { get; }
    public XFont Small { get; }
    public XFont SmallItalic { get; }
    /// <summary>6.5 pt, for tables with many columns (the control slip).</summary>
    public XFont Tiny { get; }
    public XFont TinyBold { get; }
    public XFont TinyItalic { get; }

    /// <summary>The width between the margins.</summary>
    public double Width => width;

    double Left => Margin;

    /// <summary>
    /// Draws a whole paper: a new document with its metadata (dated <paramref name="createdAt"/>, so the same paper gives
    /// the same dates), the pages <paramref name="draw"/> fills, the footers, and the bytes with complete zlib streams.
    /// </summary>
    public static byte[] Render(A5Page page, string title, string subject, DateTimeOffset createdAt, Action<A5Layout> draw)
    {
        PortalFonts.EnsureInstalled();

        using var document = new PdfDocument();
        document.Info.Title = Nfc(title);
        document.Info.Subject = Nfc(subject);
        document.Info.Creator = "Portal";
        document.Info.CreationDate = createdAt.UtcDateTime;
        document.Options.CompressContentStreams = true;

        var layout = new A5Layout(document, page);
        draw(layout);
        layout.Finish();

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return ZlibTrailer.Complete(output.ToArray());
    }

    public static string Nfc(string s) => s.IsNormalized(NormalizationForm.FormC) ? s : s.Normalize(NormalizationForm.FormC);

    public static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>"09:05, 27/02/2026" in Vietnam's time.</summary>
    public static string Moment(DateTimeOffset at) => Local(at, "HH:mm, dd/MM/yyyy");

    /// <summary>The moment in Vietnam's time, in <paramref name="format"/> (invariant digits and calendar).</summary>
    public static string Local(DateTimeOffset at, string format) =>
        LegalTime.Local(at).ToString(format, CultureInfo.InvariantCulture);

    /// <summary>The person block shared by the papers: name, ID, address, phone and e-mail, owner.</summary>
    public IEnumerable<Field> Person(string name, string? idNumber, string? address, string? phone, string? email, string? owner)
    {
        var contactLabel = (phone, email) switch
        {
            ({ Length: > 0 }, { Length: > 0 }) => "Điện thoại, thư điện tử",
            (_, { Length: > 0 }) => "Thư điện tử",
            _ => "Điện thoại",
        };
        yield return new("Người nộp hồ sơ", name, SansBold);
        yield return new("Số CCCD / mã số thuế", idNumber, Sans);
        yield return new("Địa chỉ", address, Sans);
        yield return new(contactLabel, string.Join("; ", new[] { phone, email }.Where(v => !string.IsNullOrWhiteSpace(v))), Sans);
        yield return new("Chủ hồ sơ", owner, Sans);
    }

    /// <summary>
    /// The unit (its parent above it, if any) on the left, the national motto on the right (Decree 30/2020 layout),
    /// "&lt;place&gt;, ngày dd tháng MM năm yyyy" under the motto, then the title and an optional line under it.
    /// </summary>
    public void Header(string parentName, string unitName, string provinceName, DateTimeOffset issuedAt, string title, string? subtitle = null)
    {
        var top = y;
        var leftWidth = width * 0.42;
        var rightX = Left + leftWidth + 6;
        var rightWidth = width - leftWidth - 6;

        // Left: the unit, upper case, underlined with a short rule.
        var leftBottom = top;
        if (!string.IsNullOrWhiteSpace(parentName))
            leftBottom = Centered(Balanced(Nfc(parentName).ToUpper(Vietnamese), serif, leftWidth), serif, Left, leftWidth, leftBottom);
        var unit = Balanced(Nfc(unitName).ToUpper(Vietnamese), SerifBold, leftWidth);
        leftBottom = Centered(unit, SerifBold, Left, leftWidth, leftBottom);
        Underline(Left, leftWidth, leftBottom + 1.5, leftWidth * 0.35);

        // Right: the national motto, sized down to fit the column on one line.
        var nation = Fit("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", PortalFonts.Serif, XFontStyleEx.Bold, 8.5, rightWidth);
        var rightBottom = Centered(["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], nation, rightX, rightWidth, top);
        const string motto = "Độc lập - Tự do - Hạnh phúc";
        rightBottom = Centered([motto], serifBoldLarge, rightX, rightWidth, rightBottom);
        Underline(rightX, rightWidth, rightBottom + 1.5, gfx.MeasureString(motto, serifBoldLarge).Width);

        y = Math.Max(leftBottom, rightBottom) + 6;
        var local = LegalTime.Local(issuedAt);
        var place = string.Create(CultureInfo.InvariantCulture,
            $"{Place(Nfc(provinceName))}, ngày {local:dd} tháng {local:MM} năm {local:yyyy}");
        y = Centered(Lines(place, SerifItalic, rightWidth), SerifItalic, rightX, rightWidth, y) + 8;

        y = Centered(Balanced(title, titleFont, width), titleFont, Left, width, y) + 2;
        if (subtitle is not null) y = Centered(Lines(subtitle, SmallItalic, width), SmallItalic, Left, width, y);
        y += 8;
    }

    /// <summary>A box with "Mã hồ sơ", the code in large type and the QR code that opens the lookup.</summary>
    public void CodeAndQr()
    {
        var top = y;
        var textWidth = width - QrSide - 8;
        var x = Left + 6;
        var inner = textWidth - 6;

        var at = top + 6;
        at = Draw(Lines("Mã hồ sơ", Sans, inner), Sans, x, at);
        var code = Fit(page.DossierCode, PortalFonts.Sans, XFontStyleEx.Bold, codeFont.Size, inner);
        at = Draw([page.DossierCode], code, x, at + 1) + 4;
        var hint = "Dùng mã này để tra cứu và khi liên hệ về hồ sơ. Quét mã QR để mở trang tra cứu.";
        at = Draw(Lines(hint, SmallItalic, inner), SmallItalic, x, at);

        var height = Math.Max(at - top + 6, QrSide);
        gfx.DrawRectangle(rulePen, Left, top, width, height);
        QrCode.DrawPdf(gfx, page.LookupUrl, new XRect(Left + width - QrSide, top + (height - QrSide) / 2, QrSide, QrSide));
        y = top + height + 8;
        fresh = false;
    }

    /// <summary>Labels on a shaded column, values beside them; a field's note follows its value in italic.</summary>
    public void Fields(IEnumerable<Field> fields)
    {
        var valueX = Left + LabelWidth;
        var valueWidth = width - LabelWidth;
        foreach (var field in fields)
        {
            if (string.IsNullOrWhiteSpace(field.Value)) continue;
            var valueCell = Text(valueX, valueWidth, field.Value, field.Font);
            if (field.Note is not null) valueCell.Lines.AddRange(Text(valueX, valueWidth, field.Note, SansItalic).Lines);
            Row([Text(Left, LabelWidth, field.Label, Sans, shade), valueCell]);
        }
        y += 8;
    }

    /// <summary>
    /// A bold heading, shaded column heads and one row per entry; the heads repeat on every page the table reaches.
    /// Each cell holds runs, each wrapped on its own lines.
    /// </summary>
    public void Table(string heading, IReadOnlyList<Column> columns, IEnumerable<IReadOnlyList<IReadOnlyList<Run>>> rows, XFont headFont)
    {
        var xs = new double[columns.Count];
        var widths = new double[columns.Count];
        double x = Left, rest = width;
        for (var i = 0; i < columns.Count; i++)
        {
            xs[i] = x;
            widths[i] = i == columns.Count - 1 ? rest : columns[i].Width;
            x += widths[i];
            rest -= widths[i];
        }

        // Keep the heading and the column heads with at least the first two lines of the first row.
        if (y + LineHeight(SansBold) + LineHeight(headFont) + 2 * LineHeight(Sans) + 4 * Pad + 3 > bottom) NewPage();
        y = Draw([heading], SansBold, Left, y) + 3;

        void TableHead() => Row([.. columns.Select((c, i) => Text(xs[i], widths[i], c.Head, headFont, shade))]);
        TableHead();
        foreach (var row in rows)
            Row([.. row.Select((runs, i) => new Cell(xs[i], widths[i], [.. runs.SelectMany(r => Text(xs[i], widths[i], r.Text, r.Font).Lines)]))],
                onNewPage: TableHead);
        y += 8;
    }

    /// <summary>Wrapped text across the page, carried onto the next page line by line.</summary>
    public void Paragraph(string text, XFont font, double after = 4)
    {
        var lineHeight = LineHeight(font);
        foreach (var line in Lines(text, font, width))
        {
            if (y + lineHeight > bottom) NewPage();
            y = Draw([line], font, Left, y);
            fresh = false;
        }
        y += after;
    }

    /// <summary>A bold heading, moved to the next page unless two lines of what follows fit under it.</summary>
    public void Section(string heading)
    {
        if (y + LineHeight(SansBold) + 2 * LineHeight(Sans) > bottom) NewPage();
        Paragraph(heading, SansBold, after: 2);
    }

    /// <summary>
    /// The signature block on the right half: role in capitals, the note under it, a little room (the signature is
    /// electronic), the name; <paramref name="beside"/>, if any, on the left half like the "Nơi nhận" of a letter.
    /// </summary>
    public void Signature(string role, string note, string name, Run? beside = null)
    {
        const double room = 14;
        var x = Left + width / 2;
        var half = width / 2;
        var roleLines = Balanced(Nfc(role).ToUpper(Vietnamese), SansBold, half);
        var noteLines = Lines(note, SmallItalic, half);
        var nameLines = Lines(name, SansBold, half);
        var left = beside is { } b ? Lines(b.Text, b.Font, half - 8) : [];
        var height = Math.Max(left.Count * LineHeight(beside?.Font ?? Sans),
            (roleLines.Count + nameLines.Count) * LineHeight(SansBold) + noteLines.Count * LineHeight(SmallItalic) + room);
        if (y + height > bottom) NewPage();
        if (beside is { } text) Draw(left, text.Font, Left, y);
        var at = Centered(roleLines, SansBold, x, half, y);
        at = Centered(noteLines, SmallItalic, x, half, at) + room;
        Centered(nameLines, SansBold, x, half, at);
        y += height + 8;
        fresh = false;
    }

    /// <summary>Closes the last page and draws every page's footer, now that the page count is known.</summary>
    void Finish()
    {
        gfx.Dispose();
        var lineHeight = LineHeight(Small);
        for (var i = 0; i < pages.Count; i++)
        {
            using var g = XGraphics.FromPdfPage(pages[i], XGraphicsPdfPageOptions.Append);
            var at = bottom + 8;
            g.DrawLine(rulePen, Left, at, Left + width, at);
            at += 3;
            foreach (var line in footer)
            {
                g.DrawString(line, Small, XBrushes.Black, new XRect(Left, at, width, lineHeight), XStringFormats.TopLeft);
                at += lineHeight;
            }
            var pageNo = $"Trang {i + 1}/{pages.Count}";
            g.DrawString(pageNo, Small, XBrushes.Black, new XRect(Left, at - lineHeight, width, lineHeight), XStringFormats.TopRight);
        }
    }

    void NewPage()
    {
        gfx?.Dispose();
        var pdfPage = document.AddPage();
        pdfPage.Width = XUnit.FromMillimeter(148);   // ISO A5; PageSize.A5 rounds to 420 × 595 pt
        pdfPage.Height = XUnit.FromMillimeter(210);
        pages.Add(pdfPage);
        gfx = XGraphics.FromPdfPage(pdfPage);
        width = pdfPage.Width.Point - 2 * Margin;
        if (pages.Count == 1) footer = FooterLines();
        bottom = pdfPage.Height.Point - Margin - (footer.Count * LineHeight(Small) + 12);
        y = Margin;

        if (!string.IsNullOrWhiteSpace(page.DemoMarker))
        {
            var lines = Lines(Nfc(page.DemoMarker), SansBold, width - 2 * Pad);
            var height = lines.Count * LineHeight(SansBold) + 2 * Pad;
            gfx.DrawRectangle(new XPen(Red, 1.2), Left, y, width, height);
            Centered(lines, SansBold, Left, width, y + Pad, new XSolidBrush(Red));
            y += height + 6;
        }
        if (pages.Count > 1)
            y = Draw([$"Mã hồ sơ {page.DossierCode} (tiếp theo)"], SmallItalic, Left, y) + 4;
        fresh = true;
    }

    List<string> FooterLines()
    {
        var lookup = page.LookupUrl;
        var cut = lookup.IndexOfAny(['?', '#']);
        if (cut >= 0) lookup = lookup[..cut];
        var hotline = $"Đường dây nóng: {Nfc(page.Hotline)}";
        return [.. Lines($"Tra cứu hồ sơ tại {lookup} bằng mã hồ sơ và số điện thoại hoặc số CCCD đã khai.", Small, width),
                .. Lines(hotline, Small, width - 60)];
    }

    sealed record Cell(double X, double Width, List<(string Text, XFont Font)> Lines, XBrush? Fill = null);

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

    /// <summary>"tỉnh Bình Sơn" → "Bình Sơn": forms date the page with the place name alone.</summary>
    static string Place(string province)
    {
        foreach (var prefix in new[] { "tỉnh ", "thành phố " })
            if (province.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return province[prefix.Length..];
        return province;
    }
}
