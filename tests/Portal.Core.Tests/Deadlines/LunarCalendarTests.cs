using System.Globalization;
using Portal.Core.Deadlines;

namespace Portal.Core.Tests.Deadlines;

public class LunarCalendarTests
{
    // Tết Nguyên Đán (1/1 âm lịch) as published for Vietnam: read from Hồ Ngọc Đức's month tables (the data behind his
    // lịch vạn niên) and checked against the usual list of Tết dates. Every year agrees with the algorithm.
    [Theory]
    [InlineData(1990, "1990-01-27")]
    [InlineData(1991, "1991-02-15")]
    [InlineData(1992, "1992-02-04")]
    [InlineData(1993, "1993-01-23")]
    [InlineData(1994, "1994-02-10")]
    [InlineData(1995, "1995-01-31")]
    [InlineData(1996, "1996-02-19")]
    [InlineData(1997, "1997-02-07")]
    [InlineData(1998, "1998-01-28")]
    [InlineData(1999, "1999-02-16")]
    [InlineData(2000, "2000-02-05")]
    [InlineData(2001, "2001-01-24")]
    [InlineData(2002, "2002-02-12")]
    [InlineData(2003, "2003-02-01")]
    [InlineData(2004, "2004-01-22")]
    [InlineData(2005, "2005-02-09")]
    [InlineData(2006, "2006-01-29")]
    [InlineData(2007, "2007-02-17")]
    [InlineData(2008, "2008-02-07")]
    [InlineData(2009, "2009-01-26")]
    [InlineData(2010, "2010-02-14")]
    [InlineData(2011, "2011-02-03")]
    [InlineData(2012, "2012-01-23")]
    [InlineData(2013, "2013-02-10")]
    [InlineData(2014, "2014-01-31")]
    [InlineData(2015, "2015-02-19")]
    [InlineData(2016, "2016-02-08")]
    [InlineData(2017, "2017-01-28")]
    [InlineData(2018, "2018-02-16")]
    [InlineData(2019, "2019-02-05")]
    [InlineData(2020, "2020-01-25")]
    [InlineData(2021, "2021-02-12")]
    [InlineData(2022, "2022-02-01")]
    [InlineData(2023, "2023-01-22")]
    [InlineData(2024, "2024-02-10")]
    [InlineData(2025, "2025-01-29")]
    [InlineData(2026, "2026-02-17")]
    [InlineData(2027, "2027-02-06")]
    [InlineData(2028, "2028-01-26")]
    [InlineData(2029, "2029-02-13")]
    [InlineData(2030, "2030-02-02")]
    [InlineData(2031, "2031-01-23")]
    [InlineData(2032, "2032-02-11")]
    [InlineData(2033, "2033-01-31")]
    [InlineData(2034, "2034-02-19")]
    [InlineData(2035, "2035-02-08")]
    [InlineData(2036, "2036-01-28")]
    [InlineData(2037, "2037-02-15")]
    [InlineData(2038, "2038-02-04")]
    [InlineData(2039, "2039-01-24")]
    [InlineData(2040, "2040-02-12")]
    [InlineData(2041, "2041-02-01")]
    [InlineData(2042, "2042-01-22")]
    [InlineData(2043, "2043-02-10")]
    [InlineData(2044, "2044-01-30")]
    [InlineData(2045, "2045-02-17")]
    [InlineData(2046, "2046-02-06")]
    [InlineData(2047, "2047-01-26")]
    [InlineData(2048, "2048-02-14")]
    [InlineData(2049, "2049-02-02")]
    [InlineData(2050, "2050-01-23")]
    public void Tet_falls_on_the_published_date(int year, string tet)
    {
        var date = DateOnly.Parse(tet, CultureInfo.InvariantCulture);

        Assert.Equal(date, LunarCalendar.NewYear(year));
        Assert.Equal(new LunarDate(1, 1, year, false), LunarCalendar.FromSolar(date));
        Assert.Equal(date.AddDays(-1), LunarCalendar.LastDayOfYear(year - 1));
    }

