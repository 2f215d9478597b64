namespace Portal.Core.Dossiers;

/// <summary>
/// The national status codes 1–10 (DOMAIN.md §3.1) and Portal's own 0 for a draft, which is never exported.
/// Names are the regulation's Vietnamese; keys are Portal's unambiguous API keys (§3.2, last column).
/// </summary>
public static class DossierStatus
{
    public const short Draft = 0;
    public const short Submitted = 1;
    public const short Received = 2;
    public const short Refused = 3;
    public const short Processing = 4;
    public const short AwaitingSupplement = 5;
    public const short AwaitingPayment = 6;
    public const short WithdrawalRequested = 7;
    public const short Stopped = 8;
    public const short Processed = 9;
    public const short Returned = 10;

    static readonly string[] Names =
    [
        "Đang soạn (chưa nộp)", "Mới đăng ký", "Được tiếp nhận", "Không được tiếp nhận", "Đang xử lý",
        "Yêu cầu bổ sung giấy tờ", "Yêu cầu thực hiện nghĩa vụ tài chính", "Công dân yêu cầu rút hồ sơ", "Dừng xử lý",
        "Đã xử lý xong", "Đã trả kết quả",
    ];

    static readonly string[] Keys =
    [
        "draft", "submitted", "received", "refused", "processing", "awaiting_supplement", "awaiting_payment",
        "withdrawal_requested", "stopped", "processed", "returned",
    ];

    public static string Name(short status) => Names[status];
    public static string Key(short status) => Keys[status];

    /// <summary>No step follows (3, 8, 10).</summary>
    public static bool IsFinal(short status) => status is Refused or Stopped or Returned;
}
