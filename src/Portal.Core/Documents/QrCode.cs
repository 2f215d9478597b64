using System.Globalization;
using System.Net;
using System.Text;
using PdfSharp.Drawing;
using QRCoder;

namespace Portal.Core.Documents;

/// <summary>
/// QR codes for receipts and lookup pages (QRCoder, error correction level M: survives a fold or a smudge and keeps the
/// symbol small for a lookup URL). Drawn as vector rectangles in PDFs and as inline SVG in pages.
/// </summary>
public static class QrCode
{
    /// <summary>The light margin every reader needs around the symbol, in modules (ISO/IEC 18004 asks for 4).</summary>
    public const int QuietZone = 4;

    /// <summary>The symbol's modules without the quiet zone: [row, column], true for dark.</summary>
    public static bool[,] Matrix(string text)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        // QRCoder's matrix already carries a 4-module quiet zone; strip it so callers choose their own margin.
        var rows = data.ModuleMatrix;
        var margin = (rows.Count - (21 + 4 * (data.Version - 1))) / 2;   // a version-v symbol is 17 + 4v modules wide
        var size = rows.Count - 2 * margin;
        var matrix = new bool[size, size];
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
                matrix[y, x] = rows[y + margin][x + margin];
        return matrix;
    }

    /// <summary>
    /// Draws the code into a square fitted and centred in <paramref name="area"/>, quiet zone included, so the
    /// symbol plus margin never leaves the area. Dark runs of a row become one rectangle each.
    /// </summary>
    public static void DrawPdf(XGraphics gfx, string text, XRect area)
    {
        var matrix = Matrix(text);
        var size = matrix.GetLength(0);
        var side = Math.Min(area.Width, area.Height);
        var module = side / (size + 2 * QuietZone);
        var left = area.X + (area.Width - side) / 2 + QuietZone * module;
        var top = area.Y + (area.Height - side) / 2 + QuietZone * module;

        gfx.DrawRectangle(XBrushes.White, area.X + (area.Width - side) / 2, area.Y + (area.Height - side) / 2, side, side);
        foreach (var (y, x, run) in Runs(matrix))
            gfx.DrawRectangle(XBrushes.Black, left + x * module, top + y * module, run * module, module);
    }

    /// <summary>
    /// An inline <c>&lt;svg&gt;</c> for HTML pages: one path of dark runs on a white square, quiet zone included, with
    /// <c>role="img"</c> and the given accessible name. Presentation attributes only (no <c>style</c>), so it passes a
    /// CSP without 'unsafe-inline'.
    /// </summary>
    public static string Svg(string text, string ariaLabel, int modulePixels = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(modulePixels, 1);
        var matrix = Matrix(text);
        var units = matrix.GetLength(0) + 2 * QuietZone;
        var pixels = units * modulePixels;
        var path = new StringBuilder();
        foreach (var (y, x, run) in Runs(matrix))
            path.Append(CultureInfo.InvariantCulture, $"M{x + QuietZone} {y + QuietZone}h{run}v1h-{run}z");

        return $"""<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{WebUtility.HtmlEncode(ariaLabel)}" width="{pixels}" height="{pixels}" viewBox="0 0 {units} {units}" shape-rendering="crispEdges"><rect width="{units}" height="{units}" fill="#fff"/><path fill="#000" d="{path}"/></svg>""";
    }

    /// <summary>Horizontal runs of dark modules: row, first column, length.</summary>
    static IEnumerable<(int Y, int X, int Length)> Runs(bool[,] matrix)
    {
        var size = matrix.GetLength(0);
        for (var y = 0; y < size; y++)
        {
            var x = 0;
            while (x < size)
            {
                if (!matrix[y, x]) { x++; continue; }
                var start = x;
                while (x < size && matrix[y, x]) x++;
                yield return (y, start, x - start);
            }
        }
    }
}
