namespace Portal.Core.Deadlines;

/// <summary>
/// The one place that knows which moments are working time (§6). Built once from a working-time profile, the
/// statutory holidays of every year 1900–2100 and the stored holiday decisions, it turns every instant into a
/// <em>working position</em> — the working time elapsed since 1900 — so that adding working days or hours, measuring
/// the working time between two instants and pushing a due date by a pause are integer arithmetic: no loops over
/// days, no allocations, the same answer everywhere.
/// </summary>
public sealed class WorkingCalendar
{
    public const int FirstYear = LunarCalendar.MinYear;
    public const int LastYear = LunarCalendar.MaxYear;

    static readonly long OffsetTicks = LegalTime.Offset.Ticks;
    static readonly int FirstDayNumber = new DateOnly(FirstYear, 1, 1).DayNumber;
    static readonly int DayCount = new DateOnly(LastYear, 12, 31).DayNumber - FirstDayNumber + 1;

    readonly long[] sessionStart;   // ticks since midnight
    readonly long[] sessionEnd;
    readonly bool[] working;        // per day since 01/01/1900
    readonly int[] workingBefore;   // working days strictly before each day (DayCount + 1 entries)
    readonly int[] workingDays;     // day index of the k-th working day
    readonly Dictionary<int, CalendarDay> special = [];

    public WorkingTimeProfile Profile { get; }

    /// <summary>Working time of one day (8 h by default): "N working days" means N of these (§6.1).</summary>
    public long DayTicks { get; }

    public WorkingCalendar(WorkingTimeProfile profile, IEnumerable<CalendarDay> decisions)
    {
        Profile = profile.Validated();
        sessionStart = profile.Sessions.Select(s => s.Start.Ticks).ToArray();
        sessionEnd = profile.Sessions.Select(s => s.End.Ticks).ToArray();
        DayTicks = profile.DayLength.Ticks;

        for (var year = FirstYear; year <= LastYear; year++)
            foreach (var day in StatutoryHolidays.For(year))
                special[day.Date.DayNumber - FirstDayNumber] = day;
        foreach (var decision in decisions)
        {
            var index = decision.Date.DayNumber - FirstDayNumber;
            if (index < 0 || index >= DayCount) throw OutOfRange(decision.Date);
            special[index] = decision;  // the year's announcement overrides the derived proposal, day by day
        }

        working = new bool[DayCount];
        workingBefore = new int[DayCount + 1];
        var list = new List<int>(DayCount * 5 / 7 + 1);
        for (var i = 0; i < DayCount; i++)
        {
            var weekday = (DayOfWeek)((FirstDayNumber + i + 1) % 7);  // DayNumber 0 (01/01/0001) was a Monday
            var isWorking = special.TryGetValue(i, out var note) ? !note.IsDayOff : profile.WorkingWeekdays.Contains(weekday);
            working[i] = isWorking;
            workingBefore[i + 1] = workingBefore[i] + (isWorking ? 1 : 0);
            if (isWorking) list.Add(i);
        }
        workingDays = list.ToArray();
    }

    public static WorkingCalendar Statutory(WorkingTimeProfile? profile = null) =>
        new(profile ?? WorkingTimeProfile.Default, []);

    // ---- days ----

    public bool IsWorkingDay(DateOnly day) => working[Index(day)];

    /// <summary>Why a day is what it is: a holiday's name, "Thứ Bảy", a working Saturday's decision; null for an ordinary working day.</summary>
    public string? Reason(DateOnly day)
    {
        var index = Index(day);
        if (special.TryGetValue(index, out var note)) return note.Reason;
        return working[index] ? null : Weekdays.Name(day.DayOfWeek);
    }

    /// <summary>The stored or derived entry for a day, if any.</summary>
    public CalendarDay? Special(DateOnly day) => special.GetValueOrDefault(Index(day));

    /// <summary>
    /// A year's days that differ from the ordinary week: every day off that is not an ordinary weekly rest day, and
    /// every weekly rest day that is worked (the calendar API and the administrators' page).
    /// </summary>
    public IEnumerable<(DateOnly Date, bool Working, CalendarDay? Special)> NotableDays(int year)
    {
        if (year is < FirstYear or > LastYear)
            throw new DeadlineException($"Năm {year} nằm ngoài phạm vi lịch được hỗ trợ ({FirstYear}–{LastYear}).");
        for (var d = new DateOnly(year, 1, 1); d.Year == year; d = d.AddDays(1))
        {
            var index = d.DayNumber - FirstDayNumber;
            var restDay = !Profile.WorkingWeekdays.Contains(d.DayOfWeek);
            var note = special.GetValueOrDefault(index);
            if (working[index] ? restDay : !restDay || note is { IsDayOff: true }) yield return (d, working[index], note);
        }
    }

    // ---- working positions ----

