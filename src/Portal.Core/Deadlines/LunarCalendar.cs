using System.Globalization;

namespace Portal.Core.Deadlines;

// A day of the Vietnamese lunisolar calendar (âm lịch). Leap marks the intercalary month (tháng nhuận), which repeats
// the number of the month before it: 1/2/2023 (nhuận) follows 29/2/2023.
public readonly record struct LunarDate(int Day, int Month, int Year, bool Leap)
{
    public override string ToString() => Leap ? $"{Day}/{Month}/{Year} (nhuận)" : $"{Day}/{Month}/{Year}";
}

// Converts between the Gregorian calendar and the Vietnamese lunar calendar, which fixes Tết and holidays such as
// Giỗ Tổ Hùng Vương (10/3 âm lịch).
//
// The months come from Hồ Ngọc Đức, "Thuật toán tính âm lịch" (https://www.informatik.uni-leipzig.de/~duc/amlich/),
// the algorithm behind the published Vietnamese calendars, which takes its new-moon and sun-longitude formulas from
// Jean Meeus, "Astronomical Algorithms" (1998):
// - a month starts on the local day of a new moon;
// - month 11 is the month that contains the winter solstice;
// - when 13 months lie between two months 11, the first of them with no major solar term (trung khí) is the leap month.
// The local day is that of UTC+7 (the meridian 105°E) for every year. China computes for UTC+8, so Tết sometimes
// differs (2007: 17/2 here, 18/2 in China). ChineseLunisolarCalendar is therefore not usable here.
//
// Known limits, both outside the dates the portal computes deadlines for: before 1968 Vietnam used the UTC+8 calendar,
// so some months of 1900–1967 differ from the calendars of the time (Tết 1903, 1925, 1935, 1965 a day early); and the
// shortened formulas are off by minutes, so three new moons within a minute of midnight start a month a day away from
// Hồ Ngọc Đức's precisely computed tables (month 4 of 2054, 11 of 2072, 10 of 2077).
//
// The astronomy is evaluated once, for the whole supported range, into a table of month starts; after that FromSolar is
// a binary search and ToSolar a lookup.
public static class LunarCalendar
{
    public const int MinYear = 1900, MaxYear = 2100;

    private const double TimeZoneHours = 7.0;

    // Mean length of a synodic month in days, as used by Hồ Ngọc Đức to estimate the index of a new moon.
    private const double SynodicMonth = 29.530588853;

    // Julian day number of 0001-01-01, which is DateOnly.DayNumber 0.
    private const int JulianDayOfDayNumberZero = 1721426;

    private static readonly Table Months = Table.Build();

    public static LunarDate FromSolar(DateOnly date)
    {
        int day = date.DayNumber;
        int[] starts = Months.Starts;
        if (day < starts[0] || day >= starts[^1])
        {
            throw new ArgumentOutOfRangeException(nameof(date),
                $"Ngày {date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)} nằm ngoài phạm vi lịch âm được hỗ trợ ({MinYear}–{MaxYear}).");
        }

        int index = Array.BinarySearch(starts, day);
        if (index < 0)
        {
            index = ~index - 1;   // the month that starts before the day
        }

        MonthInfo month = Months.Info[index];
        return new LunarDate(day - starts[index] + 1, month.Number, month.Year, month.Leap);
    }

    public static DateOnly ToSolar(LunarDate date) => ToSolar(date.Day, date.Month, date.Year, date.Leap);

    public static DateOnly ToSolar(int day, int month, int year, bool leap = false)
    {
        CheckYear(year);
        if (month is < 1 or > 12)
        {
            throw new ArgumentException(
                $"{Invalid(day, month, year, leap)}: tháng {month} không tồn tại (tháng phải từ 1 đến 12).", nameof(month));
        }

        int first = Months.NewYearIndex[year - MinYear];
        int end = Months.NewYearIndex[year - MinYear + 1];
        int index = first;
        while (index < end && (Months.Info[index].Number != month || Months.Info[index].Leap != leap))
        {
            index++;
        }

        if (index == end)
        {
            // Only a leap month can be missing: every year has months 1 to 12.
            throw new ArgumentException(
                $"{Invalid(day, month, year, leap)}: năm {year} không có tháng {month} nhuận ({LeapMonthText(first, end)}).",
                nameof(leap));
        }

        int length = Months.Starts[index + 1] - Months.Starts[index];
        if (day < 1 || day > length)
        {
            throw new ArgumentException(
                $"{Invalid(day, month, year, leap)}: tháng {month}{(leap ? " nhuận" : "")} năm {year} có {length} ngày.",
                nameof(day));
        }

        return DateOnly.FromDayNumber(Months.Starts[index] + day - 1);
    }

