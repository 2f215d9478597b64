using Portal.Core.BackOffice;
using Portal.Core.Reminders;
using static Portal.Core.Tests.Deadlines.Calendars;

namespace Portal.Core.Tests.Reminders;

// Working time turned into the instants that bound each kind's candidates (default 07:00–11:30, 13:30–17:00,
// Monday–Friday; 2026 with Saturday 22/08 worked; 01/01/2027 a holiday).
public sealed class ReminderRulesTests
{
    static readonly ApologyRules Rules = ApologyRules.For(new DateOnly(2026, 11, 23));
    static readonly ReminderSettings Defaults = new();

    static ReminderWindow At(string now) => ReminderWindow.At(Y2026, Iso(now), Defaults, Rules);

    [Theory]
    [InlineData("2026-11-23T10:00+07:00", "2026-11-23T16:00+07:00")]   // across lunch
    [InlineData("2026-11-23T07:30+07:00", "2026-11-23T11:30+07:00")]   // ends at a session's end: 11:30, not 13:30
    [InlineData("2026-11-27T15:00+07:00", "2026-11-30T09:00+07:00")]   // Friday afternoon: the weekend does not count
    [InlineData("2026-11-28T10:00+07:00", "2026-11-30T11:00+07:00")]   // on Saturday the clock stands at Monday's opening
    [InlineData("2026-12-31T15:00+07:00", "2027-01-04T09:00+07:00")]   // New Year's Day off
    [InlineData("2026-08-21T16:00+07:00", "2026-08-22T10:00+07:00")]   // Saturday 22/08/2026 is worked
    public void A_step_is_due_soon_when_its_due_is_before_four_working_hours_from_now(string now, string before)
    {
        var w = At(now);
        Assert.Equal(Iso(before), w.StepDueSoonBefore);
        Assert.Equal(Iso(now), w.Now);
    }

    [Theory]
    [InlineData("2027-01-05T10:00+07:00", "2026-12-28T10:00+07:00")]   // five working days back over 01/01 and a weekend
    [InlineData("2026-11-30T07:00+07:00", "2026-11-23T07:00+07:00")]   // at an opening: the latest instant of that position
    [InlineData("2026-11-28T12:00+07:00", "2026-11-23T07:00+07:00")]   // on Saturday as on Monday's opening
    public void A_supplement_request_is_reminded_after_five_working_days(string now, string requestedBy) =>
        Assert.Equal(Iso(requestedBy), At(now).SupplementRequestedBy);

    [Theory]
    [InlineData("2026-11-25T14:00+07:00", "2026-11-20T14:00+07:00")]
    [InlineData("2027-01-05T08:00+07:00", "2026-12-30T08:00+07:00")]
    public void A_result_is_reminded_after_three_working_days(string now, string finishedBy) =>
        Assert.Equal(Iso(finishedBy), At(now).ResultFinishedBy);

    [Theory]
    // From: at least one working day left (the apology is still in time, R-G1); to: its last moment within 8 working hours.
    [InlineData("2026-11-24T09:00+07:00", "2026-11-25T09:00+07:00", "2026-11-26T09:00+07:00")]
    [InlineData("2026-11-23T16:00+07:00", "2026-11-24T16:00+07:00", "2026-11-25T16:00+07:00")]
    [InlineData("2026-11-23T07:00+07:00", "2026-11-23T17:00+07:00", "2026-11-25T07:00+07:00")]   // day boundaries: earliest and latest instants
    public void The_apology_window_is_the_dues_between_one_and_two_working_days_away(string now, string from, string to)
    {
        var w = At(now);
        Assert.Equal((Iso(from), Iso(to)), (w.ApologyDueFrom, w.ApologyDueTo));
    }

    [Fact]
    public void The_thresholds_follow_the_settings()
    {
        var w = ReminderWindow.At(Y2026, Iso("2026-11-23T10:00+07:00"), Defaults with { StepHoursLeft = 8, SupplementDays = 1, UncollectedDays = 0.5m }, Rules);
        Assert.Equal(Iso("2026-11-24T10:00+07:00"), w.StepDueSoonBefore);
        Assert.Equal(Iso("2026-11-20T10:00+07:00"), w.SupplementRequestedBy);
        Assert.Equal(Iso("2026-11-20T16:00+07:00"), w.ResultFinishedBy);   // half a day: Monday 07:00–10:00 and Friday 16:00–17:00
    }

    [Theory]
    [InlineData("2026-11-26T09:00+07:00", "2026-11-25T09:00+07:00")]
    [InlineData("2026-11-30T09:00+07:00", "2026-11-27T09:00+07:00")]   // back over the weekend
    [InlineData("2026-11-30T07:00+07:00", "2026-11-26T17:00+07:00")]   // a due at an opening: the limit is the previous closing
    public void The_apology_limit_is_one_working_day_before_the_due(string due, string limit) =>
        Assert.Equal(Iso(limit), ReminderRules.ApologyLimit(Y2026, Iso(due), Rules));

    [Theory]
    [InlineData("2026-11-24T09:00+07:00", true)]    // at risk a day before the limit
    [InlineData("2026-11-25T09:00+07:00", true)]    // at risk exactly at the limit: the leaders must hear before it
    [InlineData("2026-11-25T09:01+07:00", false)]   // at risk only after the limit: no timely apology is possible
    public void Leaders_are_told_when_the_dossier_is_at_risk_by_the_apology_limit(string riskAt, bool told) =>
        Assert.Equal(told, ReminderRules.NeedsApology(Y2026, Iso(riskAt), Iso("2026-11-26T09:00+07:00"), Rules));
}
