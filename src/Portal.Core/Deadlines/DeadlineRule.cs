namespace Portal.Core.Deadlines;

public enum DeadlineUnit
{
    WorkingDays,
    WorkingHours,
    CalendarDays,
    /// <summary>Returned the same working day (certification): with a cut-off, the next working day after it.</summary>
    SameDay,
}

/// <summary>
/// How long a procedure (or one step of it) may take: an amount in a unit, and optionally a cut-off hour after which
/// a request counts from the next working day (R-F3, §6.4). Half days are <c>WorkingDays(0.5m)</c>.
/// </summary>
public readonly record struct DeadlineRule
{
    public decimal Amount { get; }
    public DeadlineUnit Unit { get; }
    public TimeOnly? CutOff { get; }

    DeadlineRule(decimal amount, DeadlineUnit unit, TimeOnly? cutOff)
    {
        if (amount < 0)
            throw new DeadlineException($"Thời hạn giải quyết không được âm (đã nhận {amount}).");
        if (unit == DeadlineUnit.CalendarDays && amount != decimal.Truncate(amount))
            throw new DeadlineException($"Thời hạn theo ngày lịch phải là số ngày nguyên (đã nhận {amount}).");
        if (unit is DeadlineUnit.WorkingDays or DeadlineUnit.WorkingHours && amount * 3600 != decimal.Truncate(amount * 3600))
            throw new DeadlineException($"Thời hạn {amount} quá lẻ; hãy dùng tối đa bốn chữ số thập phân.");
        if (amount > 3650)
            throw new DeadlineException($"Thời hạn {amount} quá dài (tối đa 3650).");
        Amount = amount;
        Unit = unit;
        CutOff = cutOff;
    }

    public static DeadlineRule WorkingDays(decimal days, TimeOnly? cutOff = null) => new(days, DeadlineUnit.WorkingDays, cutOff);
    public static DeadlineRule WorkingHours(decimal hours, TimeOnly? cutOff = null) => new(hours, DeadlineUnit.WorkingHours, cutOff);
    public static DeadlineRule CalendarDays(int days, TimeOnly? cutOff = null) => new(days, DeadlineUnit.CalendarDays, cutOff);
    public static DeadlineRule SameDay(TimeOnly? cutOff) => new(0, DeadlineUnit.SameDay, cutOff);

    /// <summary>The catalogue's and the API's unit names.</summary>
    public static DeadlineRule Create(decimal amount, string unit, TimeOnly? cutOff = null) => unit switch
    {
        "working-days" => WorkingDays(amount, cutOff),
        "working-hours" => WorkingHours(amount, cutOff),
        "calendar-days" => new(amount, DeadlineUnit.CalendarDays, cutOff),   // the constructor checks it is whole
        "same-day" => SameDay(cutOff),
        _ => throw new DeadlineException(
            $"Đơn vị thời hạn \"{unit}\" không được hỗ trợ; hãy dùng working-days, working-hours, calendar-days hoặc same-day."),
    };

    public string UnitName => Unit switch
    {
        DeadlineUnit.WorkingDays => "working-days",
        DeadlineUnit.WorkingHours => "working-hours",
        DeadlineUnit.CalendarDays => "calendar-days",
        _ => "same-day",
    };

    public override string ToString()
    {
        var text = Unit switch
        {
            DeadlineUnit.WorkingDays => $"{Amount:0.##} ngày làm việc",
            DeadlineUnit.WorkingHours => $"{Amount:0.##} giờ làm việc",
            DeadlineUnit.CalendarDays => $"{Amount:0} ngày",
            _ => "trong ngày làm việc",
        };
        return CutOff is { } c ? $"{text} (nhận sau {c:HH\\:mm} tính từ ngày làm việc tiếp theo)" : text;
    }
}
