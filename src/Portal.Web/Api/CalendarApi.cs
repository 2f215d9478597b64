using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Core.Deadlines;

namespace Portal.Web.Api;

// The working calendar and the deadline engine as open data: partners and citizens can check a due date themselves.
public static class CalendarApi
{
    public static void MapCalendarApi(this IEndpointRouteBuilder app)
    {
        var calendar = app.MapGroup("/api/v1/calendar").WithTags("Lịch làm việc");
        calendar.MapGet("/{year}", YearAsync);
        calendar.MapGet("/lunar/{date}", Lunar);
        app.MapGet("/api/v1/deadlines/due", DueAsync).WithTags("Lịch làm việc");
    }

    public sealed record Day(DateOnly Date, string Reason);

    public sealed record CalendarYear(int Year, DateOnly Tet, DateOnly HungKings, IReadOnlyList<Day> DaysOff, IReadOnlyList<Day> WorkingWeekendDays);

    static async Task<Results<Ok<CalendarYear>, ProblemHttpResult>> YearAsync(string year, CalendarStore calendars, HttpContext http, CancellationToken ct)
    {
        if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y is < WorkingCalendar.FirstYear or > WorkingCalendar.LastYear)
            return Invalid($"Năm \"{year}\" không hợp lệ; hãy dùng một năm từ {WorkingCalendar.FirstYear} đến {WorkingCalendar.LastYear}.");
        var calendar = await calendars.CalendarAsync(null, ct);
        var notable = calendar.NotableDays(y).ToList();
        var daysOff = notable.Where(d => !d.Working).Select(d => new Day(d.Date, calendar.Reason(d.Date)!)).ToList();
        var workingWeekend = notable.Where(d => d.Working).Select(d => new Day(d.Date, calendar.Reason(d.Date) ?? "Ngày làm việc")).ToList();
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(new CalendarYear(y, LunarCalendar.NewYear(y), LunarCalendar.ToSolar(10, 3, y), daysOff, workingWeekend));
    }

    public sealed record LunarDay(int Day, int Month, int Year, bool Leap);

    static Results<Ok<LunarDay>, ProblemHttpResult> Lunar(string date)
    {
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            return Invalid($"Ngày \"{date}\" không hợp lệ; hãy viết theo dạng yyyy-MM-dd, ví dụ 2026-02-17.");
        try
        {
            var lunar = LunarCalendar.FromSolar(d);
            return TypedResults.Ok(new LunarDay(lunar.Day, lunar.Month, lunar.Year, lunar.Leap));
        }
        catch (ArgumentOutOfRangeException)
        {
            return Invalid($"Ngày {d:dd/MM/yyyy} nằm ngoài phạm vi lịch âm được hỗ trợ (1900–2100).");
        }
    }

    public sealed record RuleOut(decimal Amount, string Unit, string? CutOff);
    public sealed record ExplanationItem(string Kind, DateOnly? Date, string? Reason, string Text);
    public sealed record DueResult(DateTimeOffset Received, DateTimeOffset Start, DateTimeOffset Due, RuleOut Rule, IReadOnlyList<ExplanationItem> Explanation);

    // Parameters bind as strings so that malformed values get a Vietnamese 400 naming the parameter.
    static async Task<Results<Ok<DueResult>, ProblemHttpResult>> DueAsync(
        string? received, string? amount, string? unit, string? agency, string? cutOff, CalendarStore calendars, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(received) || !DateTimeOffset.TryParseExact(received.Trim(),
                ["yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"],
                CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return Invalid("Tham số received phải là một thời điểm ISO-8601 có múi giờ, ví dụ 2026-02-27T10:00+07:00.");
        if (string.IsNullOrWhiteSpace(amount) || !decimal.TryParse(amount, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            return Invalid("Tham số amount phải là một số, ví dụ 10 hoặc 0.5.");
        TimeOnly? cut = null;
        if (!string.IsNullOrEmpty(cutOff))
        {
            if (!TimeOnly.TryParseExact(cutOff, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var c))
                return Invalid("Tham số cutOff phải là giờ dạng HH:mm, ví dụ 15:00.");
            cut = c;
        }
        try
        {
            var rule = DeadlineRule.Create(n, unit ?? "", cut);
            var calendar = await calendars.CalendarAsync(string.IsNullOrWhiteSpace(agency) ? null : agency.Trim(), ct);
            var deadline = calendar.Due(at, rule);
            return TypedResults.Ok(new DueResult(LegalTime.Local(at), deadline.Start, deadline.Due,
                new RuleOut(rule.Amount, rule.UnitName, rule.CutOff?.ToString("HH:mm", CultureInfo.InvariantCulture)),
                Explain(calendar.Explain(deadline))));
        }
        catch (DeadlineException e)
        {
            return Invalid(e.Message);
        }
    }

    public static IReadOnlyList<ExplanationItem> Explain(DeadlineExplanation explanation)
    {
        var items = new List<ExplanationItem>();
        if (explanation.StartNote is { } note)
            items.Add(new ExplanationItem("start", LegalTime.DateOf(explanation.Deadline.Start), null, note));
        items.AddRange(explanation.Skipped.Select(d => new ExplanationItem("skipped", d.Date, d.Reason, DeadlineExplanation.SkippedText(d))));
        items.AddRange(explanation.WorkedWeekendDays.Select(d => new ExplanationItem("working-weekend", d.Date, d.Reason, DeadlineExplanation.WorkedText(d))));
        items.Add(new ExplanationItem("due", LegalTime.DateOf(explanation.Deadline.Due), null, explanation.DueText));
        return items;
    }

    static ProblemHttpResult Invalid(string message) =>
        TypedResults.Problem(statusCode: 400, title: "Tham số không hợp lệ", detail: message);
}
