using System.Buffers.Binary;
using Portal.Core.Documents;
using Portal.Core.Signatures.Pdf;

namespace Portal.Core.CertifiedCopies;

/// <summary>How a page's resolution was found, or why it could not be.</summary>
public enum DpiSource
{
    /// <summary>The density the file declares (JFIF, EXIF, PNG pHYs).</summary>
    Declared,
    /// <summary>No density in the file: the pixels taken as an A4 page.</summary>
    A4,
    /// <summary>A PDF page: the scanned image that covers it, against the page size.</summary>
    PageImage,
    /// <summary>A PDF page without an image that covers it (typed text, vector drawing): nothing to measure.</summary>
    NotAScan,
}

/// <summary>One page of a scan: its resolution in dots per inch (null when it cannot be measured) and how it was found.</summary>
public sealed record ScanPage(double? Dpi, DpiSource Source);

/// <summary>An image's pixels and the density it is placed at (its own, else the A4 assumption).</summary>
public sealed record ImageScan(int Width, int Height, double DpiX, double DpiY, DpiSource Source)
{
    public double Dpi => Math.Min(DpiX, DpiY);
    /// <summary>The page the image makes at 100 % (Decree 30/2020 Annex I: electronic copies at 100 % scale), in points.</summary>
    public double WidthPoints => Width / DpiX * 72;
    public double HeightPoints => Height / DpiY * 72;
}

/// <summary>What a scan check found: one entry per page of the copy.</summary>
public sealed record ScanReport(FileType Type, IReadOnlyList<ScanPage> Pages)
{
    public int PageCount => Pages.Count;

    /// <summary>The lowest resolution measured, null when no page could be measured.</summary>
    public double? MinDpi => Pages.Where(p => p.Dpi is not null).Select(p => p.Dpi).Min();

    /// <summary>The first page (1-based) below the minimum, or null.</summary>
    public int? FirstPageBelow(int minimum)
    {
        for (var i = 0; i < Pages.Count; i++)
            if (Pages[i].Dpi is { } dpi && Math.Round(dpi) < minimum) return i + 1;
        return null;
    }
}

/// <summary>
/// The resolution of a scanned original (DOMAIN.md §8.1 layout reference: electronic copies at 200 dpi or more), read
/// from the file's own bytes, "where possible":
/// <list type="bullet">
/// <item>JPEG: the JFIF density (APP0, units dpi or dots per cm), else the EXIF XResolution/YResolution of IFD0 with its
/// ResolutionUnit; else the pixels taken as an A4 page (short side over 8.27 in, long side over 11.69 in).</item>
/// <item>PNG: the pHYs chunk (pixels per metre); else the pixels as an A4 page.</item>
/// <item>PDF: per page, the largest image XObject of the page's resources, when its shape matches the page's (within
/// 10 %: it is the scan of that page), against the page's MediaBox. A page whose images do not cover it (typed text,
/// a logo) is not a scan and is not measured.</item>
/// </list>
/// Not checked: images inside form XObjects or inline images of a PDF page, a PDF image drawn smaller than its page
/// (the content stream's transformation is not followed), and whether a declared density is truthful.
/// </summary>
public static class ScanResolution
{
    public const int MinimumDpi = 200;
    const double A4ShortInches = 210 / 25.4;
    const double A4LongInches = 297 / 25.4;
    const double ShapeTolerance = 0.10;

    /// <summary>The scan's pages and resolution; null when the file is not a readable PDF, JPEG or PNG.</summary>
    public static ScanReport? Measure(ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        var type = FileType.Detect(data.Span[..Math.Min(data.Length, FileStore.HeadBytes)]);
        if (type == FileType.Jpeg || type == FileType.Png)
            return Image(data.Span) is { } image ? new ScanReport(type, [new ScanPage(image.Dpi, image.Source)]) : null;
        if (type != FileType.Pdf) return null;
        try
        {
            var file = PdfFile.Open(data, ct);
            var pages = file.Pages();
            if (pages.Count == 0) return null;
            return new ScanReport(type, [.. pages.Select(p => PdfPageDpi(file, p))]);
        }
        catch (Exception e) when (e is PdfFormatException or InvalidCastException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>A JPEG's or PNG's pixels and density; null when the header cannot be read.</summary>
    public static ImageScan? Image(ReadOnlySpan<byte> data)
    {
        var found = data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? Jpeg(data)
            : data.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]) ? Png(data)
            : null;
        if (found is not { } f || f.Width <= 0 || f.Height <= 0) return null;
        if (f.DpiX is > 0 and < 100_000 && f.DpiY is > 0 and < 100_000)
            return new ImageScan(f.Width, f.Height, f.DpiX.Value, f.DpiY.Value, DpiSource.Declared);
        var a4 = A4Dpi(f.Width, f.Height);
        return new ImageScan(f.Width, f.Height, a4, a4, DpiSource.A4);
    }

