using Portal.Core.Notifications;
using Quartz;

namespace Portal.Jobs;

/// <summary>Delivers the outbox (ARCHITECTURE.md, mail). Safe to run on several nodes at once: rows are claimed with SKIP LOCKED.</summary>
public sealed class MailDispatchJob(MailDispatcher mail) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var run = await mail.DispatchAsync(cancellationToken);
        context.Result = JobRunReport.Succeeded($"{run.Sent} thư đã gửi, {run.Retrying} chờ gửi lại, {run.Failed} thất bại")
            .With("sent", run.Sent).With("retrying", run.Retrying).With("failed", run.Failed);
    }
}
