using System.Globalization;
using Portal.Core.BackOffice;
using Portal.Core.Deadlines;

namespace Portal.Web.Pages.Staff;

/// <summary>How the staff pages write times, time left, sub-states and which fields each action asks for.</summary>
public static class StaffText
{
    public static string Time(DateTimeOffset? instant) =>
        instant is { } t ? LegalTime.Local(t).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture) : "";

    /// <summary>"Còn 2 ngày 3 giờ làm việc" / "Quá hạn 4 giờ làm việc" between now and a due, in the calendar's working time.</summary>
    public static string Left(WorkingCalendar calendar, DateTimeOffset? due, DateTimeOffset now) => due is { } d
        ? Portal.Core.Dossiers.Dossiers.LeftText(TimeSpan.FromTicks(calendar.Position(d) - calendar.Position(now)), calendar.DayTicks, false)
        : "";

    public static string SubState(string? subState) => subState switch
    {
        null or "" => "",
        "1.postal" => "Nhận qua bưu chính, chờ kiểm tra",
        "1.counter" => "Nhận tại quầy",
        "4.assign" => "Chờ phân công",
        "4.review" => "Chuyên viên thẩm định",
        "4.approve" => "Chờ lãnh đạo phê duyệt",
        "4.sign" => "Đã phê duyệt, chờ ký và hoàn thành",
        "4.interagency" => "Đang xử lý liên thông",
        "5.at_reception" => "Bổ sung khi tiếp nhận (đồng hồ chưa chạy)",
        "5.in_processing" => "Bổ sung trong quá trình xử lý (đồng hồ tạm dừng)",
        "9.online" => "Chờ trả kết quả trực tuyến",
        "9.counter" => "Chờ trả kết quả tại quầy",
        "9.post" => "Chờ trả kết quả qua bưu chính",
        "10.online" => "Đã trả trực tuyến",
        "10.counter" => "Đã trả tại quầy",
        "10.post" => "Đã trả qua bưu chính",
        _ => subState,
    };

    public static string Channel(string channel) => channel switch
    {
        "online" => "Trực tuyến",
        "direct" => "Trực tiếp",
        "postal" => "Bưu chính",
        _ => channel,
    };

    public static string ReturnMethod(string? method) => method switch
    {
        "counter" => "Tại quầy",
        "post" => "Qua bưu chính",
        "online" => "Trực tuyến",
        _ => "",
    };

    /// <summary>The fields each action's form shows.</summary>
    public static bool AsksReason(string action) => action is "refuse" or "return-to-previous" or "stop" or "confirm-withdrawal"
        or "decline-withdrawal" or "draft-apology";

    public static bool AsksNote(string action) => action is "request-supplement" or "assign" or "forward" or "transfer"
        or "request-fees" or "confirm-payment" or "approve";

    /// <summary>The id of an action's field in the page (the Core names fields in camelCase; the summary links to them).</summary>
    public static string FieldId(string action, string field) =>
        field is "" || field == action ? $"tt-{action}" : $"{action}-{field.ToLowerInvariant()}";

}
