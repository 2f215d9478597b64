using System.Globalization;
using Portal.Core.Deadlines;

namespace Portal.Core.Tests.Deadlines;

/// <summary>Calendars built once per test run: building one derives the holidays of 201 years.</summary>
static class Calendars
{
    static readonly string Source = "Thông báo của Bộ Nội vụ (dữ liệu kiểm thử)";

    /// <summary>The 2026 announcement: Saturday 22/08 worked in exchange for Monday 31/08 (R-F5).</summary>
    public static readonly CalendarDay[] Decisions2026 =
    [
        new(new DateOnly(2026, 8, 22), DayKind.WorkingDay, "Làm bù cho thứ Hai 31/08/2026", Source),
        new(new DateOnly(2026, 8, 31), DayKind.BridgeDayOff, "Nghỉ hoán đổi (làm bù thứ Bảy 22/08/2026)", Source),
    ];

    public static readonly WorkingCalendar Y2026 = new(WorkingTimeProfile.Default, Decisions2026);

    /// <summary>The same year with the swap deleted (§6.10).</summary>
    public static readonly WorkingCalendar Statutory = WorkingCalendar.Statutory();

    public static DateTimeOffset Iso(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);

    public static DateOnly Day(string value) => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
