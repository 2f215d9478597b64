using Dapper;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Quartz;

namespace Portal.Jobs;

/// <summary>
/// The cluster probe (Portal:Jobs:Probe, off by default): holds for Portal:Jobs:ProbeSeconds and records which node
/// started it and when it finished (portal.job_probes). Marked requestRecovery, so when the node running it dies another
/// node runs it again (Recovering = true) — which is how an operator, and the clustering test, sees recovery work.
/// </summary>
public sealed class ProbeJob(NpgsqlDataSource db, IConfiguration config) : IJob
{
    const string StartSql = """
        INSERT INTO portal.job_probes (fire_id, started_by, started_at, recovering) VALUES (@fireId, @node, now(), @recovering)
        """;

    const string FinishSql = "UPDATE portal.job_probes SET finished_at = now() WHERE fire_id = @fireId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var node = context.Scheduler.SchedulerInstanceId;
        await using (var conn = await db.OpenConnectionAsync(cancellationToken))
            await conn.ExecuteAsync(StartSql, new { fireId = context.FireInstanceId, node, recovering = context.Recovering });
        await Task.Delay(TimeSpan.FromSeconds(config.GetValue("Portal:Jobs:ProbeSeconds", 5.0)), cancellationToken);
        await using (var conn = await db.OpenConnectionAsync(cancellationToken))
            await conn.ExecuteAsync(FinishSql, new { fireId = context.FireInstanceId });
        context.Result = JobRunReport.Succeeded(context.Recovering ? "Chạy lại sau khi nút trước dừng đột ngột" : "Hoàn tất");
    }
}