    /// <summary>The resolution pixels give when the image is an A4 page in either orientation.</summary>
    public static double A4Dpi(int width, int height) =>
        Math.Min(Math.Min(width, height) / A4ShortInches, Math.Max(width, height) / A4LongInches);

    readonly record struct Header(int Width, int Height, double? DpiX, double? DpiY);

    static Header? Jpeg(ReadOnlySpan<byte> d)
    {
        int width = 0, height = 0;
        double? jfifX = null, jfifY = null, exifX = null, exifY = null;
        var at = 2;
        while (at + 4 <= d.Length)
        {
            if (d[at] != 0xFF) return null;                  // not at a marker: a corrupt header
            var marker = d[at + 1];
            if (marker == 0xFF) { at++; continue; }           // fill byte
            if (marker is 0x01 or (>= 0xD0 and <= 0xD8)) { at += 2; continue; }   // markers without a length
            if (marker is 0xD9 or 0xDA) break;                // end of image, start of scan: the header is over
            var length = BinaryPrimitives.ReadUInt16BigEndian(d[(at + 2)..]);
            if (length < 2 || at + 2 + length > d.Length) return null;
            var body = d.Slice(at + 4, length - 2);
            if (marker == 0xE0 && body.Length >= 12 && body.StartsWith("JFIF\0"u8))
            {
                var units = body[7];
                var x = BinaryPrimitives.ReadUInt16BigEndian(body[8..]);
                var y = BinaryPrimitives.ReadUInt16BigEndian(body[10..]);
                // units 0 is an aspect ratio only, not a density.
                if (units is 1 or 2) (jfifX, jfifY) = units == 1 ? (x, y) : (x * 2.54, y * 2.54);
            }
            else if (marker == 0xE1 && body.StartsWith("Exif\0\0"u8))
                (exifX, exifY) = Exif(body[6..]);
            else if (marker is (>= 0xC0 and <= 0xCF) and not 0xC4 and not 0xC8 and not 0xCC && body.Length >= 5)
            {
                height = BinaryPrimitives.ReadUInt16BigEndian(body[1..]);
                width = BinaryPrimitives.ReadUInt16BigEndian(body[3..]);
            }
            at += 2 + length;
        }
        if (width == 0) return null;
        return jfifX is not null ? new Header(width, height, jfifX, jfifY) : new Header(width, height, exifX, exifY);
    }

