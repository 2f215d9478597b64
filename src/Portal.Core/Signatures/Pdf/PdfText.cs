using System.Text;

namespace Portal.Core.Signatures.Pdf;

/// <summary>PDF text strings (§7.9.2.2) and dates (§7.9.4).</summary>
public static class PdfText
{
    // PDFDocEncoding differs from Latin-1 in 0x18–0x1F and 0x80–0xA0 (ISO 32000-1 Annex D.2).
    static readonly char[] High =
    [
        '\u2022', '\u2020', '\u2021', '\u2026', '\u2014', '\u2013', '\u0192', '\u2044', '\u2039', '\u203A', '\u2212',
        '\u2030', '\u201E', '\u201C', '\u201D', '\u2018', '\u2019', '\u201A', '\u2122', '\uFB01', '\uFB02', '\u0141',
        '\u0152', '\u0160', '\u0178', '\u017D', '\u0131', '\u0142', '\u0153', '\u0161', '\u017E', '\uFFFD', '\u20AC',
    ];
    static readonly char[] Low = ['\u02D8', '\u02C7', '\u02C6', '\u02D9', '\u02DD', '\u02DB', '\u02DA', '\u02DC'];

    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF) return Encoding.BigEndianUnicode.GetString(bytes[2..]);
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) return Encoding.UTF8.GetString(bytes[3..]);
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            chars[i] = b switch
            {
                >= 0x18 and <= 0x1F => Low[b - 0x18],
                >= 0x80 and <= 0xA0 => High[b - 0x80],
                _ => (char)b,
            };
        }
        return new string(chars);
    }

    /// <summary>
    /// Parses "D:YYYYMMDDHHmmSSOHH'mm'" (every part after the year optional). Without a time zone the time is read as
    /// UTC: the standard leaves it unknown, and a claim (/M) needs some reading. Null when malformed.
    /// </summary>
    public static DateTimeOffset? ParseDate(string? text)
    {
        if (text is null) return null;
        var s = text.Trim();
        if (s.StartsWith("D:", StringComparison.Ordinal)) s = s[2..];
        var p = 0;
        int? Read(int digits)
        {
            if (p + digits > s.Length) return null;
            var v = 0;
            for (var i = 0; i < digits; i++)
            {
                var c = s[p + i];
                if (c is < '0' or > '9') return null;
                v = v * 10 + (c - '0');
            }
            p += digits;
            return v;
        }
        var year = Read(4);
        if (year is null) return null;
        int month = 1, day = 1, hour = 0, minute = 0, second = 0;
        if (Read(2) is { } mo)
        {
            month = mo;
            if (Read(2) is { } d)
            {
                day = d;
                if (Read(2) is { } h)
                {
                    hour = h;
                    if (Read(2) is { } mi)
                    {
                        minute = mi;
                        if (Read(2) is { } se) second = se;
                    }
                }
            }
        }
        var offset = TimeSpan.Zero;
        if (p < s.Length)
        {
            var sign = s[p++];
            if (sign is '+' or '-')
            {
                var oh = Read(2);
                if (oh is null) return null;
                if (p < s.Length && s[p] == '\'') p++;
                var om = Read(2) ?? 0;
                if (p < s.Length && s[p] == '\'') p++;
                if (oh > 23 || om > 59) return null;
                offset = new TimeSpan(oh.Value, om, 0) * (sign == '-' ? -1 : 1);
            }
            else if (sign != 'Z') return null;
            else
            {
                // "Z" may be followed by "00'00'" in files written by older tools.
                if (Read(2) is not null && p < s.Length && s[p] == '\'') p++;
                Read(2);
                if (p < s.Length && s[p] == '\'') p++;
            }
            if (p != s.Length) return null;
        }
        // Years 2–9998 keep every offset inside DateTimeOffset's range.
        if (year is < 2 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year.Value, month)
            || hour > 23 || minute > 59 || second > 59)
            return null;
        return new DateTimeOffset(year.Value, month, day, hour, minute, second, offset);
    }
}
