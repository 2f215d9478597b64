using Portal.Core.Deadlines;
using Portal.Core.Signatures;

namespace Portal.Web;

// Vietnamese wording of signature reports (SIGNATURES.md §6.2): times in Vietnam time, dd/MM/yyyy.
public static class SignatureLabels
{
    public static string Verdict(string indication) => indication switch
    {
        "TOTAL_PASSED" => "Hợp lệ",
        "TOTAL_FAILED" => "Không hợp lệ",
        _ => "Chưa xác định",
    };

    /// <summary>The CN of a distinguished name as .NET writes it ("CN=VNPT-CA SHA2, O=…"), else the whole name.</summary>
    public static string CommonName(string dn)
    {
        foreach (var part in dn.Split(", "))
            if (part.StartsWith("CN=", StringComparison.Ordinal)) return part[3..].Trim('"');
        return dn;
    }

    public static string Time(DateTimeOffset t) => LegalTime.Local(t).ToString("HH:mm:ss 'ngày' dd/MM/yyyy") + " (giờ Việt Nam)";

    public static string SigningTime(SignatureResult s) => s.SigningTimeSource switch
    {
        "timestamp" when s.SigningTime is { } t => $"{Time(t)} — theo dấu thời gian{(s.TimestampAuthority is { } tsa ? " của " + CommonName(tsa) : "")}",
        "claimed" when s.SigningTime is { } t => $"{Time(t)} — theo khai báo của người ký (chưa được chứng minh)",
        _ => "Không có thông tin",
    };

    public static string Coverage(SignatureResult s, int? revisions)
    {
        if (s.CoversWholeFile == true) return "Toàn bộ tài liệu";
        var part = s.Revision is { } r && revisions is { } n ? $"Phiên bản {r} trên {n}" : "Một phần tài liệu";
        return s.ModificationsAfter is { } m ? $"{part}; sau khi ký có thêm: {Modification(m)}" : part;
    }

    public static string Modification(string level) => level switch
    {
        "none" => "dữ liệu kiểm tra chữ ký (không thay đổi nội dung)",
        "form-filling" => "điền biểu mẫu hoặc thêm chữ ký",
        "annotations" => "ghi chú",
        _ => "thay đổi nội dung (không được phép)",
    };
}