    // Tết Nguyên Đán, 1/1 of the lunar year.
    public static DateOnly NewYear(int lunarYear)
    {
        CheckYear(lunarYear);
        return DateOnly.FromDayNumber(Months.Starts[Months.NewYearIndex[lunarYear - MinYear]]);
    }

    // The last day of the lunar year (Giao thừa falls on its evening): the day before the next Tết.
    public static DateOnly LastDayOfYear(int lunarYear)
    {
        CheckYear(lunarYear);
        return DateOnly.FromDayNumber(Months.Starts[Months.NewYearIndex[lunarYear - MinYear + 1]] - 1);
    }

    private static void CheckYear(int lunarYear)
    {
        if (lunarYear is < MinYear or > MaxYear)
        {
            throw new ArgumentOutOfRangeException(nameof(lunarYear),
                $"Năm âm lịch {lunarYear} nằm ngoài phạm vi lịch âm được hỗ trợ ({MinYear}–{MaxYear}).");
        }
    }

    private static string Invalid(int day, int month, int year, bool leap) =>
        $"Ngày âm lịch {new LunarDate(day, month, year, leap)} không hợp lệ";

    private static string LeapMonthText(int first, int end)
    {
        for (int index = first; index < end; index++)
        {
            if (Months.Info[index].Leap)
            {
                return $"tháng nhuận của năm này là tháng {Months.Info[index].Number}";
            }
        }

        return "năm này không có tháng nhuận";
    }

    private readonly record struct MonthInfo(int Number, bool Leap, int Year);

    // Starts[i] is the DayNumber of the first day of month Info[i]; the last entry of Starts is Tết of MaxYear + 1,
    // which ends the last month. NewYearIndex[y - MinYear] is the index of month 1 of year y (up to MaxYear + 1).
    private sealed class Table(int[] starts, MonthInfo[] info, int[] newYearIndex)
    {
        public int[] Starts { get; } = starts;
        public MonthInfo[] Info { get; } = info;
        public int[] NewYearIndex { get; } = newYearIndex;

        public static Table Build()
        {
            var starts = new List<int>(2500);
            var info = new List<MonthInfo>(2500);
            var newYearIndex = new int[MaxYear - MinYear + 2];

            // Walk from one month 11 to the next. Between month 11 of solar year y - 1 and month 11 of solar year y
            // lie months 11 and 12 of lunar year y - 1, then months 1 to 10 of lunar year y; 13 months mean one of
            // them is the leap month.
            int month11 = StartOfMonth11(MinYear - 1);
            for (int year = MinYear; year <= MaxYear + 1; year++)
            {
                int nextMonth11 = StartOfMonth11(year);
                int k = NewMoonIndex(month11);
                int count = nextMonth11 - month11 > 365 ? 13 : 12;
                int leapOffset = count == 13 ? LeapMonthOffset(k) : -1;
                for (int offset = 0; offset < count; offset++)
                {
                    // The leap month takes the number of the month before it and shifts the rest down by one.
                    int number = leapOffset >= 0 && offset >= leapOffset ? 10 + offset : 11 + offset;
                    if (number > 12)
                    {
                        number -= 12;
                    }

                    int lunarYear = number >= 11 ? year - 1 : year;
                    if (lunarYear < MinYear)
                    {
                        continue;
                    }

                    int start = NewMoonDay(k + offset) - JulianDayOfDayNumberZero;
                    if (number == 1 && offset != leapOffset)
                    {
                        newYearIndex[lunarYear - MinYear] = starts.Count;
                    }

                    starts.Add(start);
                    if (lunarYear > MaxYear)
                    {
                        break;   // Tết of MaxYear + 1 only closes the table.
                    }

                    info.Add(new MonthInfo(number, offset == leapOffset, lunarYear));
                }

                month11 = nextMonth11;
            }

            return new Table([.. starts], [.. info], newYearIndex);
        }
    }

