using Portal.Core.Deadlines;
using static Portal.Core.Tests.Deadlines.Calendars;

namespace Portal.Core.Tests.Deadlines;

public class StatutoryHolidaysTests
{
    [Fact]
    public void The_2026_holidays_follow_the_Labour_Code()
    {
        var days = StatutoryHolidays.For(2026).Select(d => (d.Date.ToString("yyyy-MM-dd"), d.Kind)).ToList();
        Assert.Equal(
            [
                ("2026-01-01", DayKind.Holiday),
                ("2026-02-16", DayKind.Holiday), ("2026-02-17", DayKind.Holiday), ("2026-02-18", DayKind.Holiday),
                ("2026-02-19", DayKind.Holiday), ("2026-02-20", DayKind.Holiday),
                ("2026-04-26", DayKind.Holiday), ("2026-04-27", DayKind.CompensatoryDayOff),
                ("2026-04-30", DayKind.Holiday), ("2026-05-01", DayKind.Holiday),
                ("2026-09-01", DayKind.Holiday), ("2026-09-02", DayKind.Holiday),
            ],
            days);
    }

    [Theory]
    [InlineData(2022, "2022-05-02", "2022-05-03")] // 30/4 Saturday, 1/5 Sunday
    [InlineData(2023, "2023-09-04", null)]         // 2/9 Saturday: 1/9 and 2/9, nghỉ bù Monday 4/9
    [InlineData(2021, "2021-02-16", "2021-02-17")] // Tết 12/02/2021: 11–15/02, Saturday 13 and Sunday 14 → 16 and 17/02
    public void A_holiday_on_a_weekend_gives_a_compensatory_day(int year, string first, string? second)
    {
        var compensatory = StatutoryHolidays.For(year).Where(d => d.Kind == DayKind.CompensatoryDayOff).Select(d => d.Date).ToList();
        Assert.Contains(Day(first), compensatory);
        if (second is not null) Assert.Contains(Day(second), compensatory);
    }

    [Theory]
    [InlineData(2024, "2024-09-03")] // 1/9 is a Sunday: the adjacent day is 3/9
    [InlineData(2025, "2025-09-01")]
    [InlineData(2026, "2026-09-01")]
    public void National_Day_takes_one_adjacent_day(int year, string adjacent)
    {
        Assert.Contains(StatutoryHolidays.For(year), d => d.Date == Day(adjacent) && d.Kind == DayKind.Holiday);
    }

    [Fact]
    public void Every_year_has_eleven_holidays()
    {
        for (var year = 1900; year <= 2100; year++)
            Assert.Equal(11, StatutoryHolidays.For(year).Count(d => d.Kind == DayKind.Holiday));
    }

    [Fact]
    public void A_decision_overrides_the_derived_day()
    {
        Assert.True(Y2026.IsWorkingDay(Day("2026-08-22")));
        Assert.False(Y2026.IsWorkingDay(Day("2026-08-31")));
        Assert.False(Statutory.IsWorkingDay(Day("2026-08-22")));
        Assert.True(Statutory.IsWorkingDay(Day("2026-08-31")));
        Assert.Equal("Làm bù cho thứ Hai 31/08/2026", Y2026.Reason(Day("2026-08-22")));
        Assert.Equal("Thứ Bảy", Statutory.Reason(Day("2026-08-22")));
        Assert.Null(Y2026.Reason(Day("2026-08-21")));
    }
}
