using Dapper;
using Npgsql;
using Quartz;

namespace Portal.Jobs;

/// <summary>A node of the cluster as its check-ins show it.</summary>
public sealed record JobNodeState(string Instance, DateTimeOffset LastCheckin, TimeSpan Interval, bool Alive);

/// <summary>A job's schedule and its last results, for /quan-tri/tac-vu.</summary>
public sealed record JobState(PortalJob Job, TriggerState State, DateTimeOffset? NextFire, JobRunState? LastRun);

public sealed class JobRunState
{
    public DateTimeOffset LastFired { get; init; }
    public bool LastSucceeded { get; init; }
    public string? LastSummary { get; init; }
    public string? LastNode { get; init; }
    public DateTimeOffset? LastFailure { get; init; }
    public string? LastFailureMessage { get; init; }
    public int ConsecutiveFailures { get; init; }
    public long Runs { get; init; }
    public long Failures { get; init; }
}

/// <summary>One execution from the shared history (every node writes it: UseExecutionHistory).</summary>
public sealed class JobExecution
{
    public string Job { get; init; } = "";
    public string Node { get; init; } = "";
    public DateTimeOffset Fired { get; init; }
    public TimeSpan RunTime { get; init; }
    public bool Succeeded { get; init; }
    public string? Summary { get; init; }
    public string? Error { get; init; }
    public bool Manual { get; init; }
}

/// <summary>
/// What administrators see of the scheduler: reads Quartz's own tables (migration 0013; times are UTC ticks) and asks
/// the scheduler for trigger states and next fire times. Pause, resume and trigger go through the scheduler, so they
/// work from a web process whose scheduler is on standby: the change lands in the shared store and the workers act on it.
/// </summary>
public sealed class JobBoard(NpgsqlDataSource db, ISchedulerFactory schedulers, TimeProvider clock)
{
    // Built on first use on a web node (standby); never while the store is unreachable (see PortalJobs.StoreReadyAsync).
    public async Task<IScheduler> SchedulerAsync(CancellationToken ct) => await PortalJobs.StoreReadyAsync(db, ct)
        ? await schedulers.GetScheduler(ct)
        : throw new TimeoutException("Không kết nối được kho tác vụ nền (cơ sở dữ liệu).");

    const string NodesSql = """
        SELECT instance_name, last_checkin_time, checkin_interval FROM quartz.qrtz_scheduler_state
         WHERE sched_name = @name ORDER BY instance_name
        """;

