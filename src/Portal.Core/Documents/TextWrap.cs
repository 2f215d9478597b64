using System.Globalization;
using System.Text;
using PdfSharp.Drawing;

namespace Portal.Core.Documents;

/// <summary>Greedy word wrap measured with the real font, for PDFs drawn with XGraphics.</summary>
public static class TextWrap
{
    /// <summary>
    /// Splits <paramref name="text"/> into lines no wider than <paramref name="width"/>: at line breaks, then between
    /// words; a word wider than a line (a URL, a long file name) is cut between characters, never inside one (a base
    /// letter stays with its combining marks).
    /// </summary>
    public static List<string> Lines(XGraphics gfx, string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r\n", "\n").Split('\n'))
        {
            var line = new StringBuilder();
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (Width(gfx, candidate, font) <= width) { line.Clear().Append(candidate); continue; }
                if (line.Length > 0) { lines.Add(line.ToString()); line.Clear(); }
                if (Width(gfx, word, font) <= width) { line.Append(word); continue; }
                lines.AddRange(Cut(gfx, word, font, width, out var rest));
                line.Append(rest);
            }
            lines.Add(line.ToString());
        }
        return lines;
    }

    static double Width(XGraphics gfx, string s, XFont font) => gfx.MeasureString(s, font).Width;

    /// <summary>Full-width pieces of an over-long word; the remainder (shorter than a line) comes back in rest.</summary>
    static List<string> Cut(XGraphics gfx, string word, XFont font, double width, out string rest)
    {
        var pieces = new List<string>();
        var piece = new StringBuilder();
        var elements = StringInfo.GetTextElementEnumerator(word);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            if (piece.Length > 0 && Width(gfx, piece + element, font) > width)
            {
                pieces.Add(piece.ToString());
                piece.Clear();
            }
            piece.Append(element);
        }
        rest = piece.ToString();
        return pieces;
    }
}
