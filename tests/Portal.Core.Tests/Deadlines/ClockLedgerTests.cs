using Portal.Core.Deadlines;
using static Portal.Core.Tests.Deadlines.Calendars;

namespace Portal.Core.Tests.Deadlines;

public class ClockLedgerTests
{
    const string OneStop = "000.00.00.H99-TTHCC";

    [Fact]
    public void A_supplement_request_stops_the_clock_and_pushes_the_due_by_the_working_time_stopped()
    {
        // DOMAIN.md §6.10: 3 working days stopped.
        var ledger = new ClockLedger(DeadlineRule.WorkingDays(10));
        ledger.Start(Iso("2026-03-02T07:00+07:00"), OneStop, 1);
        ledger.Stop(Iso("2026-03-04T17:00+07:00"), ClockCause.SupplementRequested);
        ledger.Resume(Iso("2026-03-10T07:00+07:00"), OneStop, 1);

        var summary = ledger.Compute(Y2026, Iso("2026-03-10T09:00+07:00"));

        Assert.Equal(Iso("2026-03-13T17:00+07:00"), summary.OriginalDue);
        Assert.Equal(Iso("2026-03-18T17:00+07:00"), summary.CurrentDue);
        Assert.Equal(TimeSpan.FromHours(24), summary.Stopped);
        Assert.Equal(TimeSpan.FromHours(26), summary.Used);
        Assert.Equal(TimeSpan.FromHours(54), summary.Left);
        Assert.Equal(1, summary.SupplementRequests);
    }

    [Fact]
    public void A_pause_across_holidays_counts_only_the_working_time_stopped()
    {
        var ledger = new ClockLedger(DeadlineRule.WorkingDays(10));
        ledger.Start(Iso("2026-04-20T07:00+07:00"), OneStop, 1);
        ledger.Stop(Iso("2026-04-23T17:00+07:00"), ClockCause.SupplementRequested);
        ledger.Resume(Iso("2026-05-05T07:00+07:00"), OneStop, 1);

        var summary = ledger.Compute(Y2026, Iso("2026-05-05T08:00+07:00"));

        // Stopped: Friday 24/04, Tuesday 28/04, Wednesday 29/04, Monday 04/05; 26–27/04 and 30/04–03/05 are off anyway.
        Assert.Equal(Iso("2026-05-06T17:00+07:00"), summary.OriginalDue);
        Assert.Equal(TimeSpan.FromHours(32), summary.Stopped);
        Assert.Equal(Iso("2026-05-12T17:00+07:00"), summary.CurrentDue);
    }

    [Fact]
    public void While_the_clock_is_stopped_the_current_due_keeps_moving()
    {
        var ledger = new ClockLedger(DeadlineRule.WorkingDays(10));
        ledger.Start(Iso("2026-03-02T07:00+07:00"), OneStop, 1);
        ledger.Stop(Iso("2026-03-04T17:00+07:00"), ClockCause.WaitingForFees);

        Assert.Equal(Iso("2026-03-17T17:00+07:00"), ledger.Compute(Y2026, Iso("2026-03-06T17:00+07:00")).CurrentDue);
        Assert.Equal(Iso("2026-03-18T17:00+07:00"), ledger.Compute(Y2026, Iso("2026-03-09T17:00+07:00")).CurrentDue);
        Assert.True(ledger.IsStopped);
    }

    [Fact]
    public void The_extension_is_granted_once_and_a_second_is_refused()
    {
        var ledger = new ClockLedger(DeadlineRule.WorkingDays(10));
        ledger.Start(Iso("2026-03-02T07:00+07:00"), OneStop, 1);

        var extension = ledger.GrantExtension(Y2026, Iso("2026-03-11T10:00+07:00"), Iso("2026-03-20T17:00+07:00"), "Cần xác minh thực địa");
        Assert.True(extension.Timely);
        var summary = ledger.Compute(Y2026, Iso("2026-03-12T10:00+07:00"));
        Assert.Equal(Iso("2026-03-13T17:00+07:00"), summary.CurrentDue);
        Assert.Equal(Iso("2026-03-20T17:00+07:00"), summary.EffectiveDue);

        var second = Assert.Throws<DeadlineException>(() =>
            ledger.GrantExtension(Y2026, Iso("2026-03-18T10:00+07:00"), Iso("2026-03-27T17:00+07:00"), "Lần hai"));
        Assert.Equal("Hồ sơ đã được hẹn lại một lần (hạn mới 17:00 20/03/2026); theo quy định chỉ được hẹn lại một lần.", second.Message);
        Assert.Equal(Iso("2026-03-20T17:00+07:00"), ledger.Extension!.NewDue);
    }

    [Fact]
    public void An_extension_must_be_later_than_the_current_due_and_on_a_working_day()
    {
        var ledger = new ClockLedger(DeadlineRule.WorkingDays(10));
        ledger.Start(Iso("2026-03-02T07:00+07:00"), OneStop, 1);

        var earlier = Assert.Throws<DeadlineException>(() =>
            ledger.GrantExtension(Y2026, Iso("2026-03-10T10:00+07:00"), Iso("2026-03-12T17:00+07:00"), "Lý do"));
        Assert.Contains("phải sau hạn hiện tại (17:00 13/03/2026)", earlier.Message);
        var sunday = Assert.Throws<DeadlineException>(() =>
            ledger.GrantExtension(Y2026, Iso("2026-03-10T10:00+07:00"), Iso("2026-03-15T17:00+07:00"), "Lý do"));
        Assert.Contains("15/03/2026 là ngày nghỉ (Chủ Nhật)", sunday.Message);
        Assert.Null(ledger.Extension);

        // Later than one working day before the due: accepted, but marked as not timely (R-G1).
        var late = ledger.GrantExtension(Y2026, Iso("2026-03-13T09:00+07:00"), Iso("2026-03-19T17:00+07:00"), "Lý do");
        Assert.False(late.Timely);
    }

