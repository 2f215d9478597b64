namespace Portal.Core.Deadlines;

public readonly record struct WorkSession(TimeOnly Start, TimeOnly End)
{
    public override string ToString() => $"{Start:HH\\:mm}–{End:HH\\:mm}";
}

/// <summary>
/// When a centre works: the sessions of a working day (every working day has the same sessions, swapped Saturdays
/// included — one production system gave them Monday's hours by accident), which weekdays count, and whether the
/// centre also receives on Saturdays without counting them (R-F7).
/// </summary>
public sealed record WorkingTimeProfile
{
    public const string DefaultCode = "mac-dinh";

    public required string Code { get; init; }
    public required string Name { get; init; }
    public required IReadOnlyList<WorkSession> Sessions { get; init; }
    public required IReadOnlySet<DayOfWeek> WorkingWeekdays { get; init; }
    public bool SaturdayReception { get; init; }

    /// <summary>07:00–11:30 and 13:30–17:00, Monday to Friday: 8 h = one working day (R-F2).</summary>
    public static WorkingTimeProfile Default { get; } = new()
    {
        Code = DefaultCode,
        Name = "Giờ hành chính (mặc định)",
        Sessions = [new(new(7, 0), new(11, 30)), new(new(13, 30), new(17, 0))],
        WorkingWeekdays = new HashSet<DayOfWeek>
            { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday },
    };

    public TimeSpan DayLength => Sessions.Aggregate(TimeSpan.Zero, (sum, s) => sum + (s.End - s.Start));

    /// <summary>Every problem with this profile, in Vietnamese; empty when it can be used.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Code)) problems.Add("Thiếu mã cấu hình giờ làm việc.");
        if (string.IsNullOrWhiteSpace(Name)) problems.Add("Thiếu tên cấu hình giờ làm việc.");
        if (Sessions.Count == 0)
            problems.Add("Cấu hình giờ làm việc phải có ít nhất một buổi làm việc (ví dụ 07:00–11:30).");
        for (var i = 0; i < Sessions.Count; i++)
        {
            var s = Sessions[i];
            if (s.End <= s.Start)
                problems.Add($"Buổi làm việc {s}: giờ kết thúc phải sau giờ bắt đầu.");
            if (i > 0 && s.Start < Sessions[i - 1].End)
                problems.Add($"Buổi làm việc {s} chồng lên hoặc đứng trước buổi {Sessions[i - 1]}; hãy xếp các buổi theo thứ tự, không chồng nhau.");
        }
        if (WorkingWeekdays.Count == 0)
            problems.Add("Cấu hình giờ làm việc phải có ít nhất một ngày làm việc trong tuần.");
        return problems;
    }

    public WorkingTimeProfile Validated()
    {
        var problems = Problems();
        if (problems.Count > 0) throw new DeadlineException(string.Join(" ", problems));
        return this;
    }
}
