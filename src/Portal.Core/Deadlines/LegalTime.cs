namespace Portal.Core.Deadlines;

public static class LegalTime
{
    // Legal dates (deadlines, effective dates, the date in a dossier code) are facts about local days in Vietnam
    // (UTC+7, no daylight saving). Instants become legal dates only here.
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");

    public static DateOnly DateOf(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    public static DateOnly Today(TimeProvider clock) => DateOf(clock.GetUtcNow());
}