    /// <summary>
    /// Working time (ticks) from 01/01/1900 to the instant. Outside working time the position is that of the next
    /// opening, which is also that of the previous closing: the position does not move while nobody works.
    /// </summary>
    public long Position(DateTimeOffset instant)
    {
        var (index, timeOfDay) = Locate(instant);
        var position = workingBefore[index] * DayTicks;
        if (!working[index]) return position;
        long elapsed = 0;
        for (var s = 0; s < sessionStart.Length; s++)
        {
            if (timeOfDay <= sessionStart[s]) return position + elapsed;
            if (timeOfDay < sessionEnd[s]) return position + elapsed + timeOfDay - sessionStart[s];
            elapsed += sessionEnd[s] - sessionStart[s];
        }
        return position + elapsed;
    }

    /// <summary>
    /// The instant at a working position. When the position falls on a boundary (a session's end is the next
    /// session's start), <paramref name="atEnd"/> chooses the end: a budget that runs out at 11:30 is due at 11:30,
    /// not at 13:30 (§6.10).
    /// </summary>
    public DateTimeOffset AtPosition(long position, bool atEnd)
    {
        if (position < 0) throw OutOfRange(position);
        var k = position / DayTicks;
        var rest = position - k * DayTicks;
        if (rest == 0 && atEnd && k > 0) { k--; rest = DayTicks; }
        if (k >= workingDays.Length) throw OutOfRange(position);
        var index = workingDays[k];
        for (var s = 0; s < sessionStart.Length; s++)
        {
            var length = sessionEnd[s] - sessionStart[s];
            if (rest < length || (rest == length && (atEnd || s == sessionStart.Length - 1)))
                return Instant(index, sessionStart[s] + rest);
            rest -= length;
        }
        throw new InvalidOperationException("unreachable: rest exceeds the working day");
    }

    public DateTimeOffset NextOpening(DateTimeOffset instant) => AtPosition(Position(instant), atEnd: false);

    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to) =>
        TimeSpan.FromTicks(Position(to) - Position(from));

    public DateTimeOffset AddWorkingTime(DateTimeOffset from, TimeSpan workingTime) =>
        AtPosition(Position(from) + workingTime.Ticks, atEnd: workingTime > TimeSpan.Zero);

    public bool IsWorkingTime(DateTimeOffset instant)
    {
        var (index, timeOfDay) = Locate(instant);
        if (!working[index]) return false;
        for (var s = 0; s < sessionStart.Length; s++)
            if (timeOfDay >= sessionStart[s] && timeOfDay <= sessionEnd[s]) return true;
        return false;
    }

    // ---- deadlines ----

    /// <summary>
    /// When a request received at <paramref name="received"/> is due under <paramref name="rule"/> (§6.1–6.4).
    /// Allocation-free; ask <see cref="Explain"/> for the reasons.
    /// </summary>
    public Deadline Due(DateTimeOffset received, DeadlineRule rule)
    {
        var (index, timeOfDay) = Locate(received);

        // Cut-off (R-F3): on a working day at or after the cut-off hour, the request counts from the next working day.
        var afterCutOff = rule.CutOff is { } cutOff && working[index] && timeOfDay >= cutOff.Ticks;
        var startPosition = afterCutOff ? workingBefore[index + 1] * DayTicks : Position(received);

        switch (rule.Unit)
        {
            case DeadlineUnit.WorkingDays:
            case DeadlineUnit.WorkingHours:
            {
                var budget = rule.Unit == DeadlineUnit.WorkingDays
                    ? (long)(rule.Amount * DayTicks)
                    : (long)(rule.Amount * TimeSpan.TicksPerHour);
                return new Deadline(received, AtPosition(startPosition, false),
                    AtPosition(startPosition + budget, atEnd: budget > 0), rule, afterCutOff);
            }
            case DeadlineUnit.SameDay:
            {
                var day = startPosition / DayTicks;  // the working day that contains the (normalised) start
                return new Deadline(received, AtPosition(startPosition, false),
                    AtPosition((day + 1) * DayTicks, atEnd: true), rule, afterCutOff);
            }
            default:
            {
                // Calendar days count from the day after receipt (Civil Code Art. 147) and never end on a day off.
                var dueIndex = index + (long)rule.Amount + (afterCutOff ? 1 : 0);
                if (dueIndex >= DayCount) throw OutOfRange(received);
                var k = workingBefore[dueIndex];  // the first working day on or after dueIndex
                if (k >= workingDays.Length) throw OutOfRange(received);
                return new Deadline(received, received, AtPosition((k + 1) * DayTicks, atEnd: true), rule, afterCutOff);
            }
        }
    }

    /// <summary>Why the due instant is what it is: the start, every day skipped with its reason, the working weekend days counted.</summary>
    public DeadlineExplanation Explain(Deadline deadline)
    {
        var startDay = DateOnly.FromDateTime(LegalTime.Local(deadline.Start).DateTime);
        var dueDay = DateOnly.FromDateTime(LegalTime.Local(deadline.Due).DateTime);
        var skipped = new List<ExplainedDay>();
        var workedWeekend = new List<ExplainedDay>();
        var counted = 0;
        for (var day = startDay; day <= dueDay; day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                counted++;
                if (!Profile.WorkingWeekdays.Contains(day.DayOfWeek))
                    workedWeekend.Add(new ExplainedDay(day, Reason(day) ?? "Ngày làm việc bù"));
            }
            else skipped.Add(new ExplainedDay(day, Reason(day) ?? Weekdays.Name(day.DayOfWeek)));
        }
        return new DeadlineExplanation(deadline, StartNote(deadline), counted, skipped, workedWeekend);
    }

    string? StartNote(Deadline deadline)
    {
        var when = Moment(deadline.Start);
        if (deadline.AfterCutOff)
            return $"Hồ sơ nhận sau {deadline.Rule.CutOff:HH\\:mm} nên thời hạn được tính từ {when}.";
        if (deadline.Rule.Unit == DeadlineUnit.CalendarDays || deadline.Start == deadline.Received) return null;
        return $"Hồ sơ nhận ngoài giờ làm việc nên thời hạn được tính từ {when}.";
    }

    // ---- helpers ----

    /// <summary>The day (index since 01/01/1900) and the Vietnamese time of day of an instant.</summary>
    static (int Index, long TimeOfDay) Locate(DateTimeOffset instant)
    {
        var local = instant.UtcTicks + OffsetTicks;
        var dayNumber = local / TimeSpan.TicksPerDay;
        var index = dayNumber - FirstDayNumber;
        if ((ulong)index >= (ulong)DayCount) throw OutOfRange(instant);
        return ((int)index, local - dayNumber * TimeSpan.TicksPerDay);
    }

    int Index(DateOnly day)
    {
        var index = day.DayNumber - FirstDayNumber;
        if ((uint)index >= (uint)DayCount) throw OutOfRange(day);
        return index;
    }

    /// <summary>"07:00 thứ Hai 02/03/2026".</summary>
    internal static string Moment(DateTimeOffset instant)
    {
        var local = LegalTime.Local(instant);
        return $"{local:HH\\:mm} {Weekdays.InSentence(local.DayOfWeek)} {local:dd/MM/yyyy}";
    }

    static DateTimeOffset Instant(int dayIndex, long timeOfDay) =>
        new((FirstDayNumber + (long)dayIndex) * TimeSpan.TicksPerDay + timeOfDay, LegalTime.Offset);

    static DeadlineException OutOfRange(DateOnly day) =>
        new($"Ngày {day:dd/MM/yyyy} nằm ngoài phạm vi lịch được hỗ trợ ({FirstYear}–{LastYear}).");

    static DeadlineException OutOfRange(DateTimeOffset instant) => OutOfRange(DateOnly.FromDateTime(LegalTime.Local(instant).DateTime));

    static DeadlineException OutOfRange(long _) =>
        new($"Thời hạn vượt ra ngoài phạm vi lịch được hỗ trợ ({FirstYear}–{LastYear}).");
}

