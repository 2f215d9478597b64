using BenchmarkDotNet.Attributes;
using Portal.Core.Deadlines;

namespace Portal.Benchmarks;

// Issue 3's figures: Due computations per second (1–30 working days, received at random minutes of 2026, working
// time or not), ledger recomputation of a 20-segment dossier, allocations per call. One core: BenchmarkDotNet runs
// the benchmark on one thread.
[MemoryDiagnoser]
public class DeadlineBenchmarks
{
    const int Batch = 1024;
    WorkingCalendar calendar = null!;
    readonly DateTimeOffset[] received = new DateTimeOffset[Batch];
    readonly DeadlineRule[] rules = new DeadlineRule[Batch];
    ClockLedger ledger = null!;
    DateTimeOffset asOf;

    [GlobalSetup]
    public void Setup()
    {
        calendar = new WorkingCalendar(WorkingTimeProfile.Default,
        [
            new(new DateOnly(2026, 8, 22), DayKind.WorkingDay, "Làm bù cho thứ Hai 31/08/2026", "benchmark"),
            new(new DateOnly(2026, 8, 31), DayKind.BridgeDayOff, "Nghỉ hoán đổi", "benchmark"),
        ]);
        var random = new Random(42);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(7));
        for (var i = 0; i < Batch; i++)
        {
            received[i] = start.AddMinutes(random.Next(0, 365 * 24 * 60));
            rules[i] = DeadlineRule.WorkingDays(random.Next(1, 31));
        }

        // 20 segments: a dossier handed over between three agencies, stopped five times for supplements and fees.
        ledger = new ClockLedger(DeadlineRule.WorkingDays(30),
        [
            new StepBudget(1, "A", "Tiếp nhận", DeadlineRule.WorkingDays(2)),
            new StepBudget(2, "B", "Thẩm định", DeadlineRule.WorkingDays(20)),
            new StepBudget(3, "C", "Phê duyệt", DeadlineRule.WorkingDays(8)),
        ]);
        var at = new DateTimeOffset(2026, 3, 2, 7, 0, 0, TimeSpan.FromHours(7));
        ledger.Start(at, "A", 1);
        var step = 1;
        for (var i = 1; i < 20; i++)
        {
            at = at.AddHours(26);
            if (i % 4 == 1) ledger.Stop(at, i % 8 == 1 ? ClockCause.SupplementRequested : ClockCause.WaitingForFees);
            else if (i % 4 == 2) ledger.Resume(at, step == 1 ? "A" : step == 2 ? "B" : "C", step);
            else { step = Math.Min(3, step + 1); ledger.HandOver(at, step == 2 ? "B" : "C", step); }
        }
        asOf = at.AddDays(1);
        if (ledger.Segments.Count != 20) throw new InvalidOperationException($"{ledger.Segments.Count} segments");
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long Due()
    {
        long sum = 0;
        for (var i = 0; i < Batch; i++) sum += calendar.Due(received[i], rules[i]).Due.UtcTicks;
        return sum;
    }

    [Benchmark]
    public ClockSummary Ledger20Segments() => ledger.Compute(calendar, asOf);

    [Benchmark]
    public DeadlineExplanation Explain() => calendar.Explain(calendar.Due(received[7], DeadlineRule.WorkingDays(10)));

    [Benchmark]
    public WorkingCalendar BuildCalendar1900To2100() => new(WorkingTimeProfile.Default, []);
}
