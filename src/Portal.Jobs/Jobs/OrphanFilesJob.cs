using Portal.Core.Housekeeping;
using Quartz;

namespace Portal.Jobs;

/// <summary>Purges stored files that nothing refers to once their grace period is over.</summary>
public sealed class OrphanFilesJob(Housekeeping housekeeping) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var purged = await housekeeping.PurgeOrphanFilesAsync(cancellationToken);
        context.Result = JobRunReport.Succeeded($"{purged} tệp đã xóa").With("purged", purged);
    }
}
