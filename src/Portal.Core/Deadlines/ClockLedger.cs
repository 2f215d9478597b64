namespace Portal.Core.Deadlines;

public enum ClockState { Running, Stopped }

/// <summary>Why the clock runs or stands still (§6.5).</summary>
public enum ClockCause
{
    /// <summary>Running: an agency works on a step of the dossier.</summary>
    AgencyStep,
    SupplementRequested,
    WaitingForFees,
    WaitingForCitizen,
}

/// <summary>One stretch of a dossier's clock. Running segments name the agency and step that owned the time.</summary>
public sealed record ClockSegment
{
    public required DateTimeOffset Start { get; init; }
    public DateTimeOffset? End { get; init; }
    public required ClockState State { get; init; }
    public required ClockCause Cause { get; init; }
    public string? AgencyCode { get; init; }
    public int? Step { get; init; }
}

/// <summary>A step of the internal workflow and its share of the legal time (§6.7).</summary>
public sealed record StepBudget(int Step, string AgencyCode, string Name, DeadlineRule Budget);

/// <summary>The one new appointment an apology letter may set (R-G1, R-G2).</summary>
public sealed record Extension(DateTimeOffset GrantedAt, DateTimeOffset NewDue, string Reason, bool Timely);

/// <summary>
/// A dossier's clock: an append-only sequence of running and stopped segments. Due dates are derived from it and the
/// calendar, never edited (§6.5, §13.2): original due from the procedure's time, current due pushed by the working
/// time stopped, extended due set once by an apology.
/// </summary>
public sealed class ClockLedger
{
    readonly List<ClockSegment> segments;

    public DeadlineRule Rule { get; }
    public IReadOnlyList<StepBudget> Steps { get; }
    public IReadOnlyList<ClockSegment> Segments => segments;
    public Extension? Extension { get; private set; }
    public DateTimeOffset? Finished { get; private set; }

    public ClockLedger(DeadlineRule rule, IReadOnlyList<StepBudget>? steps = null,
        IEnumerable<ClockSegment>? history = null, Extension? extension = null, DateTimeOffset? finished = null)
    {
        Rule = rule;
        Steps = steps ?? [];
        segments = [];
        foreach (var segment in history ?? []) Append(segment);
        Extension = extension;
        if (finished is { } end)
        {
            CloseOpen(end);
            Finished = end;
        }
    }

    public bool IsRunning => Finished is null && segments.Count > 0 && segments[^1] is { End: null, State: ClockState.Running };
    public bool IsStopped => Finished is null && segments.Count > 0 && segments[^1] is { End: null, State: ClockState.Stopped };

    /// <summary>Supplement requests during processing; more than one is late under the 766 rule (R-E4).</summary>
    public int SupplementRequests => segments.Count(s => s.Cause == ClockCause.SupplementRequested);

    public void Start(DateTimeOffset at, string agencyCode, int step)
    {
        if (segments.Count > 0) throw new DeadlineException("Đồng hồ của hồ sơ đã được bắt đầu; không thể bắt đầu lại.");
        Append(Running(at, agencyCode, step));
    }

    /// <summary>The dossier moves to another step (possibly another agency) without stopping the clock.</summary>
    public void HandOver(DateTimeOffset at, string agencyCode, int step)
    {
        if (!IsRunning) throw new DeadlineException("Chỉ chuyển bước khi đồng hồ đang chạy.");
        CloseOpen(at);
        Append(Running(at, agencyCode, step));
    }

    public void Stop(DateTimeOffset at, ClockCause cause)
    {
        if (cause == ClockCause.AgencyStep) throw new DeadlineException("Lý do dừng đồng hồ không hợp lệ.");
        if (!IsRunning) throw new DeadlineException("Đồng hồ không chạy nên không thể dừng.");
        var owner = segments[^1];
        CloseOpen(at);
        Append(new ClockSegment { Start = at, State = ClockState.Stopped, Cause = cause, AgencyCode = owner.AgencyCode, Step = owner.Step });
    }

    public void Resume(DateTimeOffset at, string agencyCode, int step)
    {
        if (!IsStopped) throw new DeadlineException("Đồng hồ không dừng nên không thể chạy lại.");
        CloseOpen(at);
        Append(Running(at, agencyCode, step));
    }

    public void Finish(DateTimeOffset at)
    {
        if (Finished is not null) throw new DeadlineException("Hồ sơ đã kết thúc xử lý.");
        if (segments.Count == 0) throw new DeadlineException("Đồng hồ của hồ sơ chưa được bắt đầu.");
        CloseOpen(at);
        Finished = at;
    }

