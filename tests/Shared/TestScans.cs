using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Portal.Tests.Shared;

/// <summary>
/// Scans of an "original" for the certified-copy tests: real PNGs written here (8-bit grey, zlib, CRC-32), real JPEGs
/// rendered by poppler's pdftoppm (installed by ./test.sh with pdfsig), PDFs of scanned pages made with PDFsharp, and
/// JPEG headers alone for the parser's edge cases.
/// </summary>
public static class TestScans
{
    public const int A4Width200 = 1654, A4Height200 = 2339;   // A4 at 200 dpi, as pdftoppm -r 200 renders it

    /// <summary>A white page with a black frame and a few lines, <paramref name="dpi"/> in pHYs when given.</summary>
    public static byte[] Png(int width, int height, double? dpi)
    {
        var raw = new byte[(width + 1) * height];
        for (var y = 0; y < height; y++)
        {
            var row = y * (width + 1);
            raw[row] = 0;                                           // filter type None
            for (var x = 0; x < width; x++)
            {
                var ink = x < 8 || y < 8 || x >= width - 8 || y >= height - 8 || (y % 97 < 3 && x > width / 10 && x < width * 9 / 10);
                raw[row + 1 + x] = ink ? (byte)0 : (byte)255;
            }
        }
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) z.Write(raw);

        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = 8;                                                // bit depth
        ihdr[9] = 0;                                                // greyscale
        Chunk(png, "IHDR", ihdr);
        if (dpi is { } d)
        {
            var phys = new byte[9];
            var ppm = (uint)Math.Round(d / 0.0254);
            BinaryPrimitives.WriteUInt32BigEndian(phys, ppm);
            BinaryPrimitives.WriteUInt32BigEndian(phys.AsSpan(4), ppm);
            phys[8] = 1;                                            // the metre
            Chunk(png, "pHYs", phys);
        }
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    static void Chunk(Stream s, string type, byte[] data)
    {
        var head = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(head, (uint)data.Length);
        for (var i = 0; i < 4; i++) head[4 + i] = (byte)type[i];
        s.Write(head);
        s.Write(data);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(head.AsSpan(4), data));
        s.Write(crc);
    }

    static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    static uint Crc32(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in type) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        foreach (var b in data) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }

    /// <summary>
    /// A real JPEG of an A4 page rendered at <paramref name="dpi"/> by pdftoppm (JFIF density = dpi); <paramref name="detail"/>
    /// bytes of drawing make it weigh like a scanned page rather than a blank one.
    /// </summary>
    public static byte[] Jpeg(int dpi, string title = "Ban chinh", int detail = 0)
    {
        var dir = Directory.CreateTempSubdirectory("portal-scan-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "page.pdf"), TestPdfs.Pages(1, title, detail));
            var start = new ProcessStartInfo("pdftoppm") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "-jpeg", "-r", dpi.ToString(System.Globalization.CultureInfo.InvariantCulture), "-singlefile",
                         Path.Combine(dir, "page.pdf"), Path.Combine(dir, "scan") })
                start.ArgumentList.Add(a);
            using var p = Process.Start(start) ?? throw new InvalidOperationException("pdftoppm did not start; ./test.sh installs poppler-utils.");
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException("pdftoppm failed: " + p.StandardError.ReadToEnd());
            return File.ReadAllBytes(Path.Combine(dir, "scan.jpg"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>The same JPEG with another JFIF density (what a scanner that writes a wrong header does).</summary>
    public static byte[] WithJfifDensity(byte[] jpeg, int dpi)
    {
        var copy = (byte[])jpeg.Clone();
        if (copy[6] != 'J' || copy[7] != 'F') throw new ArgumentException("Not a JFIF file.");
        copy[13] = 1;                                               // units: dots per inch
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(14), (ushort)dpi);
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(16), (ushort)dpi);
        return copy;
    }

    /// <summary>
    /// Only a JPEG's header (SOI, optional APP0 JFIF, optional APP1 EXIF, SOF0, EOI): enough for the resolution reader,
    /// not an image. EXIF resolution is written in the byte order asked for, unit 2 (inch) or 3 (centimetre).
    /// </summary>
    public static byte[] JpegHeader(int width, int height, (byte Units, ushort X, ushort Y)? jfif = null,
        (uint X, uint Y, ushort Unit, bool Little)? exif = null)
    {
        var s = new MemoryStream();
        s.Write([0xFF, 0xD8]);
        if (jfif is { } j)
        {
            s.Write([0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, j.Units]);
            s.Write([(byte)(j.X >> 8), (byte)j.X, (byte)(j.Y >> 8), (byte)j.Y, 0, 0]);
        }
        if (exif is { } e)
        {
            var tiff = new byte[8 + 2 + 3 * 12 + 4 + 16];
            void U16(int at, ushort v) { if (e.Little) BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(at), v); else BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(at), v); }
            void U32(int at, uint v) { if (e.Little) BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(at), v); else BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(at), v); }
            tiff[0] = tiff[1] = (byte)(e.Little ? 'I' : 'M');
            U16(2, 42);
            U32(4, 8);
            U16(8, 3);
            var values = 8 + 2 + 3 * 12 + 4;
            (ushort Tag, ushort Type, uint Value)[] entries = [(0x011A, 5, (uint)values), (0x011B, 5, (uint)values + 8), (0x0128, 3, 0)];
            for (var i = 0; i < 3; i++)
            {
                var at = 10 + 12 * i;
                U16(at, entries[i].Tag);
                U16(at + 2, entries[i].Type);
                U32(at + 4, 1);
                if (entries[i].Tag == 0x0128) U16(at + 8, e.Unit); else U32(at + 8, entries[i].Value);
            }
            U32(values, e.X); U32(values + 4, 1);
            U32(values + 8, e.Y); U32(values + 12, 1);
            var length = 2 + 6 + tiff.Length;
            s.Write([0xFF, 0xE1, (byte)(length >> 8), (byte)length, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0]);
            s.Write(tiff);
        }
        s.Write([0xFF, 0xC0, 0x00, 0x11, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3,
                 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]);
        s.Write([0xFF, 0xD9]);
        return s.ToArray();
    }

    /// <summary>A PDF whose pages are page-sized images (PNG or JPEG): a scanned document, each image on an A4 page.</summary>
    public static byte[] PdfOfImages(params byte[][] pages)
    {
        Portal.Core.Documents.PortalFonts.EnsureInstalled();
        using var document = new PdfDocument();
        foreach (var png in pages)
        {
            var page = document.AddPage();
            page.Width = XUnit.FromMillimeter(210);
            page.Height = XUnit.FromMillimeter(297);
            using var gfx = XGraphics.FromPdfPage(page);
            using var image = XImage.FromStream(new MemoryStream(png));
            gfx.DrawImage(image, 0, 0, page.Width.Point, page.Height.Point);
        }
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }
}
