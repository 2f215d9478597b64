using System.IO.Compression;
using System.Text;

namespace Portal.Core.Tests.Signatures.Pdf;

/// <summary>
/// Writes small PDFs for tests, keeping offsets right: objects, streams, object streams, then a classic table,
/// a cross-reference stream or a hybrid section per revision. Text is Latin-1, one byte per character.
/// </summary>
public sealed class PdfBuilder
{
    readonly MemoryStream output = new();
    readonly SortedDictionary<int, long> inFile = [];
    readonly SortedDictionary<int, (int Stream, int Index)> compressed = [];
    readonly SortedSet<int> freed = [];
    long? previousXref;
    int size;
    (long ByteRange, long ContentsStart, long ContentsEnd)? pendingSignature;

    /// <summary>The gap and ByteRange of the last signature written: [0, b, c, d].</summary>
    public long[] LastByteRange { get; private set; } = [];

    /// <summary>A dummy CMS value: a DER-like start and zero padding. No cryptography: these tests check structure.</summary>
    public static string DummyContents(int bytes = 256) => "3082ABCD01020304" + new string('0', (bytes - 8) * 2);

    public PdfBuilder(string header = "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n") => Raw(header);

    public long Length => output.Length;

    public static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    public PdfBuilder Raw(string text)
    {
        output.Write(Latin1(text));
        return this;
    }

    public PdfBuilder Bytes(byte[] data)
    {
        output.Write(data);
        return this;
    }

    /// <summary>Lists <paramref name="number"/> as object <paramref name="index"/> of object stream <paramref name="stream"/> in the next cross-reference stream.</summary>
    public PdfBuilder Compressed(int number, int stream, int index)
    {
        compressed[number] = (stream, index);
        size = Math.Max(size, number + 1);
        return this;
    }

    /// <summary>Lists <paramref name="number"/> as free (deleted) in the next classic table.</summary>
    public PdfBuilder Free(int number)
    {
        freed.Add(number);
        return this;
    }

    public PdfBuilder Object(int number, string body)
    {
        inFile[number] = output.Length;
        size = Math.Max(size, number + 1);
        return Raw($"{number} 0 obj\n{body}\nendobj\n");
    }

    /// <summary>A stream object; <paramref name="dict"/> is the dictionary's inside, /Length is added.</summary>
    public PdfBuilder Stream(int number, string dict, byte[] data, string? length = null)
    {
        inFile[number] = output.Length;
        size = Math.Max(size, number + 1);
        Raw($"{number} 0 obj\n<< {dict} /Length {length ?? data.Length.ToString()} >>\nstream\n");
        output.Write(data);
        return Raw("\nendstream\nendobj\n");
    }

    /// <summary>
    /// A signature dictionary whose /ByteRange is filled in when the revision ends, so that it covers the whole file
    /// as it is then with the /Contents token as the gap. <paramref name="contents"/> is written as given.
    /// </summary>
    public PdfBuilder SignatureDictionary(int number, string type = "/Sig", string subFilter = "/ETSI.CAdES.detached",
        string? contents = null, string extra = "")
    {
        inFile[number] = output.Length;
        size = Math.Max(size, number + 1);
        Raw($"{number} 0 obj\n<< /Type {type} /Filter /Adobe.PPKLite /SubFilter {subFilter} /ByteRange ");
        var byteRange = output.Length;
        Raw("[0 0000000000 0000000000 0000000000] /Contents ");
        var start = output.Length;
        Raw(contents ?? $"<{DummyContents()}>");
        var end = output.Length;
        Raw($" /M (D:20260227140509+07'00') /Reason <FEFF{Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes("Phê duyệt"))}> {extra}>>\nendobj\n");
        pendingSignature = (byteRange, start, end);
        return this;
    }

    /// <summary>Overwrites bytes already written (same length), for attacks on a finished file.</summary>
    public static void Patch(byte[] file, long at, string text) => Latin1(text).CopyTo(file, at);

