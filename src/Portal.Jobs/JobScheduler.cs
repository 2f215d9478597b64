using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Quartz;

namespace Portal.Jobs;

/// <summary>
/// Starts this node's scheduler once the application has started, and keeps trying while the database cannot be
/// reached. Quartz's own hosted service creates the scheduler during host start-up and fails the whole host when the
/// database is down; a web process must still start then and answer 503 pages ("Dịch vụ tạm ngừng"), and a worker
/// should simply join the cluster when the database is back. Shutdown waits for running jobs to finish.
/// </summary>
public sealed class JobScheduler(ISchedulerFactory schedulers, NpgsqlDataSource db, IHostApplicationLifetime lifetime,
    IConfiguration config, ILogger<JobScheduler> log) : BackgroundService
{
    IScheduler? scheduler;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Jobs start after start-up (migrations first, pages serving), as Quartz's hosted service does by default.
        var started = new TaskCompletionSource();
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            await started.Task.ConfigureAwait(false);
        var retry = TimeSpan.FromSeconds(config.GetValue("Portal:Jobs:StartRetrySeconds", 10.0));
        while (!await PortalJobs.StoreReadyAsync(db, stoppingToken))
        {
            log.LogWarning("Job store not reachable (database down or not migrated); the scheduler starts when it is. Next try in {Seconds} s",
                retry.TotalSeconds);
            await Task.Delay(retry, stoppingToken);
        }
        try
        {
            scheduler = await schedulers.GetScheduler(stoppingToken);
            await scheduler.Start(stoppingToken);
            log.LogInformation("Job scheduler {Instance} started", scheduler.SchedulerInstanceId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database went away between the check and the build: Quartz's scheduler is now shut down for good in
            // this process. A worker exits so its supervisor restarts it; a web process keeps serving pages.
            log.LogError(e, "Job scheduler failed to start; restart this process to run jobs");
            if (PortalRole.Of(config) == "jobs") lifetime.StopApplication();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (scheduler is { Status: not (SchedulerStatus.Shutdown or SchedulerStatus.ShuttingDown) } s)
            await s.Shutdown(waitForJobsToComplete: true, cancellationToken);
    }
}