    // Giỗ Tổ Hùng Vương (10/3 âm lịch), a public holiday since 2007, from the same published tables.
    [Theory]
    [InlineData(1990, "1990-04-05")]
    [InlineData(1991, "1991-04-24")]
    [InlineData(1992, "1992-04-12")]
    [InlineData(1993, "1993-04-01")]
    [InlineData(1994, "1994-04-20")]
    [InlineData(1995, "1995-04-09")]
    [InlineData(1996, "1996-04-27")]
    [InlineData(1997, "1997-04-16")]
    [InlineData(1998, "1998-04-06")]
    [InlineData(1999, "1999-04-25")]
    [InlineData(2000, "2000-04-14")]
    [InlineData(2001, "2001-04-03")]
    [InlineData(2002, "2002-04-22")]
    [InlineData(2003, "2003-04-11")]
    [InlineData(2004, "2004-04-28")]
    [InlineData(2005, "2005-04-18")]
    [InlineData(2006, "2006-04-07")]
    [InlineData(2007, "2007-04-26")]
    [InlineData(2008, "2008-04-15")]
    [InlineData(2009, "2009-04-04")]
    [InlineData(2010, "2010-04-23")]
    [InlineData(2011, "2011-04-12")]
    [InlineData(2012, "2012-03-31")]
    [InlineData(2013, "2013-04-19")]
    [InlineData(2014, "2014-04-09")]
    [InlineData(2015, "2015-04-28")]
    [InlineData(2016, "2016-04-16")]
    [InlineData(2017, "2017-04-06")]
    [InlineData(2018, "2018-04-25")]
    [InlineData(2019, "2019-04-14")]
    [InlineData(2020, "2020-04-02")]
    [InlineData(2021, "2021-04-21")]
    [InlineData(2022, "2022-04-10")]
    [InlineData(2023, "2023-04-29")]
    [InlineData(2024, "2024-04-18")]
    [InlineData(2025, "2025-04-07")]
    [InlineData(2026, "2026-04-26")]
    [InlineData(2027, "2027-04-16")]
    [InlineData(2028, "2028-04-04")]
    [InlineData(2029, "2029-04-23")]
    [InlineData(2030, "2030-04-12")]
    [InlineData(2031, "2031-04-01")]
    [InlineData(2032, "2032-04-19")]
    [InlineData(2033, "2033-04-09")]
    [InlineData(2034, "2034-04-28")]
    [InlineData(2035, "2035-04-17")]
    [InlineData(2036, "2036-04-06")]
    [InlineData(2037, "2037-04-24")]
    [InlineData(2038, "2038-04-13")]
    [InlineData(2039, "2039-04-03")]
    [InlineData(2040, "2040-04-20")]
    [InlineData(2041, "2041-04-10")]
    [InlineData(2042, "2042-04-29")]
    [InlineData(2043, "2043-04-19")]
    [InlineData(2044, "2044-04-07")]
    [InlineData(2045, "2045-04-26")]
    [InlineData(2046, "2046-04-15")]
    [InlineData(2047, "2047-04-04")]
    [InlineData(2048, "2048-04-22")]
    [InlineData(2049, "2049-04-11")]
    [InlineData(2050, "2050-04-01")]
    public void Gio_To_Hung_Vuong_falls_on_the_published_date(int year, string gioTo)
    {
        var date = DateOnly.Parse(gioTo, CultureInfo.InvariantCulture);

        Assert.Equal(date, LunarCalendar.ToSolar(10, 3, year));
        Assert.Equal(new LunarDate(10, 3, year, false), LunarCalendar.FromSolar(date));
    }

    // Vietnam computes the calendar for UTC+7, China for UTC+8, so a new moon between 0:00 and 1:00 Beijing time starts
    // the month a day earlier here. The years where that moves Tết (ChineseLunisolarCalendar covers 1901–2100):
    // - 1968, 1969, 1985, 2007, 2030, 2053: the differences Vietnamese calendars publish. In 1985 Tết is a whole month
    //   earlier (21/1 against 20/2): month 11 started a day earlier, so the leap month fell in 1985 (nhuận 2) instead of
    //   1984 (China: nhuận 10).
    // - 1903, 1935, 1965: only because the algorithm applies UTC+7 to every year. Before 1968 Vietnam followed the
    //   UTC+8 calendar and celebrated Tết with China in those years.
    [Fact]
    public void Tet_differs_from_the_Chinese_new_year_only_in_these_years()
    {
        var chinese = new ChineseLunisolarCalendar();
        var differing = new List<int>();
        for (int year = 1901; year <= LunarCalendar.MaxYear; year++)
        {
            var chineseNewYear = DateOnly.FromDateTime(chinese.ToDateTime(year, 1, 1, 0, 0, 0, 0));
            if (chineseNewYear != LunarCalendar.NewYear(year))
            {
                differing.Add(year);
            }
        }

        Assert.Equal([1903, 1935, 1965, 1968, 1969, 1985, 2007, 2030, 2053], differing);
        Assert.Equal(new DateOnly(1985, 1, 21), LunarCalendar.NewYear(1985));
        Assert.Equal(new DateOnly(2007, 2, 17), LunarCalendar.NewYear(2007));
    }

