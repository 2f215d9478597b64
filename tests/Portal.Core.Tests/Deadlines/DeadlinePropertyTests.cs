using FsCheck;
using FsCheck.Fluent;
using Portal.Core.Deadlines;
using static Portal.Core.Tests.Deadlines.Calendars;

namespace Portal.Core.Tests.Deadlines;

// Properties over random instants in 2024–2027 (any minute, working time or not) and amounts up to 30 working days.
public class DeadlinePropertyTests
{
    static readonly DateTimeOffset From = Iso("2024-01-01T00:00+07:00");
    const int Minutes = 4 * 366 * 24 * 60;

    static readonly Arbitrary<DateTimeOffset> Instants =
        Gen.Choose(0, Minutes).Select(m => From.AddMinutes(m)).ToArbitrary();

    static readonly Arbitrary<int> Days = Gen.Choose(0, 30).ToArbitrary();
    static readonly Arbitrary<int> PositiveDays = Gen.Choose(1, 30).ToArbitrary();
    static readonly Arbitrary<int> HalfDays = Gen.Choose(1, 60).ToArbitrary();

    // Minutes after receipt when the clock stops, and for how long.
    static readonly Arbitrary<(int, int)> Pause =
        (from after in Gen.Choose(0, 20 * 24 * 60) from length in Gen.Choose(0, 20 * 24 * 60) select (after, length)).ToArbitrary();

    static void Check(Property property) => property.QuickCheckThrowOnFailure();

    [Fact]
    public void A_due_instant_is_always_inside_working_time() =>
        Check(Prop.ForAll(Instants, HalfDays, (received, halfDays) =>
        {
            var due = Y2026.Due(received, DeadlineRule.WorkingDays(halfDays / 2m)).Due;
            return Y2026.IsWorkingTime(due) && due > received;
        }));

    [Fact]
    public void Adding_N_then_M_working_days_equals_adding_N_plus_M() =>
        Check(Prop.ForAll(Instants, Days, PositiveDays, (received, n, m) =>
        {
            var first = Y2026.Due(received, DeadlineRule.WorkingDays(n)).Due;
            var twice = Y2026.Due(first, DeadlineRule.WorkingDays(m)).Due;
            return twice == Y2026.Due(received, DeadlineRule.WorkingDays(n + m)).Due;
        }));

    [Fact]
    public void Pausing_never_makes_a_due_date_earlier() =>
        Check(Prop.ForAll(Instants, PositiveDays, Pause,
            (received, days, pause) =>
            {
                var (stopAfter, stopFor) = pause;
                var ledger = new ClockLedger(DeadlineRule.WorkingDays(days));
                ledger.Start(received, "A", 1);
                var stop = received.AddMinutes(stopAfter);
                ledger.Stop(stop, ClockCause.SupplementRequested);
                var resume = stop.AddMinutes(stopFor);
                ledger.Resume(resume, "A", 1);
                var summary = ledger.Compute(Y2026, resume.AddDays(1));
                return summary.CurrentDue >= summary.OriginalDue
                    && summary.CurrentDue - summary.OriginalDue >= TimeSpan.Zero
                    && Y2026.WorkingTimeBetween(summary.OriginalDue, summary.CurrentDue) == summary.Stopped;
            }));

    [Fact]
    public void Skipped_days_plus_working_days_equal_the_span() =>
        Check(Prop.ForAll(Instants, Days, Gen.Elements("working-days", "calendar-days", "same-day").ToArbitrary(),
            (received, amount, unit) =>
            {
                var deadline = Y2026.Due(received, DeadlineRule.Create(amount, unit, new TimeOnly(15, 0)));
                var explanation = Y2026.Explain(deadline);
                var span = LegalTime.DateOf(deadline.Due).DayNumber - LegalTime.DateOf(deadline.Start).DayNumber + 1;
                return explanation.Skipped.Count + explanation.WorkingDaysCounted == span
                    && explanation.Skipped.All(d => !Y2026.IsWorkingDay(d.Date) && d.Reason.Length > 0);
            }));

    [Fact]
    public void Working_time_between_two_instants_is_what_adding_it_gives_back() =>
        Check(Prop.ForAll(Instants, Gen.Choose(1, 30 * 8 * 60).ToArbitrary(), (received, minutes) =>
        {
            var start = Y2026.NextOpening(received);
            var end = Y2026.AddWorkingTime(start, TimeSpan.FromMinutes(minutes));
            return Y2026.WorkingTimeBetween(start, end) == TimeSpan.FromMinutes(minutes);
        }));
}
