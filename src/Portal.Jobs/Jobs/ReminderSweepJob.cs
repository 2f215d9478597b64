using Portal.Core.Reminders;
using Quartz;

namespace Portal.Jobs;

/// <summary>Deadline reminders from the clock ledger. Two nodes running it at once split the candidates (SKIP LOCKED).</summary>
public sealed class ReminderSweepJob(Reminders reminders) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var run = await reminders.SweepAsync(cancellationToken);
        var report = JobRunReport.Succeeded($"{run.Sent} lời nhắc đã gửi ({run.Messages} thư)").With("sent", run.Sent).With("messages", run.Messages);
        foreach (var (kind, sent) in run.ByKind) report = report.With(kind, sent);
        context.Result = report;
    }
}