/// <summary>A computed due date. <see cref="Start"/> is when the clock started (after normalisation and cut-off).</summary>
public readonly record struct Deadline(
    DateTimeOffset Received, DateTimeOffset Start, DateTimeOffset Due, DeadlineRule Rule, bool AfterCutOff);

public sealed record ExplainedDay(DateOnly Date, string Reason);

public sealed record DeadlineExplanation(
    Deadline Deadline,
    string? StartNote,
    int WorkingDaysCounted,
    IReadOnlyList<ExplainedDay> Skipped,
    IReadOnlyList<ExplainedDay> WorkedWeekendDays)
{
    /// <summary>The explanation as sentences for the citizen's page and the receipt.</summary>
    public IEnumerable<string> Lines()
    {
        if (StartNote is not null) yield return StartNote;
        foreach (var day in Skipped) yield return SkippedText(day);
        foreach (var day in WorkedWeekendDays) yield return WorkedText(day);
        yield return DueText;
    }

    public static string SkippedText(ExplainedDay day) =>
        $"{Weekdays.Name(day.Date.DayOfWeek)} {day.Date:dd/MM/yyyy}: không tính ({day.Reason}).";

    public static string WorkedText(ExplainedDay day) =>
        $"{Weekdays.Name(day.Date.DayOfWeek)} {day.Date:dd/MM/yyyy}: ngày làm việc, được tính ({day.Reason}).";

    public string DueText => $"Thời hạn {Deadline.Rule}: hạn trả kết quả {WorkingCalendar.Moment(Deadline.Due)}.";
}

public static class Weekdays
{
    public static string Name(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => "Thứ Hai",
        DayOfWeek.Tuesday => "Thứ Ba",
        DayOfWeek.Wednesday => "Thứ Tư",
        DayOfWeek.Thursday => "Thứ Năm",
        DayOfWeek.Friday => "Thứ Sáu",
        DayOfWeek.Saturday => "Thứ Bảy",
        _ => "Chủ Nhật",
    };

    /// <summary>Inside a sentence: "thứ Hai", "chủ nhật".</summary>
    public static string InSentence(DayOfWeek day) => day == DayOfWeek.Sunday ? "chủ nhật" : "t" + Name(day)[1..];
}
