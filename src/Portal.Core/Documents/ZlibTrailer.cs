using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Portal.Core.Documents;

/// <summary>
/// PDFsharp 6.5 writes each FlateDecode stream as a zlib header followed by raw deflate data, without the Adler-32
/// trailer RFC 1950 requires (empira/PDFsharp, Pdf.Filters/FlateDecode.cs: bytes 0x78 0xDA, then a DeflateStream).
/// Viewers tolerate that, but <c>qpdf --check</c> warns and strict inflaters never reach the end of the stream. This
/// appends the trailer to every such stream of a file PDFsharp has saved and rewrites /Length and the cross-reference
/// table to match. Streams that already end with their checksum, or that it does not recognise, are left alone.
/// </summary>
internal static partial class ZlibTrailer
{
    // A stream dictionary without nested dictionaries (PDFsharp writes them so), then the stream keyword.
    [GeneratedRegex(@"<<(?<dict>[^<>]*)>>\s*stream(\r\n|\n)")]
    private static partial Regex StreamHead();

    [GeneratedRegex(@"/Length\s+(?<n>\d+)(?<indirect>\s+\d+\s+R)?")]
    private static partial Regex LengthEntry();

    [GeneratedRegex(@"startxref\s+(?<at>\d+)\s+%%EOF\s*$")]
    private static partial Regex StartXref();

    public static byte[] Complete(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);   // one char per byte: string positions are file offsets
        var output = new MemoryStream(pdf.Length + 256);
        var edits = new List<(int At, int Delta)>();
        var copied = 0;
        var trailer = new byte[4];

        foreach (Match head in StreamHead().Matches(text))
        {
            var dict = head.Groups["dict"];
            if (!dict.Value.Contains("/FlateDecode", StringComparison.Ordinal) || dict.Value.Contains("/DecodeParms", StringComparison.Ordinal)) continue;
            var length = LengthEntry().Match(dict.Value);
            if (!length.Success || length.Groups["indirect"].Success) continue;
            var n = int.Parse(length.Groups["n"].Value, CultureInfo.InvariantCulture);
            var start = head.Index + head.Length;
            if (start + n > pdf.Length || n < 2 || pdf[start] != 0x78) continue;
            var data = pdf.AsSpan(start, n);
            if (Inflate(data[2..]) is not { } plain) continue;
            var adler = Adler32(plain);
            if (n >= 6 && BinaryPrimitives.ReadUInt32BigEndian(data[^4..]) == adler) continue;   // already complete

            var digitsAt = dict.Index + length.Groups["n"].Index;
            var newDigits = (n + 4).ToString(CultureInfo.InvariantCulture);
            output.Write(pdf, copied, digitsAt - copied);
            output.Write(Encoding.ASCII.GetBytes(newDigits));
            edits.Add((digitsAt, newDigits.Length - length.Groups["n"].Length));
            var after = digitsAt + length.Groups["n"].Length;
            output.Write(pdf, after, start + n - after);
            BinaryPrimitives.WriteUInt32BigEndian(trailer, adler);
            output.Write(trailer);
            edits.Add((start + n, 4));
            copied = start + n;
        }
        if (edits.Count == 0) return pdf;
        output.Write(pdf, copied, pdf.Length - copied);
        return RewriteXref(output.ToArray(), text, edits);
    }

    /// <summary>Moves every offset of the classic xref table and startxref by the bytes inserted before it.</summary>
    static byte[] RewriteXref(byte[] result, string original, List<(int At, int Delta)> edits)
    {
        long Moved(long offset) => offset + edits.Where(e => e.At < offset).Sum(e => e.Delta);
        var tail = StartXref().Match(original);
        if (!tail.Success) throw new InvalidOperationException("PDFsharp output has no startxref.");
        var xrefOld = int.Parse(tail.Groups["at"].Value, CultureInfo.InvariantCulture);
        if (!original.AsSpan(xrefOld).StartsWith("xref", StringComparison.Ordinal))
            throw new InvalidOperationException("PDFsharp output has no classic cross-reference table.");
        var xrefNew = (int)Moved(xrefOld);

        // Subsections of "first count" followed by count 20-byte entries "oooooooooo ggggg n\r\n".
        var at = xrefNew + 4;
        while (true)
        {
            while (at < result.Length && result[at] is (byte)' ' or (byte)'\r' or (byte)'\n') at++;
            var lineEnd = Array.IndexOf(result, (byte)'\n', at);
            var line = Encoding.ASCII.GetString(result, at, lineEnd - at).Trim();
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var count)) break;
            at = lineEnd + 1;
            for (var i = 0; i < count; i++, at += 20)
            {
                if (result[at + 17] != (byte)'n') continue;
                var offset = long.Parse(Encoding.ASCII.GetString(result, at, 10), CultureInfo.InvariantCulture);
                Encoding.ASCII.GetBytes(Moved(offset).ToString("D10", CultureInfo.InvariantCulture), result.AsSpan(at, 10));
            }
        }

        // startxref is the last number of the file and may have grown a digit: splice it in.
        var oldValue = tail.Groups["at"];
        var valueAt = (int)Moved(oldValue.Index);
        return [.. result.AsSpan(0, valueAt), .. Encoding.ASCII.GetBytes(xrefNew.ToString(CultureInfo.InvariantCulture)),
                .. result.AsSpan(valueAt + oldValue.Length)];
    }

    static byte[]? Inflate(ReadOnlySpan<byte> deflate)
    {
        try
        {
            using var input = new MemoryStream(deflate.ToArray());
            using var inflater = new DeflateStream(input, CompressionMode.Decompress);
            using var plain = new MemoryStream();
            inflater.CopyTo(plain);
            return plain.ToArray();
        }
        catch (InvalidDataException) { return null; }
    }

    internal static uint Adler32(ReadOnlySpan<byte> data)
    {
        const uint Mod = 65521;
        uint a = 1, b = 0;
        while (!data.IsEmpty)
        {
            var chunk = data[..Math.Min(data.Length, 5552)];   // the longest run before b can overflow 32 bits
            foreach (var x in chunk) { a += x; b += a; }
            a %= Mod; b %= Mod;
            data = data[chunk.Length..];
        }
        return (b << 16) | a;
    }
}
