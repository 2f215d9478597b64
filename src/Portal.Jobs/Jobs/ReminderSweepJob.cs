using Portal.Core.Reminders;
using Quartz;

namespace Portal.Jobs;

/// <summary>Deadline reminders from the clock ledger. Two nodes running it at once split the candidates (SKIP LOCKED).</summary>
public sealed class ReminderSweepJob(Reminders reminders) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var run = await reminders.SweepAsync(cancellationToken);
        context.Result = JobRunReport.Succeeded($"{run.Sent} lời nhắc đã gửi") .With("sent", run.Sent);
    }
}