    /// <summary>
    /// Sets the new appointment of an apology letter. Only once (R-G2); it must be later than the current due and fall
    /// on a working day. A letter sent later than one working day before the current due (R-G1) is accepted but
    /// recorded as not timely, so that the supervisor sees it.
    /// </summary>
    public Extension GrantExtension(WorkingCalendar calendar, DateTimeOffset at, DateTimeOffset newDue, string reason)
    {
        if (Extension is { } granted)
            throw new DeadlineException(
                $"Hồ sơ đã được hẹn lại một lần (hạn mới {LegalTime.Local(granted.NewDue):HH\\:mm dd/MM/yyyy}); theo quy định chỉ được hẹn lại một lần.");
        if (Finished is not null) throw new DeadlineException("Hồ sơ đã kết thúc xử lý, không thể gia hạn.");
        if (string.IsNullOrWhiteSpace(reason)) throw new DeadlineException("Hãy nêu lý do gia hạn trong văn bản xin lỗi.");
        var currentDue = Compute(calendar, at).CurrentDue;
        if (newDue <= currentDue)
            throw new DeadlineException(
                $"Ngày hẹn mới phải sau hạn hiện tại ({LegalTime.Local(currentDue):HH\\:mm dd/MM/yyyy}).");
        var newDay = DateOnly.FromDateTime(LegalTime.Local(newDue).DateTime);
        if (!calendar.IsWorkingDay(newDay))
            throw new DeadlineException($"Ngày hẹn mới {newDay:dd/MM/yyyy} là ngày nghỉ ({calendar.Reason(newDay)}); hãy chọn một ngày làm việc.");
        var timely = calendar.WorkingTimeBetween(at, currentDue).Ticks >= calendar.DayTicks;
        Extension = new Extension(at, newDue, reason.Trim(), timely);
        return Extension;
    }

    /// <summary>Everything the dossier page, the control slip and the reminders need, as of an instant.</summary>
    public ClockSummary Compute(WorkingCalendar calendar, DateTimeOffset asOf)
    {
        if (segments.Count == 0) throw new DeadlineException("Đồng hồ của hồ sơ chưa được bắt đầu.");
        var end = Finished ?? asOf;
        var deadline = calendar.Due(segments[0].Start, Rule);
        var startPosition = calendar.Position(deadline.Start);
        var originalDuePosition = calendar.Position(deadline.Due);

        // Each segment's working time, computed once for the totals, the steps and the agencies.
        var lengths = new long[segments.Count];
        long used = 0, stopped = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            lengths[i] = Length(calendar, segments[i], end);
            if (segments[i].State == ClockState.Running) used += lengths[i]; else stopped += lengths[i];
        }
        var currentDue = calendar.AtPosition(originalDuePosition + stopped, atEnd: true);
        var effectiveDue = Extension?.NewDue ?? currentDue;

        var stepUsage = new List<StepUsage>(Steps.Count);
        foreach (var step in Steps) stepUsage.Add(Usage(calendar, step, lengths, end));

        var late = Finished is { } f ? f > effectiveDue : asOf > effectiveDue;
        var lateAgencies = late
            ? stepUsage.Where(s => s.Used > s.Budget).Select(s => s.Step.AgencyCode).Distinct().ToList()
            : [];

        // Per agency, in order of first appearance: all its running time against the sum of its steps' budgets. A
        // dossier passes through a handful of agencies, so a linear search beats a dictionary here.
        var codes = new List<string>(4);
        var times = new List<long>(4);
        for (var i = 0; i < segments.Count; i++)
        {
            if (segments[i].State != ClockState.Running) continue;
            var at = codes.IndexOf(segments[i].AgencyCode!);
            if (at < 0) { codes.Add(segments[i].AgencyCode!); times.Add(lengths[i]); }
            else times[at] += lengths[i];
        }
        var agencies = new List<AgencyUsage>(codes.Count);
        for (var a = 0; a < codes.Count; a++)
        {
            var budget = TimeSpan.Zero;
            foreach (var u in stepUsage) if (u.Step.AgencyCode == codes[a]) budget += u.Budget;
            var time = TimeSpan.FromTicks(times[a]);
            agencies.Add(new AgencyUsage(codes[a], budget, time, budget - time));
        }