    [Fact]
    public void Lateness_is_attributed_to_the_agency_that_overran_its_step()
    {
        const string A = "000.00.00.H99-TTHCC", B = "000.00.12.H99", C = "000.00.15.H99";
        var ledger = new ClockLedger(DeadlineRule.WorkingDays(10),
        [
            new StepBudget(1, A, "Tiếp nhận", DeadlineRule.WorkingDays(1)),
            new StepBudget(2, B, "Thẩm định", DeadlineRule.WorkingDays(5)),
            new StepBudget(3, C, "Phê duyệt, trả kết quả", DeadlineRule.WorkingDays(4)),
        ]);
        ledger.Start(Iso("2026-03-02T07:00+07:00"), A, 1);
        ledger.HandOver(Iso("2026-03-03T07:00+07:00"), B, 2);   // 1 day: on time
        ledger.HandOver(Iso("2026-03-12T07:00+07:00"), C, 3);   // 7 days against 5
        ledger.Finish(Iso("2026-03-16T17:00+07:00"));            // 3 days against 4

        var summary = ledger.Compute(Y2026, Iso("2026-03-20T10:00+07:00"));

        Assert.Equal([B], summary.LateAgencies);
        Assert.Equal(
            [DossierClass.OnTime, DossierClass.Late, DossierClass.Early],
            summary.Steps.Select(s => s.Outcome!.Value));
        Assert.Equal(TimeSpan.FromHours(-16), summary.Steps[1].Left);
        Assert.Equal(
            [(A, 8.0, 8.0), (B, 40.0, 56.0), (C, 32.0, 24.0)],
            summary.Agencies.Select(a => (a.AgencyCode, a.Budget.TotalHours, a.Used.TotalHours)));
        Assert.Equal(Iso("2026-03-09T17:00+07:00"), summary.Steps[1].Due);
        Assert.Equal(Iso("2026-03-17T17:00+07:00"), summary.Steps[2].Due);
        Assert.Equal(DossierClass.Late, Classification.Classify(summary.EffectiveDue, summary.Finished, 0,
            Iso("2026-03-31T17:00+07:00"), ClassificationRules.Named("766-2022")));
    }

    [Fact]
    public void A_dossier_on_time_has_no_late_agency_even_if_a_step_overran()
    {
        var ledger = new ClockLedger(DeadlineRule.WorkingDays(3),
            [new StepBudget(1, "A", "Một", DeadlineRule.WorkingDays(1)), new StepBudget(2, "B", "Hai", DeadlineRule.WorkingDays(2))]);
        ledger.Start(Iso("2026-03-02T07:00+07:00"), "A", 1);
        ledger.HandOver(Iso("2026-03-04T07:00+07:00"), "B", 2);
        ledger.Finish(Iso("2026-03-04T17:00+07:00"));

        var summary = ledger.Compute(Y2026, Iso("2026-03-05T10:00+07:00"));
        Assert.Empty(summary.LateAgencies);
        Assert.Equal(DossierClass.Late, summary.Steps[0].Outcome);
    }

    [Fact]
    public void The_ledger_only_moves_forward()
    {
        var ledger = new ClockLedger(DeadlineRule.WorkingDays(10));
        ledger.Start(Iso("2026-03-02T07:00+07:00"), OneStop, 1);
        Assert.Throws<DeadlineException>(() => ledger.Start(Iso("2026-03-02T08:00+07:00"), OneStop, 1));
        Assert.Throws<DeadlineException>(() => ledger.Resume(Iso("2026-03-02T08:00+07:00"), OneStop, 1));
        var backwards = Assert.Throws<DeadlineException>(() => ledger.Stop(Iso("2026-03-01T08:00+07:00"), ClockCause.SupplementRequested));
        Assert.Contains("không ghi lùi", backwards.Message);
        ledger.Stop(Iso("2026-03-03T08:00+07:00"), ClockCause.SupplementRequested);
        Assert.Throws<DeadlineException>(() => ledger.HandOver(Iso("2026-03-04T08:00+07:00"), "B", 2));
        Assert.Equal(2, ledger.Segments.Count);
    }

    [Fact]
    public void A_ledger_rebuilt_from_stored_segments_gives_the_same_answer()
    {
        var ledger = new ClockLedger(DeadlineRule.WorkingDays(10));
        ledger.Start(Iso("2026-03-02T07:00+07:00"), OneStop, 1);
        ledger.Stop(Iso("2026-03-04T17:00+07:00"), ClockCause.SupplementRequested);
        ledger.Resume(Iso("2026-03-10T07:00+07:00"), OneStop, 1);

        var rebuilt = new ClockLedger(DeadlineRule.WorkingDays(10), null, ledger.Segments);
        var asOf = Iso("2026-03-11T07:00+07:00");
        Assert.Equal(ledger.Compute(Y2026, asOf), rebuilt.Compute(Y2026, asOf), new SummaryComparer());

        var overlapping = ledger.Segments.Append(ledger.Segments[0] with { End = null }).ToList();
        Assert.Throws<DeadlineException>(() => new ClockLedger(DeadlineRule.WorkingDays(10), null, overlapping));
    }

    sealed class SummaryComparer : IEqualityComparer<ClockSummary>
    {
        public bool Equals(ClockSummary? x, ClockSummary? y) =>
            x!.CurrentDue == y!.CurrentDue && x.OriginalDue == y.OriginalDue && x.Used == y.Used && x.Stopped == y.Stopped;
        public int GetHashCode(ClockSummary obj) => obj.CurrentDue.GetHashCode();
    }
}
