using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.BackOffice;
using Portal.Core.Deadlines;
using Portal.Core.Dossiers;

namespace Portal.Web.Pages.Staff;

// /can-bo/so-theo-doi: the tracking book (Sổ theo dõi hồ sơ, §4.8) of the user's units for dossiers received in a
// date range (default: this month), as a table or a CSV file (?dinh-dang=csv).
public sealed class TrackingBookModel(BackOffice office, TimeProvider clock) : PageModel
{
    const int ShownRows = 500, ExportRows = 50_000;

    [BindProperty(SupportsGet = true, Name = "don-vi")] public string? Unit { get; set; }
    [BindProperty(SupportsGet = true, Name = "tu-ngay")] public string? FromText { get; set; }
    [BindProperty(SupportsGet = true, Name = "den-ngay")] public string? ToText { get; set; }
    [BindProperty(SupportsGet = true, Name = "dinh-dang")] public string? Format { get; set; }

    public DateOnly From { get; private set; }
    public DateOnly To { get; private set; }
    public IReadOnlyList<TrackingBookRow> Rows { get; private set; } = [];
    public List<FieldError> Errors { get; } = [];

    public static readonly string[] Columns =
    [
        "Mã hồ sơ", "Thủ tục", "Người nộp", "Điện thoại", "Kênh nộp", "Ngày tiếp nhận", "Hẹn trả ban đầu", "Hẹn trả",
        "Chuyển xử lý", "Ngày có kết quả", "Trạng thái", "Kết quả đúng hạn", "Ngày trả kết quả", "Người nhận", "Cách trả", "Có văn bản xin lỗi",
    ];

    public static string[] Cells(TrackingBookRow r) =>
    [
        r.Code, r.ProcedureName, r.ApplicantName ?? "", r.Phone ?? "", StaffText.Channel(r.Channel), StaffText.Time(r.ReceivedAt),
        StaffText.Time(r.OriginalDueAt), StaffText.Time(r.DueAt), r.ForwardedTo ?? "", StaffText.Time(r.FinishedAt), r.StatusName,
        r.Outcome, StaffText.Time(r.ReturnedAt), r.ReturnedTo ?? "", StaffText.ReturnMethod(r.ReturnMethod), r.Apologised ? "Có" : "",
    ];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var today = LegalTime.Today(clock);
        From = Parse(FromText, "tu-ngay", "Nhập ngày bắt đầu theo dạng ngày/tháng/năm.") ?? new DateOnly(today.Year, today.Month, 1);
        To = Parse(ToText, "den-ngay", "Nhập ngày kết thúc theo dạng ngày/tháng/năm.") ?? today;
        if (To < From) Errors.Add(new("den-ngay", "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."));
        if (Errors.Count > 0) return Page();
        var csv = Format == "csv";
        Rows = await office.TrackingBookAsync(StaffAuth.User(User), Unit?.Trim(), From, To, null, csv ? ExportRows : ShownRows, ct);
        if (!csv) return Page();
        Response.Headers.CacheControl = "private, no-store";
        return File(Csv(Rows), "text/csv; charset=utf-8", $"so-theo-doi-{From:yyyyMMdd}-{To:yyyyMMdd}.csv");
    }

    DateOnly? Parse(string? text, string field, string message)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateOnly.TryParseExact(text.Trim(), ["yyyy-MM-dd", "d/M/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        Errors.Add(new(field, message));
        return null;
    }

    /// <summary>
    /// UTF-8 with a byte-order mark (so Excel reads the diacritics), semicolon-separated: Excel with Vietnamese regional
    /// settings uses "," as the decimal mark and ";" as the list separator, so a semicolon file opens in columns there.
    /// Fields with a separator, quote or line break are quoted with doubled quotes; a field that begins like a formula
    /// (= + - @) gets a leading apostrophe so a spreadsheet shows it as text instead of running it.
    /// </summary>
    public static byte[] Csv(IEnumerable<TrackingBookRow> rows)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(';', Columns.Select(Field))).Append("\r\n");
        foreach (var r in rows) sb.Append(string.Join(';', Cells(r).Select(Field))).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.IndexOfAny([';', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    public string Query(string? format) =>
        $"/can-bo/so-theo-doi?don-vi={Uri.EscapeDataString(Unit ?? "")}&tu-ngay={From:yyyy-MM-dd}&den-ngay={To:yyyy-MM-dd}" + (format is null ? "" : $"&dinh-dang={format}");
}
