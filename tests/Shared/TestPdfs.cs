using System.Globalization;
using System.Text;

namespace Portal.Tests.Shared;

/// <summary>
/// Small, valid PDFs written byte by byte for signature tests and benchmarks (classic cross-reference table, one
/// Helvetica font, uncompressed content), so every offset is predictable and nothing depends on a PDF library.
/// </summary>
public static class TestPdfs
{
    public static byte[] OnePage(string title) => Pages(1, title, contentBytesPerPage: 0);

    /// <summary>
    /// <paramref name="count"/> pages, each with a content stream padded to about <paramref name="contentBytesPerPage"/>
    /// bytes of drawing operators (100 pages × 50 000 bytes ≈ the 5 MB file of the benchmarks).
    /// </summary>
    public static byte[] Pages(int count, string title, int contentBytesPerPage)
    {
        var objects = new List<string>();
        // 1 catalog, 2 page tree, 3 font, then per page: page object and content stream.
        objects.Add("<< /Type /Catalog /Pages 2 0 R >>");
        var kids = string.Join(' ', Enumerable.Range(0, count).Select(i => $"{4 + 2 * i} 0 R"));
        objects.Add($"<< /Type /Pages /Kids [{kids}] /Count {count} >>");
        objects.Add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
        var ascii = Ascii(title);
        for (var i = 0; i < count; i++)
        {
            var content = new StringBuilder($"q 0 0 1 rg BT /F1 18 Tf 72 760 Td ({ascii} - trang {i + 1}) Tj ET Q\n");
            var random = new Random(i);
            while (content.Length < contentBytesPerPage)
                content.Append(CultureInfo.InvariantCulture, $"{random.Next(40, 560)} {random.Next(40, 700)} {random.Next(1, 80)} {random.Next(1, 60)} re S\n");
            objects.Add($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>");
            objects.Add($"<< /Length {content.Length} >>\nstream\n{content}\nendstream");
        }

        var output = new MemoryStream();
        void Write(string s) => output.Write(Encoding.Latin1.GetBytes(s));
        Write("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
        var offsets = new List<long>();
        for (var n = 0; n < objects.Count; n++)
        {
            offsets.Add(output.Position);
            Write($"{n + 1} 0 obj\n{objects[n]}\nendobj\n");
        }
        var xref = output.Position;
        Write($"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets) Write($"{offset:0000000000} 00000 n \n");
        Write($"trailer\n<< /Size {objects.Count + 1} /Root 1 0 R /ID [<{Guid.NewGuid():N}> <{Guid.NewGuid():N}>] >>\nstartxref\n{xref}\n%%EOF\n");
        return output.ToArray();
    }

    // Helvetica with WinAnsiEncoding has no Vietnamese letters; the test text only needs to be there, not pretty.
    static string Ascii(string text) => new(text.Normalize(NormalizationForm.FormD)
        .Where(c => c < 128 && c is not '(' and not ')' and not '\\').ToArray());
}
