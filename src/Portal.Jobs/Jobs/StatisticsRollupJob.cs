using Portal.Core.Housekeeping;
using Quartz;

namespace Portal.Jobs;

/// <summary>Rolls the dossiers up into daily statistics rows for the public statistics pages.</summary>
public sealed class StatisticsRollupJob(Housekeeping housekeeping) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var rows = await housekeeping.RollUpStatisticsAsync(cancellationToken);
        context.Result = JobRunReport.Succeeded($"{rows} dòng thống kê đã cập nhật").With("rows", rows);
    }
}
