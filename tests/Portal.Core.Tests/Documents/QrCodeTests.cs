using System.Xml.Linq;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Portal.Core.Documents;

namespace Portal.Core.Tests.Documents;

public sealed class QrCodeTests
{
    const string Url = "https://dichvucong.binhson.gov.vn/tra-cuu?ma=000.00.12.H56-260227-0037";

    [Fact]
    public void The_matrix_is_a_whole_symbol_without_the_quiet_zone()
    {
        var m = QrCode.Matrix(Url);
        var size = m.GetLength(0);

        Assert.Equal(size, m.GetLength(1));
        Assert.Equal(0, (size - 17) % 4);                          // 17 + 4 × version
        // Finder patterns in three corners: a dark 7 × 7 ring with a dark 3 × 3 centre, so row 0 starts dark.
        foreach (var (top, left) in new[] { (0, 0), (0, size - 7), (size - 7, 0) })
        {
            for (var i = 0; i < 7; i++)
                Assert.True(m[top, left + i] && m[top + 6, left + i] && m[top + i, left] && m[top + i, left + 6]);
            Assert.False(m[top + 1, left + 1]);
            Assert.True(m[top + 3, left + 3]);
        }
    }

    [Fact]
    public void The_same_text_gives_the_same_matrix()
    {
        Assert.Equal(QrCode.Matrix(Url).Cast<bool>(), QrCode.Matrix(Url).Cast<bool>());
        Assert.NotEqual(QrCode.Matrix(Url).Cast<bool>(), QrCode.Matrix(Url + "8").Cast<bool>());
    }

    [Fact]
    public void A_code_drawn_into_a_pdf_reads_back_with_zbarimg()
    {
        PortalFonts.EnsureInstalled();
        using var document = new PdfDocument();
        var page = document.AddPage();
        page.Size = PageSize.A5;
        using (var gfx = XGraphics.FromPdfPage(page))
            QrCode.DrawPdf(gfx, Url, new XRect(40, 40, 100, 100));
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);

        Assert.Equal([Url], PdfTools.QrCodes(output.ToArray()));
    }

    [Fact]
    public void The_pdf_drawing_merges_dark_runs_and_stays_vector()
    {
        PortalFonts.EnsureInstalled();
        using var document = new PdfDocument();
        document.Options.CompressContentStreams = false;
        var page = document.AddPage();
        using (var gfx = XGraphics.FromPdfPage(page))
            QrCode.DrawPdf(gfx, Url, new XRect(40, 40, 100, 100));
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        var text = System.Text.Encoding.Latin1.GetString(output.ToArray());

        var matrix = QrCode.Matrix(Url);
        var size = matrix.GetLength(0);
        var dark = matrix.Cast<bool>().Count(d => d);
        var runs = Enumerable.Range(0, size).Sum(y => Enumerable.Range(0, size).Count(x => matrix[y, x] && (x == 0 || !matrix[y, x - 1])));
        var rectangles = text.Split(" re").Length - 1;
        Assert.DoesNotContain("/Subtype/Image", text);
        Assert.Equal(runs + 1, rectangles);                        // one per dark run, plus the white quiet zone
        Assert.True(runs < dark * 0.6, $"{runs} runs for {dark} dark modules");
    }

    [Fact]
    public void The_svg_is_well_formed_and_has_an_accessible_name()
    {
        var svg = QrCode.Svg(Url, "Mã QR tra cứu hồ sơ 000.00.12.H56-260227-0037 & <x>", modulePixels: 3);

        var root = XElement.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", root.Name);
        Assert.Equal("img", (string?)root.Attribute("role"));
        Assert.Equal("Mã QR tra cứu hồ sơ 000.00.12.H56-260227-0037 & <x>", (string?)root.Attribute("aria-label"));
        var units = QrCode.Matrix(Url).GetLength(0) + 2 * QrCode.QuietZone;
        Assert.Equal($"0 0 {units} {units}", (string?)root.Attribute("viewBox"));
        Assert.Equal((units * 3).ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)root.Attribute("width"));
        Assert.DoesNotContain(root.DescendantsAndSelf(), e => e.Attribute("style") is not null);   // CSP: no inline styles
        Assert.NotNull(root.Element(ns + "path")?.Attribute("d"));
    }
}
