using System.Globalization;
using Portal.Core.Documents;

namespace Portal.Core.CertifiedCopies;

/// <summary>
/// Whether an uploaded file can be the scan of an original to certify (DOMAIN.md §8.1): a PDF, JPEG or PNG whose
/// measured resolution is at least 200 dpi. Used by the citizen's upload and by the officer's, with the same words.
/// </summary>
public static class ScanUpload
{
    public abstract record Verdict
    {
        /// <summary>Pages for the fee; the lowest resolution measured, null when it could not be measured.</summary>
        public sealed record Accepted(int Pages, int? Dpi) : Verdict;
        public sealed record Refused(string Message) : Verdict;
    }

    public const string Hint = "Bản quét của bản chính: tệp PDF, JPG hoặc PNG, quét ở độ phân giải từ 200 dpi trở lên, đúng khổ giấy (100 %).";

    public static Verdict Check(string name, FileType type, ReadOnlyMemory<byte> bytes, CancellationToken ct = default)
    {
        if (type != FileType.Pdf && type != FileType.Jpeg && type != FileType.Png)
            return new Verdict.Refused($"Tệp \"{name}\" là {type.Label}. Bản quét để chứng thực phải là tệp PDF, JPG hoặc PNG.");
        if (type == FileType.Pdf && Encrypted(bytes, ct))
            return new Verdict.Refused($"Tệp PDF \"{name}\" có mật khẩu hoặc được mã hóa nên không dùng làm bản sao được. "
                + "Hãy lưu lại thành tệp PDF không đặt mật khẩu rồi tải lên lại.");
        if (ScanResolution.Measure(bytes, ct) is not { } report)
            return new Verdict.Refused(
                $"Không đọc được tệp \"{name}\" như một bản quét. Hãy quét lại bản chính, hoặc xuất lại tệp thành PDF, JPG hoặc PNG, rồi tải lên lại.");
        if (report.FirstPageBelow(ScanResolution.MinimumDpi) is { } low)
        {
            var page = report.Pages[low - 1];
            var where = report.PageCount > 1 ? $" (trang {low})" : "";
            var how = page.Source == DpiSource.A4 ? ", tính theo số điểm ảnh so với khổ A4 vì tệp không ghi độ phân giải" : "";
            return new Verdict.Refused(
                $"Tệp \"{name}\"{where} có độ phân giải khoảng {Math.Round(page.Dpi!.Value).ToString(CultureInfo.InvariantCulture)} dpi{how}, "
                + $"thấp hơn mức tối thiểu {ScanResolution.MinimumDpi} dpi của bản sao điện tử. Hãy quét lại bản chính ở độ phân giải "
                + "200 dpi trở lên (chọn 200 hoặc 300 dpi trong cài đặt máy quét, giữ nguyên khổ giấy) rồi tải lên lại.");
        }
        return new Verdict.Accepted(report.PageCount, report.MinDpi is { } dpi ? (int)Math.Round(dpi) : null);
    }

    // The copy imports the scan's pages, which an encrypted PDF does not allow; unreadable files are Measure's to report.
    static bool Encrypted(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        try { return Signatures.Pdf.PdfFile.Open(bytes, ct).IsEncrypted; }
        catch (Signatures.Pdf.PdfFormatException) { return false; }
    }
}