    [Fact]
    public void Every_day_of_the_range_converts_and_converts_back()
    {
        var first = LunarCalendar.NewYear(LunarCalendar.MinYear);
        var last = LunarCalendar.LastDayOfYear(LunarCalendar.MaxYear);
        Assert.Equal(new DateOnly(1900, 1, 31), first);
        Assert.Equal(new DateOnly(2101, 1, 28), last);

        var previous = LunarCalendar.FromSolar(first);
        Assert.Equal(new LunarDate(1, 1, 1900, false), previous);
        for (var date = first.AddDays(1); date <= last; date = date.AddDays(1))
        {
            var lunar = LunarCalendar.FromSolar(date);

            Assert.Equal(date, LunarCalendar.ToSolar(lunar));
            if (lunar.Day == 1)
            {
                // previous is the last day of its month, so its day is the month's length.
                Assert.True(previous.Day is 29 or 30, $"{date}: the month before it has {previous.Day} days");
            }
            else
            {
                Assert.Equal(previous with { Day = previous.Day + 1 }, lunar);
            }

            previous = lunar;
        }
    }

    [Fact]
    public void Tet_always_falls_between_21_January_and_20_February()
    {
        for (int year = LunarCalendar.MinYear; year <= LunarCalendar.MaxYear; year++)
        {
            var tet = LunarCalendar.NewYear(year);
            Assert.InRange(tet, new DateOnly(year, 1, 21), new DateOnly(year, 2, 20));
        }
    }

    [Fact]
    public void Every_year_has_12_or_13_months_in_order_with_at_most_one_leap_month()
    {
        for (int year = LunarCalendar.MinYear; year <= LunarCalendar.MaxYear; year++)
        {
            var months = new List<LunarDate>();
            for (var date = LunarCalendar.NewYear(year); date <= LunarCalendar.LastDayOfYear(year); date = date.AddDays(1))
            {
                var lunar = LunarCalendar.FromSolar(date);
                Assert.Equal(year, lunar.Year);
                if (lunar.Day == 1)
                {
                    months.Add(lunar);
                }
            }

            Assert.InRange(months.Count, 12, 13);
            var leap = months.Where(m => m.Leap).ToList();
            Assert.Equal(months.Count - 12, leap.Count);
            var regular = months.Where(m => !m.Leap).Select(m => m.Month);
            Assert.Equal(Enumerable.Range(1, 12), regular);
            if (leap.Count == 1)
            {
                // The leap month follows the regular month whose number it repeats.
                int index = months.IndexOf(leap[0]);
                Assert.Equal(new LunarDate(1, leap[0].Month, year, false), months[index - 1]);
            }
        }
    }

    // The first day of each leap month (tháng nhuận) as Vietnamese calendars publish it. 1987 is nhuận 7 here but
    // nhuận 6 in China; 2033 has the rare leap month 11.
    [Theory]
    [InlineData(1985, 2, "1985-03-21")]
    [InlineData(1987, 7, "1987-08-24")]
    [InlineData(2001, 4, "2001-05-23")]
    [InlineData(2004, 2, "2004-03-21")]
    [InlineData(2006, 7, "2006-08-24")]
    [InlineData(2009, 5, "2009-06-23")]
    [InlineData(2012, 4, "2012-05-21")]
    [InlineData(2014, 9, "2014-10-24")]
    [InlineData(2017, 6, "2017-07-23")]
    [InlineData(2020, 4, "2020-05-23")]
    [InlineData(2023, 2, "2023-03-22")]
    [InlineData(2025, 6, "2025-07-25")]
    [InlineData(2028, 5, "2028-06-23")]
    [InlineData(2031, 3, "2031-04-21")]
    [InlineData(2033, 11, "2033-12-22")]
    [InlineData(2036, 6, "2036-07-23")]
    public void A_leap_month_starts_on_the_published_date(int year, int month, string firstDay)
    {
        var date = DateOnly.Parse(firstDay, CultureInfo.InvariantCulture);

        Assert.Equal(new LunarDate(1, month, year, true), LunarCalendar.FromSolar(date));
        Assert.Equal(date, LunarCalendar.ToSolar(1, month, year, leap: true));
        var dayBefore = LunarCalendar.FromSolar(date.AddDays(-1));
        Assert.Equal((month, year, false), (dayBefore.Month, dayBefore.Year, dayBefore.Leap));
    }

    // 1984 has a leap month (nhuận 10) in China but none in Vietnam.
    [Theory]
    [InlineData(1984)]
    [InlineData(2024)]
    [InlineData(2026)]
    [InlineData(2027)]
    public void A_year_without_a_leap_month_has_no_leap_date(int year)
    {
        int length = LunarCalendar.LastDayOfYear(year).DayNumber - LunarCalendar.NewYear(year).DayNumber + 1;

        Assert.InRange(length, 353, 355);
        for (int month = 1; month <= 12; month++)
        {
            Assert.Throws<ArgumentException>(() => LunarCalendar.ToSolar(1, month, year, leap: true));
        }
    }