    public async Task<IReadOnlyList<JobNodeState>> NodesAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var now = clock.GetUtcNow();
        return (await conn.QueryAsync<(string Instance, long Checkin, long Interval)>(new CommandDefinition(NodesSql,
                new { name = PortalJobs.SchedulerName }, cancellationToken: ct)))
            .Select(r =>
            {
                var last = new DateTimeOffset(r.Checkin, TimeSpan.Zero);
                var interval = TimeSpan.FromMilliseconds(r.Interval);
                // Quartz itself declares a node failed after a missed check-in plus its threshold; twice the interval
                // plus ten seconds is the same idea without reading every node's threshold.
                return new JobNodeState(r.Instance, last, interval, now - last < interval * 2 + TimeSpan.FromSeconds(10));
            }).ToList();
    }

    const string StatusSql = """
        SELECT job_name AS JobName, last_fired_time AS LastFiredTicks, last_result AS LastResult, last_summary AS LastSummary,
               last_instance_name AS LastNode, last_failure_time AS LastFailureTicks, last_failure_message AS LastFailureMessage,
               consecutive_failures AS ConsecutiveFailures, run_count AS Runs, failure_count AS Failures
          FROM quartz.qrtz_job_status WHERE sched_name = @name AND job_group = @group
        """;

    sealed class StatusRow
    {
        public string JobName { get; init; } = "";
        public long LastFiredTicks { get; init; }
        public int LastResult { get; init; }
        public string? LastSummary { get; init; }
        public string? LastNode { get; init; }
        public long? LastFailureTicks { get; init; }
        public string? LastFailureMessage { get; init; }
        public int ConsecutiveFailures { get; init; }
        public long Runs { get; init; }
        public long Failures { get; init; }
    }

    public async Task<IReadOnlyList<JobState>> JobsAsync(CancellationToken ct)
    {
        var scheduler = await SchedulerAsync(ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        var statuses = (await conn.QueryAsync<StatusRow>(new CommandDefinition(StatusSql,
            new { name = PortalJobs.SchedulerName, group = PortalJobs.Group }, cancellationToken: ct))).ToDictionary(r => r.JobName);
        var list = new List<JobState>();
        foreach (var job in PortalJobs.All)
        {
            if (await scheduler.GetJobDetail(job.JobKey, ct) is null) continue;       // the probe, where it is not switched on
            var trigger = await scheduler.GetTrigger(job.TriggerKey, ct);
            var state = trigger is null ? TriggerState.None : await scheduler.GetTriggerState(trigger.Key, ct);
            statuses.TryGetValue(job.Key, out var s);
            list.Add(new JobState(job, state, trigger?.NextFireTimeUtc, s is null ? null : new JobRunState
            {
                LastFired = new DateTimeOffset(s.LastFiredTicks, TimeSpan.Zero),
                LastSucceeded = s.LastResult is 0 or 3,           // JobRunResult: 0 succeeded, 1 failed, 2 cancelled, 3 skipped
                LastSummary = s.LastSummary,
                LastNode = s.LastNode,
                LastFailure = s.LastFailureTicks is { } f ? new DateTimeOffset(f, TimeSpan.Zero) : null,
                LastFailureMessage = s.LastFailureMessage,
                ConsecutiveFailures = s.ConsecutiveFailures,
                Runs = s.Runs,
                Failures = s.Failures,
            }));
        }
        return list;
    }

    const string RecentSql = """
        SELECT job_name AS Job, instance_name AS Node, fired_time AS FiredTicks, run_time AS RunTicks, succeeded AS Succeeded,
               summary AS Summary, error_message AS Error, coalesce(manual, false) AS Manual
          FROM quartz.qrtz_execution_history
         WHERE sched_name = @name AND (NOT @failuresOnly OR NOT succeeded)
         ORDER BY fired_time DESC
         LIMIT @limit
        """;

    sealed class RecentRow
    {
        public string Job { get; init; } = "";
        public string Node { get; init; } = "";
        public long FiredTicks { get; init; }
        public long RunTicks { get; init; }
        public bool Succeeded { get; init; }
        public string? Summary { get; init; }
        public string? Error { get; init; }
        public bool Manual { get; init; }
    }

    public async Task<IReadOnlyList<JobExecution>> RecentAsync(bool failuresOnly, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<RecentRow>(new CommandDefinition(RecentSql,
                new { name = PortalJobs.SchedulerName, failuresOnly, limit }, cancellationToken: ct)))
            .Select(r => new JobExecution
            {
                Job = r.Job, Node = r.Node, Fired = new DateTimeOffset(r.FiredTicks, TimeSpan.Zero), RunTime = TimeSpan.FromTicks(r.RunTicks),
                Succeeded = r.Succeeded, Summary = r.Summary, Error = r.Error, Manual = r.Manual,
            }).ToList();
    }

    public static PortalJob? Find(string? key) => PortalJobs.All.FirstOrDefault(j => j.Key == key);

    public async Task TriggerAsync(PortalJob job, CancellationToken ct) => await (await SchedulerAsync(ct)).TriggerJob(job.JobKey, ct);

    // By trigger group (see PortalJob.TriggerKey): the pause survives any node's restart. "Run now" still works while
    // paused — its one-off trigger is in another group — which is what an administrator pausing a job expects.
    public async Task PauseAsync(PortalJob job, CancellationToken ct) =>
        await (await SchedulerAsync(ct)).PauseTriggerGroups(GroupMatcher<TriggerKey>.GroupEquals(job.TriggerKey.Group), ct);

    public async Task ResumeAsync(PortalJob job, CancellationToken ct) =>
        await (await SchedulerAsync(ct)).ResumeTriggerGroups(GroupMatcher<TriggerKey>.GroupEquals(job.TriggerKey.Group), ct);
}