    /// <summary>XResolution, YResolution and ResolutionUnit (2 inch, the default; 3 centimetre) of the TIFF header's IFD0.</summary>
    static (double?, double?) Exif(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8) return (null, null);
        var little = tiff[0] == (byte)'I';
        if (!little && tiff[0] != (byte)'M') return (null, null);
        var ifd = U32(tiff, 4, little);
        if (ifd < 8 || ifd + 2 > tiff.Length) return (null, null);
        var count = U16(tiff, (int)ifd, little);
        double? x = null, y = null;
        var unit = 2;
        for (var i = 0; i < count; i++)
        {
            var entry = (int)ifd + 2 + 12 * i;
            if (entry + 12 > tiff.Length) break;
            var tag = U16(tiff, entry, little);
            var type = U16(tiff, entry + 2, little);
            switch (tag)
            {
                case 0x011A: x = Rational(tiff, entry, type, little); break;
                case 0x011B: y = Rational(tiff, entry, type, little); break;
                case 0x0128 when type == 3: unit = U16(tiff, entry + 8, little); break;
            }
        }
        if (unit == 3) return (x * 2.54, y * 2.54);
        return unit == 2 ? (x, y) : (null, null);          // unit 1: no absolute unit
    }

    /// <summary>A RATIONAL entry's value: two LONGs at the entry's offset.</summary>
    static double? Rational(ReadOnlySpan<byte> tiff, int entry, ushort type, bool little)
    {
        if (type != 5) return null;
        var offset = U32(tiff, entry + 8, little);
        if (offset + 8 > tiff.Length) return null;
        var den = U32(tiff, (int)offset + 4, little);
        return den == 0 ? null : (double)U32(tiff, (int)offset, little) / den;
    }

    static uint U32(ReadOnlySpan<byte> s, int at, bool little) => at >= 0 && at + 4 <= s.Length
        ? (little ? BinaryPrimitives.ReadUInt32LittleEndian(s[at..]) : BinaryPrimitives.ReadUInt32BigEndian(s[at..])) : 0;

    static ushort U16(ReadOnlySpan<byte> s, int at, bool little) => at >= 0 && at + 2 <= s.Length
        ? (little ? BinaryPrimitives.ReadUInt16LittleEndian(s[at..]) : BinaryPrimitives.ReadUInt16BigEndian(s[at..])) : (ushort)0;

    static Header? Png(ReadOnlySpan<byte> d)
    {
        int width = 0, height = 0;
        double? dpiX = null, dpiY = null;
        var at = 8;
        while (at + 8 <= d.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(d[at..]);
            if (length > int.MaxValue || at + 12 + (long)length > d.Length) break;
            var type = d.Slice(at + 4, 4);
            var body = d.Slice(at + 8, (int)length);
            if (type.SequenceEqual("IHDR"u8) && body.Length >= 8)
            {
                width = (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(body));
                height = (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(body[4..]));
            }
            else if (type.SequenceEqual("pHYs"u8) && body.Length >= 9 && body[8] == 1)   // unit 1: the metre
            {
                dpiX = BinaryPrimitives.ReadUInt32BigEndian(body) * 0.0254;
                dpiY = BinaryPrimitives.ReadUInt32BigEndian(body[4..]) * 0.0254;
            }
            else if (type.SequenceEqual("IDAT"u8)) break;      // pHYs must come before the image data
            at += 12 + (int)length;
        }
        return width == 0 ? null : new Header(width, height, dpiX, dpiY);
    }

    static ScanPage PdfPageDpi(PdfFile file, PdfPage page)
    {
        if (file.Resolve(page.MediaBox) is not PdfArray { Count: 4 } box) return new ScanPage(null, DpiSource.NotAScan);
        var w = Math.Abs(Number(file, box[2]) - Number(file, box[0])) / 72;
        var h = Math.Abs(Number(file, box[3]) - Number(file, box[1])) / 72;
        if (w <= 0 || h <= 0) return new ScanPage(null, DpiSource.NotAScan);
        var images = file.ResolveDictionary(file.ResolveDictionary(page.Resources)?.Get("XObject"));
        (double Width, double Height)? largest = null;
        foreach (var (_, value) in (IEnumerable<KeyValuePair<string, PdfObject>>?)images ?? [])
            if (file.Resolve(value) is PdfStream { Dictionary: var x } && x.GetName("Subtype") == "Image")
            {
                var iw = Number(file, x.Get("Width"));
                var ih = Number(file, x.Get("Height"));
                if (iw > 0 && ih > 0 && (largest is not { } l || iw * ih > l.Width * l.Height)) largest = (iw, ih);
            }
        if (largest is not { } image) return new ScanPage(null, DpiSource.NotAScan);
        // Orientation does not matter (a landscape scan on a rotated page): compare long sides and short sides.
        double pageLong = Math.Max(w, h), pageShort = Math.Min(w, h);
        double imageLong = Math.Max(image.Width, image.Height), imageShort = Math.Min(image.Width, image.Height);
        var pageShape = pageLong / pageShort;
        if (Math.Abs(imageLong / imageShort - pageShape) / pageShape > ShapeTolerance) return new ScanPage(null, DpiSource.NotAScan);
        return new ScanPage(Math.Min(imageLong / pageLong, imageShort / pageShort), DpiSource.PageImage);
    }

    static double Number(PdfFile file, PdfObject? value) => file.Resolve(value) switch
    {
        PdfInteger i => i.Value,
        PdfReal r => r.Value,
        _ => 0,
    };
}
