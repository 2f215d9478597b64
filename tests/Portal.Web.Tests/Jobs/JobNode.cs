using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Jobs;
using Portal.Web.Tests.Database;
using Quartz;

namespace Portal.Web.Tests.Jobs;

/// <summary>
/// A Quartz node on a test database, built exactly as the worker process builds itself (AddPortalCore +
/// AddPortalJobs), started in this process. Two nodes on one database are a real cluster: they share the quartz
/// schema and split firings. The periodic triggers are pushed far apart by default so a test fires what it means to
/// fire (<see cref="TriggerAsync"/>); settings override any configuration key. Tests that start nodes should use a
/// database of their own (a collection of their own), or nodes of other tests would take part in their cluster.
/// </summary>
public sealed class JobNode : IAsyncDisposable
{
    public required IHost Host { get; init; }
    public required IScheduler Scheduler { get; init; }
    public IServiceProvider Services => Host.Services;

    public static Task<JobNode> StartAsync(PostgresFixture db, string instanceId,
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, bool start = true) =>
        StartAsync(db.ConnectionString, db.Name, instanceId, settings, services, start, waitUntilRunning: start);

    public static async Task<JobNode> StartAsync(string connectionString, string databaseName, string instanceId,
        IDictionary<string, string?>? settings, Action<IServiceCollection>? services, bool start, bool waitUntilRunning)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        var config = Settings(connectionString, databaseName, instanceId);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) config[key] = value;
        builder.Configuration.AddInMemoryCollection(config);
        builder.Services.AddPortalCore(builder.Configuration);
        // start: false builds a standby node: it reads and writes the shared store (trigger, pause) but runs nothing
        // until the test calls Scheduler.Start().
        builder.Services.AddPortalJobs(builder.Configuration, run: start);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        if (!waitUntilRunning && start) return new JobNode { Host = host, Scheduler = null! };
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        // The node's scheduler starts in the background once the host has started (JobScheduler); wait for it.
        if (start) await Eventually.HoldsAsync(() => Task.FromResult(scheduler.Status == SchedulerStatus.Running), $"node {instanceId} runs its scheduler");
        return new JobNode { Host = host, Scheduler = scheduler };
    }

    /// <summary>
    /// A node's configuration in tests: no migrations (the fixture did them), a fast cluster check-in, periodic
    /// triggers pushed far apart. Also the environment of the worker processes the clustering tests start.
    /// </summary>
    public static Dictionary<string, string?> Settings(string connectionString, string databaseName, string instanceId) => new()
    {
        ["ConnectionStrings:Portal"] = connectionString,
        ["Portal:MigrateOnStart"] = "false",
        ["Portal:Jobs:InstanceId"] = instanceId,
        ["Portal:Jobs:CheckinMilliseconds"] = "1000",
        ["Portal:Jobs:CheckinMisfireMilliseconds"] = "3000",
        ["Portal:Jobs:MailSeconds"] = "86400",
        ["Portal:Jobs:ReminderMinutes"] = "1440",
        ["Portal:Jobs:CertifiedCopySeconds"] = "86400",
        ["Portal:Jobs:DraftMinutes"] = "1440",
        ["Portal:Files"] = Path.Combine(Path.GetTempPath(), "portal-jobnode-files-" + databaseName),
    };

    /// <summary>Fires a job now (on whichever node of the cluster acquires the firing first).</summary>
    public async Task TriggerAsync(PortalJob job) => await Scheduler.TriggerJob(job.JobKey);

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}
