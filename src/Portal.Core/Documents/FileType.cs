using System.Text;
using Portal.Core.Signatures;

namespace Portal.Core.Documents;

/// <summary>A file type recognised from its first bytes (never from its name or the browser's claim).</summary>
public sealed record FileType(string Code, string MediaType, string Label)
{
    public static readonly FileType Pdf = new("pdf", "application/pdf", "tài liệu PDF");
    public static readonly FileType Cms = new("cms", "application/pkcs7-signature", "chữ ký CMS/PKCS#7 (.p7s, .p7m)");
    public static readonly FileType Jpeg = new("jpeg", "image/jpeg", "ảnh JPEG");
    public static readonly FileType Png = new("png", "image/png", "ảnh PNG");
    public static readonly FileType Gif = new("gif", "image/gif", "ảnh GIF");
    public static readonly FileType Tiff = new("tiff", "image/tiff", "ảnh TIFF");
    public static readonly FileType Docx = new("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "văn bản Word (.docx)");
    public static readonly FileType Xlsx = new("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "bảng tính Excel (.xlsx)");
    public static readonly FileType Odt = new("odt", "application/vnd.oasis.opendocument.text", "văn bản OpenDocument (.odt)");
    public static readonly FileType Zip = new("zip", "application/zip", "tệp nén ZIP");
    public static readonly FileType OleDocument = new("ole", "application/x-ole-storage", "tài liệu Office cũ (.doc, .xls)");
    public static readonly FileType Xml = new("xml", "application/xml", "tệp XML");
    public static readonly FileType Text = new("text", "text/plain", "tệp văn bản thuần");
    public static readonly FileType Empty = new("empty", "application/octet-stream", "tệp rỗng");
    public static readonly FileType Unknown = new("unknown", "application/octet-stream", "tệp không xác định được loại");

    /// <summary>Recognises a file from its head (the first few KiB are enough; ZIP kinds need the first entry names).</summary>
    public static FileType Detect(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty) return Empty;
        if (StartsWithPdf(head)) return Pdf;
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return Jpeg;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return Png;
        if (head.StartsWith("GIF8"u8)) return Gif;
        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8)) return Tiff;
        if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])) return OleDocument;
        if (head.StartsWith("PK\x03\x04"u8)) return ZipKind(head);
        if (CmsVerifier.LooksLikeCms(head)) return Cms;   // DER, BER or PEM signedData
        var trimmed = head.TrimStart("\xEF\xBB\xBF"u8).TrimStart(" \t\r\n"u8);
        if (trimmed.StartsWith("<?xml"u8)) return Xml;
        return IsText(head) ? Text : Unknown;
    }

    /// <summary>"%PDF-" within the first 1024 bytes, as PDF readers allow leading junk.</summary>
    static bool StartsWithPdf(ReadOnlySpan<byte> head)
    {
        var at = head[..Math.Min(head.Length, 1024)].IndexOf("%PDF-"u8);
        return at >= 0;
    }

    static FileType ZipKind(ReadOnlySpan<byte> head)
    {
        // Office and OpenDocument files are ZIPs; the first entries tell them apart. ODF stores "mimetype" first,
        // uncompressed; OOXML has "[Content_Types].xml" and a "word/" or "xl/" folder early on.
        var text = Encoding.Latin1.GetString(head[..Math.Min(head.Length, 8192)]);
        if (text.Contains("mimetypeapplication/vnd.oasis.opendocument.text", StringComparison.Ordinal)) return Odt;
        if (text.Contains("word/", StringComparison.Ordinal)) return Docx;
        if (text.Contains("xl/", StringComparison.Ordinal)) return Xlsx;
        return Zip;
    }

    static bool IsText(ReadOnlySpan<byte> head)
    {
        var sample = head[..Math.Min(head.Length, 4096)];
        if (sample.Contains((byte)0)) return false;
        try { _ = new UTF8Encoding(false, true).GetCharCount(sample.Length == head.Length ? sample : TrimIncompleteUtf8(sample)); return true; }
        catch (DecoderFallbackException) { return false; }
    }

    static ReadOnlySpan<byte> TrimIncompleteUtf8(ReadOnlySpan<byte> s)
    {
        // A sample cut mid-character is still text: drop up to 3 trailing continuation/lead bytes.
        var end = s.Length;
        for (var i = 0; i < 3 && end > 0 && (s[end - 1] & 0x80) != 0; i++) end--;
        return s[..end];
    }
}
