using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.Deadlines;

namespace Portal.Web.Pages.Admin;

// /quan-tri/lich-lam-viec: the year's days off and working weekend days (derived + decided), the decisions with
// their audit, and forms to add or remove a decision. Administrators only (folder convention in PortalServices).
public sealed class WorkingCalendarModel(CalendarStore calendars, TimeProvider clock) : PageModel
{
    public sealed record DayRow(DateOnly Date, string Kind, string Reason, string Source, bool Working);

    [BindProperty(SupportsGet = true, Name = "nam")] public string? YearText { get; set; }
    [BindProperty(SupportsGet = true, Name = "da-luu")] public string? Saved { get; set; }

    [BindProperty] public string? Day { get; set; }
    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? Source { get; set; }
    [BindProperty] public Guid RemoveId { get; set; }
    [BindProperty] public string? RemoveReason { get; set; }

    public int Year { get; private set; }
    public WorkingTimeProfile Profile { get; private set; } = WorkingTimeProfile.Default;
    public List<DayRow> Days { get; } = [];
    public IReadOnlyList<HolidayDecision> Decisions { get; private set; } = [];
    public IReadOnlyList<CalendarChange> Changes { get; private set; } = [];
    public List<(string Field, string Message)> Errors { get; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        if (!DateOnly.TryParseExact(Day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            Errors.Add(("ngay", "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 22/08/2026."));
        if (Kind is null || !CalendarStore.Kinds.ContainsKey(Kind)) Errors.Add(("loai", "Chọn loại ngày."));
        if (string.IsNullOrWhiteSpace(Reason)) Errors.Add(("ly-do", "Nhập lý do, ví dụ: Nghỉ hoán đổi, làm bù thứ Bảy 22/08/2026."));
        if (string.IsNullOrWhiteSpace(Source)) Errors.Add(("can-cu", "Nhập văn bản quyết định (số, ngày, cơ quan ban hành)."));
        if (Errors.Count == 0)
        {
            var problems = await calendars.AddDecisionAsync(day, Kind!, Reason!, Source!, StaffAuth.Actor(User), clock.GetUtcNow(), ct);
            if (problems.Count == 0) return Redirect($"/quan-tri/lich-lam-viec?nam={day.Year}&da-luu=them#quyet-dinh");
            Errors.AddRange(problems.Select(p => ("ngay", p)));
        }
        if (Errors.Count > 0 && day != default) YearText = day.Year.ToString(CultureInfo.InvariantCulture);
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(CancellationToken ct)
    {
        var problems = await calendars.RemoveDecisionAsync(RemoveId, RemoveReason ?? "", StaffAuth.Actor(User), clock.GetUtcNow(), ct);
        if (problems.Count == 0) return Redirect($"/quan-tri/lich-lam-viec?nam={YearText}&da-luu=go#quyet-dinh");
        Errors.AddRange(problems.Select(p => ($"ly-do-go-{RemoveId}", p)));
        await LoadAsync(ct);
        return Page();
    }

    async Task LoadAsync(CancellationToken ct)
    {
        var thisYear = LegalTime.Today(clock).Year;
        Year = int.TryParse(YearText, NumberStyles.None, CultureInfo.InvariantCulture, out var y)
               && y is >= WorkingCalendar.FirstYear and <= WorkingCalendar.LastYear ? y : thisYear;
        var calendar = await calendars.CalendarAsync(null, ct);
        Profile = calendar.Profile;
        foreach (var (date, working, special) in calendar.NotableDays(Year))
            Days.Add(new DayRow(date, special is null ? "Nghỉ hằng tuần" : CalendarStore.KindLabel(special.Kind),
                calendar.Reason(date) ?? "", special?.Source ?? "", working));
        Decisions = await calendars.DecisionsAsync(Year, ct);
        Changes = await calendars.ChangesAsync(20, ct);
    }

    public static string KindName(string kind) => CalendarStore.KindLabel(CalendarStore.ParseKind(kind));
}