        return new ClockSummary(
            Started: deadline.Start,
            OriginalDue: deadline.Due,
            CurrentDue: currentDue,
            ExtendedDue: Extension?.NewDue,
            Used: TimeSpan.FromTicks(used),
            Left: TimeSpan.FromTicks(originalDuePosition - startPosition - used),
            Stopped: TimeSpan.FromTicks(stopped),
            SupplementRequests: SupplementRequests,
            Finished: Finished,
            Steps: stepUsage,
            Agencies: agencies,
            LateAgencies: lateAgencies);
    }

    StepUsage Usage(WorkingCalendar calendar, StepBudget step, long[] lengths, DateTimeOffset end)
    {
        DateTimeOffset? due = null;
        long budget = step.Budget.Unit == DeadlineUnit.WorkingHours
            ? (long)(step.Budget.Amount * TimeSpan.TicksPerHour)
            : (long)(step.Budget.Amount * calendar.DayTicks);
        long used = 0;
        var last = -1;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (segment.State != ClockState.Running || segment.Step != step.Step) continue;
            var length = lengths[i];
            // The step's due is where its own running time exhausts its budget.
            if (due is null && used + length >= budget)
                due = calendar.AtPosition(calendar.Position(segment.Start) + budget - used, atEnd: true);
            used += length;
            last = i;
        }
        if (last < 0)
            return new StepUsage(step, TimeSpan.FromTicks(budget), TimeSpan.Zero, TimeSpan.FromTicks(budget), null, null, null);

        // A step is over when the dossier has moved on to another step, or finished.
        var over = Finished is not null
            || segments.Skip(last + 1).Any(s => s.State == ClockState.Running && s.Step != step.Step);
        DateTimeOffset? finished = over ? segments[last].End : null;
        due ??= calendar.AtPosition(calendar.Position(finished ?? end) + budget - used, atEnd: true);
        // A hand-over at the next opening is no later, in working time, than the previous closing.
        DossierClass? outcome = finished is { } f
            ? Classification.Classify(due.Value, calendar.AtPosition(calendar.Position(f), atEnd: true), 0, f, ClassificationRules.Versions[0])
            : null;
        return new StepUsage(step, TimeSpan.FromTicks(budget), TimeSpan.FromTicks(used),
            TimeSpan.FromTicks(budget - used), due, finished, outcome);
    }

    static long Length(WorkingCalendar calendar, ClockSegment segment, DateTimeOffset end)
    {
        var to = segment.End ?? end;
        return to <= segment.Start ? 0 : calendar.Position(to) - calendar.Position(segment.Start);
    }

    static ClockSegment Running(DateTimeOffset at, string agencyCode, int step) =>
        new() { Start = at, State = ClockState.Running, Cause = ClockCause.AgencyStep, AgencyCode = agencyCode, Step = step };

    void CloseOpen(DateTimeOffset at)
    {
        if (segments.Count == 0 || segments[^1].End is not null) return;
        if (at < segments[^1].Start)
            throw new DeadlineException($"Thời điểm {LegalTime.Local(at):HH\\:mm dd/MM/yyyy} sớm hơn thời điểm của sự kiện trước; sổ thời gian chỉ ghi tiếp, không ghi lùi.");
        segments[^1] = segments[^1] with { End = at };
    }

    void Append(ClockSegment segment)
    {
        if (segment.State == ClockState.Running && (segment.Cause != ClockCause.AgencyStep || segment.AgencyCode is null))
            throw new DeadlineException("Đoạn thời gian đang chạy phải thuộc về một cơ quan và một bước xử lý.");
        if (segment.End is { } e && e < segment.Start)
            throw new DeadlineException("Đoạn thời gian kết thúc trước khi bắt đầu.");
        if (segments.Count > 0)
        {
            var last = segments[^1];
            if (last.End is null) throw new DeadlineException("Đoạn thời gian trước chưa kết thúc.");
            if (segment.Start < last.End) throw new DeadlineException("Các đoạn thời gian chồng lên nhau; sổ thời gian chỉ ghi tiếp, không ghi lùi.");
        }
        segments.Add(segment);
    }
}

public sealed record StepUsage(
    StepBudget Step, TimeSpan Budget, TimeSpan Used, TimeSpan Left, DateTimeOffset? Due, DateTimeOffset? Finished, DossierClass? Outcome);

public sealed record AgencyUsage(string AgencyCode, TimeSpan Budget, TimeSpan Used, TimeSpan Left);

public sealed record ClockSummary(
    DateTimeOffset Started,
    DateTimeOffset OriginalDue,
    DateTimeOffset CurrentDue,
    DateTimeOffset? ExtendedDue,
    TimeSpan Used,
    TimeSpan Left,
    TimeSpan Stopped,
    int SupplementRequests,
    DateTimeOffset? Finished,
    IReadOnlyList<StepUsage> Steps,
    IReadOnlyList<AgencyUsage> Agencies,
    IReadOnlyList<string> LateAgencies)
{
    /// <summary>The due the dossier is held to: the apology's new appointment if one was set (R-G6: both are reported).</summary>
    public DateTimeOffset EffectiveDue => ExtendedDue ?? CurrentDue;
}
