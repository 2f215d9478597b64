namespace Portal.Core.Deadlines;

/// <summary>What a date is, beyond the weekly pattern.</summary>
public enum DayKind
{
    /// <summary>Statutory holiday (ngày lễ, tết).</summary>
    Holiday,
    /// <summary>Nghỉ bù: a holiday fell on a weekly rest day.</summary>
    CompensatoryDayOff,
    /// <summary>A day off granted by a decision, usually swapped against a working Saturday (nghỉ hoán đổi).</summary>
    BridgeDayOff,
    /// <summary>A day that is worked although the weekly pattern or a holiday says otherwise (làm bù).</summary>
    WorkingDay,
}

public sealed record CalendarDay(DateOnly Date, DayKind Kind, string Reason, string Source)
{
    public bool IsDayOff => Kind != DayKind.WorkingDay;
}

/// <summary>
/// The statutory holidays of the Labour Code 2019 (Art. 112) and the compensatory days of Art. 111(3), derived for
/// any year from the lunar calendar. This is the proposal; the government's yearly announcement, stored as holiday
/// decisions, overrides it day by day (R-F4, R-F5).
/// </summary>
public static class StatutoryHolidays
{
    public const string Source = "Bộ luật Lao động 2019, Điều 112";
    const string CompensatorySource = "Bộ luật Lao động 2019, Điều 111 khoản 3";

    public static IReadOnlyList<CalendarDay> For(int year)
    {
        if (year is < LunarCalendar.MinYear or > LunarCalendar.MaxYear)
            throw new DeadlineException(
                $"Năm {year} nằm ngoài phạm vi lịch được hỗ trợ ({LunarCalendar.MinYear}–{LunarCalendar.MaxYear}).");

        var days = new List<CalendarDay> { Holiday(new DateOnly(year, 1, 1), "Tết Dương lịch") };

        // Tết: the last day of the old lunar year and the first four days of the new one. The lunar new year always
        // falls between 21/01 and 20/02, so the whole break lies in this solar year.
        var tet = LunarCalendar.NewYear(year);
        for (var i = -1; i <= 3; i++) days.Add(Holiday(tet.AddDays(i), "Tết Nguyên Đán"));

        days.Add(Holiday(LunarCalendar.ToSolar(10, 3, year), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"));
        days.Add(Holiday(new DateOnly(year, 4, 30), "Ngày Chiến thắng (30/4)"));
        days.Add(Holiday(new DateOnly(year, 5, 1), "Ngày Quốc tế Lao động (1/5)"));

        // Quốc khánh: 2/9 and one adjacent day, chosen each year by the Prime Minister. The default here is 1/9,
        // or 3/9 when 1/9 is a weekend day — what the announcements of 2021–2026 chose.
        var nationalDay = new DateOnly(year, 9, 2);
        var adjacent = IsWeekend(nationalDay.AddDays(-1)) ? nationalDay.AddDays(1) : nationalDay.AddDays(-1);
        days.Add(Holiday(adjacent, "Quốc khánh (ngày liền kề 2/9)"));
        days.Add(Holiday(nationalDay, "Quốc khánh (2/9)"));

        // Art. 111(3): a holiday on a weekly rest day is taken on the next working day.
        var taken = days.Select(d => d.Date).ToHashSet();
        foreach (var holiday in days.Where(d => IsWeekend(d.Date)).ToList())
        {
            var day = holiday.Date.AddDays(1);
            while (IsWeekend(day) || taken.Contains(day)) day = day.AddDays(1);
            taken.Add(day);
            days.Add(new CalendarDay(day, DayKind.CompensatoryDayOff,
                $"Nghỉ bù ngày {holiday.Date:dd/MM} ({holiday.Reason})", CompensatorySource));
        }
        days.Sort((a, b) => a.Date.CompareTo(b.Date));
        return days;
    }

    static CalendarDay Holiday(DateOnly date, string reason) => new(date, DayKind.Holiday, reason, Source);

    // Civil servants rest on Saturday and Sunday (the 40-hour week, Decision 188/1999/QĐ-TTg); a centre's working
    // pattern decides which days are *counted*, not which days the law compensates.
    static bool IsWeekend(DateOnly day) => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
}
