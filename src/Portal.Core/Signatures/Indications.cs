namespace Portal.Core.Signatures;

/// <summary>ETSI EN 319 102-1 main indication of a signature (SIGNATURES.md §1).</summary>
public enum Indication { TotalPassed, TotalFailed, Indeterminate }

/// <summary>ETSI EN 319 102-1 sub-indications Portal produces (SIGNATURES.md §1, §1.1).</summary>
public enum SubIndication
{
    None,
    FormatFailure,
    HashFailure,
    SigCryptoFailure,
    Revoked,
    Expired,
    NotYetValid,
    SigConstraintsFailure,
    ChainConstraintsFailure,
    CertificateChainGeneralFailure,
    CryptoConstraintsFailure,
    CryptoConstraintsFailureNoPoe,
    TimestampOrderFailure,
    NoSigningCertificateFound,
    NoCertificateChainFound,
    RevokedNoPoe,
    RevokedCaNoPoe,
    OutOfBoundsNotRevoked,
    OutOfBoundsNoPoe,
    TryLater,
    SignedDataNotFound,
    NoPoe,
}

/// <summary>What changed in a PDF after a signature's revision (SIGNATURES.md §3.9).</summary>
public enum ModificationLevel { None, FormFilling, Annotations, Other }

/// <summary>The spellings used in reports and the API, and the Vietnamese reasons of SIGNATURES.md §6.3.</summary>
public static class Indications
{
    public static string Code(Indication indication) => indication switch
    {
        Indication.TotalPassed => "TOTAL_PASSED",
        Indication.TotalFailed => "TOTAL_FAILED",
        _ => "INDETERMINATE",
    };

    /// <summary>UPPER_SNAKE_CASE as in DSS's SubIndication enum; null for <see cref="SubIndication.None"/>.</summary>
    public static string? Code(SubIndication sub) => sub == SubIndication.None ? null : sub switch
    {
        SubIndication.CryptoConstraintsFailureNoPoe => "CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
        SubIndication.RevokedNoPoe => "REVOKED_NO_POE",
        SubIndication.RevokedCaNoPoe => "REVOKED_CA_NO_POE",
        SubIndication.OutOfBoundsNoPoe => "OUT_OF_BOUNDS_NO_POE",
        SubIndication.OutOfBoundsNotRevoked => "OUT_OF_BOUNDS_NOT_REVOKED",
        SubIndication.NoPoe => "NO_POE",
        _ => string.Concat(sub.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant(),
    };

    public static string Code(ModificationLevel level) => level switch
    {
        ModificationLevel.None => "none",
        ModificationLevel.FormFilling => "form-filling",
        ModificationLevel.Annotations => "annotations",
        _ => "other",
    };

    /// <summary>The citizen-facing reason for a failing or undetermined signature.</summary>
    public static string Reason(SubIndication sub) => sub switch
    {
        SubIndication.HashFailure => "Nội dung tài liệu đã bị thay đổi sau khi ký.",
        SubIndication.SigCryptoFailure => "Giá trị chữ ký không khớp với chứng thư số của người ký.",
        SubIndication.FormatFailure => "Cấu trúc chữ ký hoặc tệp PDF không đúng chuẩn, hoặc tài liệu đã bị sửa đổi sau khi ký.",
        SubIndication.Revoked => "Chứng thư số đã bị thu hồi trước thời điểm ký.",
        SubIndication.Expired => "Chứng thư số đã hết hạn trước thời điểm ký.",
        SubIndication.NotYetValid => "Chứng thư số chưa có hiệu lực tại thời điểm ký.",
        SubIndication.NoCertificateChainFound => "Chứng thư số không thuộc một tổ chức cung cấp dịch vụ chứng thực được công nhận (Root CA quốc gia hoặc Ban Cơ yếu Chính phủ).",
        SubIndication.NoSigningCertificateFound => "Không xác định được chứng thư số của người ký.",
        SubIndication.SigConstraintsFailure => "Chữ ký thiếu thông tin bắt buộc hoặc thời điểm ký nằm ngoài thời hạn của chứng thư số.",
        SubIndication.CertificateChainGeneralFailure or SubIndication.ChainConstraintsFailure =>
            "Chứng thư số hoặc chuỗi chứng thư không đáp ứng yêu cầu (ví dụ: không được phép dùng để ký).",
        SubIndication.CryptoConstraintsFailure or SubIndication.CryptoConstraintsFailureNoPoe =>
            "Thuật toán hoặc độ dài khóa không còn đủ an toàn (ví dụ SHA-1, RSA dưới 2048 bit).",
        SubIndication.OutOfBoundsNoPoe or SubIndication.OutOfBoundsNotRevoked =>
            "Chứng thư số đã hết hạn và không có dấu thời gian chứng minh chữ ký được tạo khi chứng thư còn hiệu lực.",
        SubIndication.RevokedNoPoe or SubIndication.RevokedCaNoPoe =>
            "Chứng thư số đã bị thu hồi và không chứng minh được chữ ký có trước thời điểm thu hồi.",
        SubIndication.TryLater => "Chưa kiểm tra được tình trạng thu hồi của chứng thư số. Hệ thống sẽ tự kiểm tra lại.",
        SubIndication.TimestampOrderFailure => "Dấu thời gian trong chữ ký không nhất quán.",
        SubIndication.SignedDataNotFound => "Không tìm thấy dữ liệu đã được ký.",
        SubIndication.NoPoe => "Không có bằng chứng về thời điểm tồn tại của chữ ký.",
        _ => "",
    };
}