    [Fact]
    public void Tet_2026_has_no_30th_of_the_twelfth_month()
    {
        Assert.Equal(new DateOnly(2026, 2, 16), LunarCalendar.LastDayOfYear(2025));
        Assert.Equal(new LunarDate(29, 12, 2025, false), LunarCalendar.FromSolar(new DateOnly(2026, 2, 16)));

        var error = Assert.Throws<ArgumentException>(() => LunarCalendar.ToSolar(30, 12, 2025));
        Assert.StartsWith("Ngày âm lịch 30/12/2025 không hợp lệ: tháng 12 năm 2025 có 29 ngày.", error.Message);
    }

    [Theory]
    [InlineData(30, 2, 2023, true, "Ngày âm lịch 30/2/2023 (nhuận) không hợp lệ: tháng 2 nhuận năm 2023 có 29 ngày.")]
    [InlineData(0, 3, 2026, false, "Ngày âm lịch 0/3/2026 không hợp lệ: tháng 3 năm 2026 có 30 ngày.")]
    [InlineData(1, 13, 2026, false, "Ngày âm lịch 1/13/2026 không hợp lệ: tháng 13 không tồn tại (tháng phải từ 1 đến 12).")]
    [InlineData(1, 0, 2026, false, "Ngày âm lịch 1/0/2026 không hợp lệ: tháng 0 không tồn tại (tháng phải từ 1 đến 12).")]
    [InlineData(1, 3, 2023, true, "Ngày âm lịch 1/3/2023 (nhuận) không hợp lệ: năm 2023 không có tháng 3 nhuận (tháng nhuận của năm này là tháng 2).")]
    [InlineData(1, 1, 2024, true, "Ngày âm lịch 1/1/2024 (nhuận) không hợp lệ: năm 2024 không có tháng 1 nhuận (năm này không có tháng nhuận).")]
    public void An_invalid_lunar_date_is_rejected_with_a_Vietnamese_message(int day, int month, int year, bool leap, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => LunarCalendar.ToSolar(day, month, year, leap));

        Assert.StartsWith(message, error.Message);
    }

    [Theory]
    [InlineData("1800-01-01", "01/01/1800")]
    [InlineData("1900-01-30", "30/01/1900")]
    [InlineData("2101-01-29", "29/01/2101")]
    [InlineData("9999-12-31", "31/12/9999")]
    public void A_solar_date_outside_the_range_is_rejected_with_a_Vietnamese_message(string iso, string shown)
    {
        var date = DateOnly.Parse(iso, CultureInfo.InvariantCulture);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => LunarCalendar.FromSolar(date));

        Assert.StartsWith($"Ngày {shown} nằm ngoài phạm vi lịch âm được hỗ trợ (1900–2100).", error.Message);
    }

    [Fact]
    public void The_range_ends_on_the_eve_of_Tet_2101()
    {
        Assert.Equal(new DateOnly(2101, 1, 28), LunarCalendar.LastDayOfYear(LunarCalendar.MaxYear));
        Assert.Equal(LunarCalendar.MaxYear, LunarCalendar.FromSolar(new DateOnly(2101, 1, 28)).Year);
        Assert.Equal(new LunarDate(1, 1, 1900, false), LunarCalendar.FromSolar(new DateOnly(1900, 1, 31)));
    }

    [Theory]
    [InlineData(1899)]
    [InlineData(2101)]
    public void A_lunar_year_outside_the_range_is_rejected_with_a_Vietnamese_message(int year)
    {
        string message = $"Năm âm lịch {year} nằm ngoài phạm vi lịch âm được hỗ trợ (1900–2100).";

        Assert.StartsWith(message, Assert.Throws<ArgumentOutOfRangeException>(() => LunarCalendar.NewYear(year)).Message);
        Assert.StartsWith(message, Assert.Throws<ArgumentOutOfRangeException>(() => LunarCalendar.LastDayOfYear(year)).Message);
        Assert.StartsWith(message, Assert.Throws<ArgumentOutOfRangeException>(() => LunarCalendar.ToSolar(1, 1, year)).Message);
    }

    [Fact]
    public void A_lunar_date_prints_as_day_month_year_and_marks_a_leap_month()
    {
        Assert.Equal("10/3/2026", new LunarDate(10, 3, 2026, false).ToString());
        Assert.Equal("1/2/2023 (nhuận)", LunarCalendar.FromSolar(new DateOnly(2023, 3, 22)).ToString());
    }
}