    // Julian day number of the local day on which month 11 of the given solar year starts: the new moon on or before
    // the winter solstice (Hồ Ngọc Đức, getLunarMonth11).
    private static int StartOfMonth11(int solarYear)
    {
        int lastDayOfYear = new DateOnly(solarYear, 12, 31).DayNumber + JulianDayOfDayNumberZero;
        int k = (int)Math.Floor((lastDayOfYear - 2415021) / SynodicMonth);
        int newMoon = NewMoonDay(k);
        // Sector 9 begins at 270°, the winter solstice: a new moon after it starts month 12, so take the one before.
        return SunSector(newMoon) >= 9 ? NewMoonDay(k - 1) : newMoon;
    }

    // Index k of the new moon that starts on the given local day (k = 0 is the new moon of 1900-01-01).
    private static int NewMoonIndex(int julianDay) =>
        (int)Math.Floor((julianDay - 2415021.076998695) / SynodicMonth + 0.5);

    // Offset from month 11 (new moon k) of the first month with no major solar term: the sun is in the same 30° sector
    // when that month starts and when the next one starts (Hồ Ngọc Đức, getLeapMonthOffset). Month 11 itself contains
    // the solstice, so the search starts at offset 1; among 13 months one such month always exists by offset 12.
    private static int LeapMonthOffset(int k)
    {
        int offset = 1;
        int sector = SunSector(NewMoonDay(k + offset));
        while (offset < 12)
        {
            int nextSector = SunSector(NewMoonDay(k + offset + 1));
            if (nextSector == sector)
            {
                break;
            }

            sector = nextSector;
            offset++;
        }

        return offset;
    }

    // Julian day number of the local (UTC+7) day of the k-th new moon.
    private static int NewMoonDay(int k) => (int)Math.Floor(NewMoon(k) + 0.5 + TimeZoneHours / 24);

    // Which 30° sector (0..11, 0 = 0° = spring equinox) the sun is in at local midnight starting the given day.
    private static int SunSector(int julianDay) =>
        (int)Math.Floor(SunLongitude(julianDay - 0.5 - TimeZoneHours / 24) / Math.PI * 6);

    // Julian day (UTC, fractional) of the k-th new moon after that of 1900-01-01 13:52 UTC. Meeus, "Astronomical
    // Algorithms", chapter 49, with the terms Hồ Ngọc Đức keeps (NewMoon).
    private static double NewMoon(int k)
    {
        double t = k / 1236.85;   // Julian centuries since 1900 January 0.5
        double t2 = t * t;
        double t3 = t2 * t;
        const double dr = Math.PI / 180;
        double jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
            + 0.00033 * Math.Sin((166.56 + 132.87 * t - 0.009173 * t2) * dr);
        double m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;     // sun's mean anomaly
        double mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;  // moon's mean anomaly
        double f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;     // moon's argument of latitude
        double c1 = (0.1734 - 0.000393 * t) * Math.Sin(m * dr) + 0.0021 * Math.Sin(2 * dr * m)
            - 0.4068 * Math.Sin(mpr * dr) + 0.0161 * Math.Sin(dr * 2 * mpr)
            - 0.0004 * Math.Sin(dr * 3 * mpr)
            + 0.0104 * Math.Sin(dr * 2 * f) - 0.0051 * Math.Sin(dr * (m + mpr))
            - 0.0074 * Math.Sin(dr * (m - mpr)) + 0.0004 * Math.Sin(dr * (2 * f + m))
            - 0.0004 * Math.Sin(dr * (2 * f - m)) - 0.0006 * Math.Sin(dr * (2 * f + mpr))
            + 0.0010 * Math.Sin(dr * (2 * f - mpr)) + 0.0005 * Math.Sin(dr * (2 * mpr + m));
        // ΔT (TT − UT) in days.
        double deltaT = t < -11
            ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
            : -0.000278 + 0.000265 * t + 0.000262 * t2;
        return jd1 + c1 - deltaT;
    }

    // The sun's apparent longitude in radians (0..2π) at the given Julian day. Meeus, "Astronomical Algorithms",
    // chapter 25 (low accuracy), as in Hồ Ngọc Đức's SunLongitude.
    private static double SunLongitude(double julianDay)
    {
        double t = (julianDay - 2451545.0) / 36525;   // Julian centuries since J2000.0
        double t2 = t * t;
        const double dr = Math.PI / 180;
        double m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;   // mean anomaly
        double l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;                       // mean longitude
        double dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * Math.Sin(dr * m)
            + (0.019993 - 0.000101 * t) * Math.Sin(dr * 2 * m) + 0.000290 * Math.Sin(dr * 3 * m);
        double longitude = (l0 + dl) * dr;
        return longitude - Math.PI * 2 * Math.Floor(longitude / (Math.PI * 2));
    }
}
