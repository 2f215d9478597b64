using Portal.Core.BackOffice;
using Portal.Core.Deadlines;

namespace Portal.Core.Reminders;

/// <summary>The kinds of reminder: stable keys, used in <c>portal.reminders_sent</c> and as the outbox kind.</summary>
public static class ReminderKinds
{
    public const string StepDueSoon = "reminder-step-due-soon";
    public const string StepOverdue = "reminder-step-overdue";
    public const string ApologyNeeded = "reminder-apology-needed";
    public const string SupplementUnanswered = "reminder-supplement-unanswered";
    public const string ResultUncollected = "reminder-result-uncollected";

    public static readonly IReadOnlyList<string> All = [StepDueSoon, StepOverdue, ApologyNeeded, SupplementUnanswered, ResultUncollected];
}

/// <summary>Configuration (Portal:Reminders:*), with the defaults AddPortalCore registers.</summary>
public sealed record ReminderSettings
{
    /// <summary>A step with less working time left than this is "due soon".</summary>
    public decimal StepHoursLeft { get; init; } = 4;

    /// <summary>How long before the apology's last moment (1 working day before the due, R-G1) the leaders are told.</summary>
    public decimal ApologyLeadHours { get; init; } = 8;

    /// <summary>A supplement request still open after this many working days is reminded to the citizen.</summary>
    public decimal SupplementDays { get; init; } = 5;

    /// <summary>A result ready and not collected after this many working days is reminded to the citizen.</summary>
    public decimal UncollectedDays { get; init; } = 3;

    /// <summary>Candidates taken (and locked) per transaction.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>The portal's public address for links in the messages (Portal:PublicUrl).</summary>
    public string PublicUrl { get; init; } = "http://127.0.0.1:5080";
}

/// <summary>
/// The instants that bound each kind's candidates, for one working calendar at one moment. Working time is turned
/// into instants here, once per calendar and sweep, so the database selects candidates by plain index ranges on
/// timestamps and never has to know the calendar:
/// <list type="bullet">
/// <item>due soon: <c>Now ≤ step_due_at &lt; StepDueSoonBefore</c> ⇔ less than N working hours left;</item>
/// <item>overdue: <c>step_due_at &lt; Now</c>;</item>
/// <item>apology: <c>ApologyDueFrom ≤ due_at ≤ ApologyDueTo</c> ⇔ the apology can still be issued in time (at least
/// the rule's working days left) and its last moment is at most the lead time away;</item>
/// <item>supplement: <c>requested_at ≤ SupplementRequestedBy</c> ⇔ at least N working days ago;</item>
/// <item>uncollected: <c>finished_at ≤ ResultFinishedBy</c> ⇔ at least N working days ago.</item>
/// </list>
/// A working position is constant while nobody works, so one position is many instants: "less than" bounds take the
/// earliest instant of the position (<c>atEnd: true</c>), "at most" bounds the latest (<c>atEnd: false</c>).
/// </summary>
public sealed record ReminderWindow(
    DateTimeOffset Now,
    DateTimeOffset StepDueSoonBefore,
    DateTimeOffset ApologyDueFrom,
    DateTimeOffset ApologyDueTo,
    DateTimeOffset SupplementRequestedBy,
    DateTimeOffset ResultFinishedBy)
{
    public static ReminderWindow At(WorkingCalendar calendar, DateTimeOffset now, ReminderSettings settings, ApologyRules rules)
    {
        var position = calendar.Position(now);
        var needed = ApologyTicks(calendar, rules);
        return new(
            now,
            calendar.AtPosition(position + Hours(settings.StepHoursLeft), atEnd: true),
            calendar.AtPosition(position + needed, atEnd: true),
            calendar.AtPosition(position + needed + Hours(settings.ApologyLeadHours), atEnd: false),
            calendar.AtPosition(Math.Max(0, position - Days(calendar, settings.SupplementDays)), atEnd: false),
            calendar.AtPosition(Math.Max(0, position - Days(calendar, settings.UncollectedDays)), atEnd: false));
    }

    static long Hours(decimal hours) => (long)(hours * TimeSpan.TicksPerHour);

    static long Days(WorkingCalendar calendar, decimal days) => (long)(days * calendar.DayTicks);

    internal static long ApologyTicks(WorkingCalendar calendar, ApologyRules rules) => (long)(rules.MinWorkingDaysBefore * calendar.DayTicks);
}

public static class ReminderRules
{
    /// <summary>The last moment an apology can be issued for a dossier due at <paramref name="due"/> (R-G1).</summary>
    public static DateTimeOffset ApologyLimit(WorkingCalendar calendar, DateTimeOffset due, ApologyRules rules) =>
        calendar.AtPosition(Math.Max(0, calendar.Position(due) - ReminderWindow.ApologyTicks(calendar, rules)), atEnd: true);

    /// <summary>
    /// Whether a dossier in the apology window needs its leaders told: it is at risk (the time left is less than the
    /// later steps need, BackOffice.Plan) now or will be by the apology's last moment if its step does not finish.
    /// A dossier whose risk would only begin after that moment is left alone: nobody can know yet that it will be late,
    /// and by then no timely apology is possible anyway.
    /// </summary>
    public static bool NeedsApology(WorkingCalendar calendar, DateTimeOffset riskAt, DateTimeOffset due, ApologyRules rules) =>
        calendar.Position(riskAt) <= calendar.Position(due) - ReminderWindow.ApologyTicks(calendar, rules);
}