    public static byte[] Deflate(byte[] data)
    {
        var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data);
        return ms.ToArray();
    }

    /// <summary>An object stream (FlateDecode) holding <paramref name="members"/>; they become compressed entries.</summary>
    public PdfBuilder ObjectStream(int number, params (int Number, string Body)[] members)
    {
        var header = new StringBuilder();
        var body = new StringBuilder();
        for (var i = 0; i < members.Length; i++)
        {
            header.Append($"{members[i].Number} {body.Length} ");
            body.Append(members[i].Body).Append('\n');
            compressed[members[i].Number] = (number, i);
            size = Math.Max(size, members[i].Number + 1);
        }
        var first = header.Length;
        var data = Deflate(Latin1(header.ToString() + body));
        return Stream(number, $"/Type /ObjStm /N {members.Length} /First {first} /Filter /FlateDecode", data);
    }

    /// <summary>A classic table and trailer for the objects written since the last section, then startxref and %%EOF.</summary>
    public PdfBuilder XrefTable(string trailer = "/Root 1 0 R", string? xrefStm = null)
    {
        var at = output.Length;
        var sb = new StringBuilder("xref\n");
        if (previousXref is null) sb.Append("0 1\n0000000000 65535 f \n");
        foreach (var run in Runs(inFile.Keys.Union(freed).Order()))
        {
            sb.Append($"{run[0]} {run.Count}\n");
            foreach (var n in run) sb.Append(freed.Contains(n) ? "0000000000 00001 f \n" : $"{inFile[n]:D10} 00000 n \n");
        }
        var prev = previousXref is { } p ? $" /Prev {p}" : "";
        var hybrid = xrefStm is null ? "" : $" /XRefStm {xrefStm}";
        sb.Append($"trailer\n<< /Size {size} {trailer}{prev}{hybrid} >>\nstartxref\n{at}\n%%EOF\n");
        Raw(sb.ToString());
        return EndRevision(at);
    }

    /// <summary>A cross-reference stream (object <paramref name="number"/>) for everything since the last section.</summary>
    public PdfBuilder XrefStream(int number, string trailer = "/Root 1 0 R", bool pngPredictor = true)
    {
        var at = output.Length;
        size = Math.Max(size, number + 1);
        var rows = new SortedDictionary<int, (byte Type, long F2, int F3)>();
        if (previousXref is null) rows[0] = (0, 0, 65535);
        foreach (var (n, off) in inFile) rows[n] = (1, off, 0);
        foreach (var (n, (s, i)) in compressed) rows[n] = (2, s, i);
        rows[number] = (1, at, 0);
        var raw = new List<byte>();
        var previousRow = new byte[7];
        foreach (var (_, (type, f2, f3)) in rows)
        {
            var row = new byte[] { type, (byte)(f2 >> 24), (byte)(f2 >> 16), (byte)(f2 >> 8), (byte)f2, (byte)(f3 >> 8), (byte)f3 };
            if (pngPredictor)
            {
                raw.Add(2); // PNG "Up"
                for (var k = 0; k < 7; k++) raw.Add((byte)(row[k] - previousRow[k]));
                previousRow = row;
            }
            else raw.AddRange(row);
        }
        var index = string.Join(" ", Runs(rows.Keys).Select(r => $"{r[0]} {r.Count}"));
        var data = Deflate([.. raw]);
        var parms = pngPredictor ? " /DecodeParms << /Predictor 12 /Columns 7 >>" : "";
        var prev = previousXref is { } p ? $" /Prev {p}" : "";
        Raw($"{number} 0 obj\n<< /Type /XRef /Size {size} /W [1 4 2] /Index [{index}] /Filter /FlateDecode{parms} {trailer}{prev} /Length {data.Length} >>\nstream\n");
        output.Write(data);
        Raw($"\nendstream\nendobj\nstartxref\n{at}\n%%EOF\n");
        return EndRevision(at);
    }

    /// <summary>
    /// Hybrid section: a cross-reference stream (object <paramref name="streamNumber"/>) listing only the compressed
    /// objects, then a classic table for the rest whose trailer names the stream in /XRefStm.
    /// </summary>
    public PdfBuilder HybridXref(int streamNumber, string trailer = "/Root 1 0 R")
    {
        var streamAt = output.Length;
        size = Math.Max(size, streamNumber + 1);
        var raw = new List<byte>();
        foreach (var (_, (s, i)) in compressed) raw.AddRange(new byte[] { 2, 0, 0, (byte)(s >> 8), (byte)s, 0, (byte)i });
        var index = string.Join(" ", Runs(compressed.Keys).Select(r => $"{r[0]} {r.Count}"));
        var data = Deflate([.. raw]);
        Raw($"{streamNumber} 0 obj\n<< /Type /XRef /Size {size} /W [1 4 2] /Index [{index}] /Filter /FlateDecode /Length {data.Length} >>\nstream\n");
        output.Write(data);
        Raw("\nendstream\nendobj\n");
        compressed.Clear();
        inFile[streamNumber] = streamAt;
        return XrefTable(trailer, xrefStm: streamAt.ToString());
    }

    PdfBuilder EndRevision(long xrefAt)
    {
        if (pendingSignature is var (byteRange, start, end))
        {
            long[] range = [0, start, end, output.Length - end];
            var at = output.Position;
            output.Position = byteRange;
            output.Write(Latin1($"[0 {range[1]:D10} {range[2]:D10} {range[3]:D10}]"));
            output.Position = at;
            LastByteRange = range;
            pendingSignature = null;
        }
        previousXref = xrefAt;
        inFile.Clear();
        compressed.Clear();
        freed.Clear();
        return this;
    }

    static List<List<int>> Runs(IEnumerable<int> numbers)
    {
        var runs = new List<List<int>>();
        foreach (var n in numbers)
            if (runs.Count > 0 && runs[^1][^1] == n - 1) runs[^1].Add(n);
            else runs.Add([n]);
        return runs;
    }

    public byte[] ToArray() => output.ToArray();

    /// <summary>
    /// The one-page document signed once: revision 1 is <see cref="OnePage"/> (objects 1–5, plus a form XObject 6 drawn
    /// by the page, and a text field 7 with a widget on the page), revision 2 adds signature field 8 with signature
    /// dictionary 9 and an invisible widget. Extra catalog entries go into revision 2's catalog.
    /// </summary>
    public static PdfBuilder SignedOnePage(string signatureExtra = "", string catalogExtra = "", bool visible = false,
        string fieldExtra = "", Action<PdfBuilder>? original = null)
    {
        var b = new PdfBuilder()
            .Object(1, "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [7 0 R] >> >>")
            .Object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 300 144] >>")
            .Object(3, "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >> /Contents 4 0 R /Annots [7 0 R] >>")
            .Stream(4, "", Latin1("BT /F1 18 Tf 10 10 Td (Hello) Tj ET /X1 Do"))
            .Object(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>")
            .Stream(6, "/Type /XObject /Subtype /Form /BBox [0 0 10 10]", Latin1("0 0 10 10 re f"))
            .Object(7, $"<< /FT /Tx /T (name) /Subtype /Widget /Rect [10 100 200 120] /P 3 0 R {fieldExtra}>>");
        original?.Invoke(b);
        b.XrefTable();
        var rect = visible ? "[10 50 100 80]" : "[0 0 0 0]";
        return b
            .Object(1, $"<< /Type /Catalog /Pages 2 0 R /AcroForm 10 0 R {catalogExtra}>>")
            .Object(3, "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >> /Contents 4 0 R /Annots [7 0 R 8 0 R] >>")
            .Object(8, $"<< /FT /Sig /T (Signature1) /Type /Annot /Subtype /Widget /Rect {rect} /F 132 /P 3 0 R /V 9 0 R >>")
            .SignatureDictionary(9, extra: signatureExtra)
            .Object(10, "<< /Fields [7 0 R 8 0 R] /SigFlags 3 >>")
            .XrefTable("/Root 1 0 R /ID [<0102> <0304>]");
    }

    /// <summary>The one-page document most tests start from: catalog 1, pages 2, page 3, content 4, font 5.</summary>
    public static PdfBuilder OnePage(string catalogExtra = "", string pageExtra = "")
    {
        var content = Latin1("BT /F1 18 Tf 10 10 Td (Hello) Tj ET");
        return new PdfBuilder()
            .Object(1, $"<< /Type /Catalog /Pages 2 0 R {catalogExtra}>>")
            .Object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 300 144] >>")
            .Object(3, $"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R {pageExtra}>>")
            .Stream(4, "", content)
            .Object(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>");
    }
}
