namespace Portal.Core.Deadlines;

public static class LegalTime
{
    // Legal dates (deadlines, effective dates, the date in a dossier code) are facts about local days in Vietnam
    // (UTC+7, no daylight saving). Instants become legal dates only here.
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");

    // Vietnam has kept UTC+7 without daylight saving since 1975; the deadline engine uses this fixed offset so that a
    // due-date computation is plain integer arithmetic (no time-zone lookups, no allocations).
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    public static DateOnly DateOf(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    public static DateOnly Today(TimeProvider clock) => DateOf(clock.GetUtcNow());

    /// <summary>The same instant shown with the +07:00 offset.</summary>
    public static DateTimeOffset Local(DateTimeOffset instant) => instant.ToOffset(Offset);
}
