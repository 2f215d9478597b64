using System.Globalization;

namespace Portal.Web;

// Vietnamese wording for catalogue values (UX.md §3.1: dd/MM/yyyy, "." thousands separator, "đồng").
public static class Labels
{
    static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    public static string Level(string level) => level switch
    {
        "province" => "Cấp tỉnh",
        "commune" => "Cấp xã",
        _ => level,
    };

    public static string OnlineLevel(string level) => level switch
    {
        "full" => "Toàn trình",
        "partial" => "Một phần",
        _ => "Không trực tuyến",
    };

    public static string Channel(string channel) => channel switch
    {
        "direct" => "Trực tiếp",
        "online" => "Trực tuyến",
        "postal" => "Qua bưu chính công ích",
        _ => channel,
    };

    public static string Duration(decimal amount, string unit) => unit == "same-day" ? "Trong ngày tiếp nhận" :
        $"{amount.ToString("0.##", Vi)} {unit switch
        {
            "working-days" => "ngày làm việc",
            "calendar-days" => "ngày",
            "working-hours" => "giờ làm việc",
            _ => unit,
        }}";

    /// <summary>"17:00 thứ Sáu, 13/03/2026".</summary>
    public static string DueText(DateTimeOffset local) =>
        $"{local.ToString("HH:mm", CultureInfo.InvariantCulture)} {Portal.Core.Deadlines.Weekdays.InSentence(local.DayOfWeek)}, {local.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}";

    public static string Money(long amountVnd) =>
        amountVnd == 0 ? "Miễn phí" : amountVnd.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '.') + " đồng";

    public static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    public static string Count(long n) => n.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '.');
}
