using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Portal.Core.Dossiers;
using Portal.Core.Tests.Dossiers;

namespace Portal.Core.Tests.Documents;

/// <summary>PDFsharp 6.5 leaves out the Adler-32 of its zlib streams; Portal's PDFs carry it (ZlibTrailer).</summary>
public sealed partial class ZlibTrailerTests
{
    [GeneratedRegex(@"<<(?<dict>[^<>]*/FlateDecode[^<>]*)>>\s*stream\r?\n")]
    private static partial Regex FlateStream();

    [GeneratedRegex(@"/Length (\d+)")]
    private static partial Regex Length();

    [Fact]
    public void The_checksum_used_here_is_adler_32()
    {
        Assert.Equal(0x11E60398u, Adler32(Encoding.ASCII.GetBytes("Wikipedia")));   // RFC 1950's worked example value
    }

    [Fact]
    public void Every_flate_stream_of_a_receipt_ends_with_its_adler_32()
    {
        var pdf = ReceiptPdf.Build(ReceiptPdfTests.Sample(documents: 30));
        var text = Encoding.Latin1.GetString(pdf);
        var streams = FlateStream().Matches(text);

        Assert.True(streams.Count >= 8, $"{streams.Count} streams");   // page contents, fonts, ToUnicode maps
        foreach (Match m in streams)
        {
            var n = int.Parse(Length().Match(m.Groups["dict"].Value).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var data = pdf.AsSpan(m.Index + m.Length, n);
            Assert.Equal("endstream", text.Substring(m.Index + m.Length + n, 11).Trim());
            using var inflater = new DeflateStream(new MemoryStream(data[2..^4].ToArray()), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            inflater.CopyTo(plain);
            Assert.Equal(Adler32(plain.ToArray()), BinaryPrimitives.ReadUInt32BigEndian(data[^4..]));
        }
    }

    static uint Adler32(byte[] data)
    {
        uint a = 1, b = 0;
        foreach (var x in data) { a = (a + x) % 65521; b = (b + a) % 65521; }
        return (b << 16) | a;
    }
}
