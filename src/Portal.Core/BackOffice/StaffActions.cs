using Portal.Core.Dossiers;

namespace Portal.Core.BackOffice;

/// <summary>
/// One back-office action: its API key, its Vietnamese name, the statuses it may start from (DOMAIN.md §3.4) and the
/// roles that may take it. Step-bound actions must also be allowed by the dossier's current workflow step.
/// </summary>
public sealed record StaffAction(string Key, string Name, short[] From, string[] Roles, bool StepBound = false)
{
    public bool AllowedFrom(short status) => From.Contains(status);
}

public static class StaffActions
{
    const string Reception = "receiving-officer", Specialist = "specialist", Head = "head-of-division", Leader = "agency-leader",
        Result = "result-officer";

    public static readonly IReadOnlyList<StaffAction> All =
    [
        new("receive", "Tiếp nhận hồ sơ", [1], [Reception]),
        new("request-supplement", "Yêu cầu bổ sung hồ sơ", [1, 2, 4], [Reception, Specialist, Head]),
        new("refuse", "Từ chối tiếp nhận", [1], [Reception]),
        new("assign", "Phân công chuyên viên", [2, 4], [Head, Leader]),
        new("forward", "Chuyển bước tiếp theo", [2, 4], [Reception, Specialist, Head, Leader], StepBound: true),
        new("transfer", "Chuyển liên thông", [4], [Reception, Specialist, Head, Leader], StepBound: true),
        new("return-to-previous", "Trả lại bước trước", [4], [Specialist, Head, Leader], StepBound: true),
        new("request-fees", "Yêu cầu thực hiện nghĩa vụ tài chính", [4], [Specialist, Head], StepBound: true),
        new("confirm-payment", "Xác nhận đã thực hiện nghĩa vụ tài chính", [6], [Reception, Specialist, Head]),
        new("stop", "Dừng giải quyết hồ sơ", [2, 4, 5, 6], [Leader]),
        new("confirm-withdrawal", "Đồng ý cho rút hồ sơ", [7], [Reception, Leader]),
        new("decline-withdrawal", "Không đồng ý cho rút hồ sơ", [7], [Reception, Leader]),
        new("approve", "Phê duyệt kết quả", [4], [Head, Leader], StepBound: true),
        new("add-result", "Thêm văn bản kết quả", [4], [Specialist, Head, Leader]),
        new("done", "Hoàn thành xử lý", [4], [Specialist, Head, Leader]),
        new("return-result", "Trả kết quả", [9], [Reception, Result]),
        new("draft-apology", "Soạn văn bản xin lỗi và hẹn lại", [2, 4, 5, 6], [Specialist, Head, Leader]),
        new("approve-apology", "Duyệt và phát hành văn bản xin lỗi", [2, 4, 5, 6], [Leader]),
    ];

    public static StaffAction? Find(string key) => All.FirstOrDefault(a => a.Key == key);

    /// <summary>Why an action cannot start from a status, in words (the 409's detail).</summary>
    public static string NotFrom(StaffAction action, short status) => status switch
    {
        DossierStatus.Refused or DossierStatus.Stopped or DossierStatus.Returned =>
            $"Hồ sơ đã kết thúc (“{DossierStatus.Name(status)}”); không thể “{action.Name.ToLowerInvariant()}”.",
        DossierStatus.Processed or DossierStatus.Returned when action.Key is "stop" or "confirm-withdrawal" =>
            "Hồ sơ đã xử lý xong; không thể dừng hay rút.",
        _ => $"Hồ sơ đang ở trạng thái “{DossierStatus.Name(status)}”; không thể “{action.Name.ToLowerInvariant()}”. " +
             $"Thao tác này chỉ dùng khi hồ sơ ở trạng thái {string.Join(" hoặc ", action.From.Select(s => $"“{DossierStatus.Name(s)}”"))}.",
    };
}
