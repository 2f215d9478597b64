using System.Diagnostics;
using Dapper;
using Portal.Jobs;
using Portal.Web.Tests.Database;
using Quartz;

namespace Portal.Web.Tests.Jobs;

// A database of their own: nodes started here form a cluster with every node on the same database.
[CollectionDefinition("cluster")]
public sealed class ClusterCollection : ICollectionFixture<PostgresFixture>;

[Collection("cluster")]
public sealed class ClusterTests(PostgresFixture db)
{
    [Fact]
    public async Task A_worker_killed_mid_job_has_its_recoverable_job_completed_by_another_node()
    {
        var settings = new Dictionary<string, string?> { ["Portal:Jobs:Probe"] = "true", ["Portal:Jobs:ProbeSeconds"] = "0.2" };
        // Node B is on standby while A works: it can fire the probe through the shared store but runs nothing itself.
        await using var b = await JobNode.StartAsync(db, "node-b", settings, start: false);
        using var worker = StartWorker("worker-a");
        try
        {
            await Eventually.SqlAsync(db.DataSource, "SELECT EXISTS (SELECT 1 FROM quartz.qrtz_scheduler_state WHERE instance_name = 'worker-a')", "the worker process joins the cluster", context: () => Tail(worker));
            await b.Scheduler.TriggerJob(PortalJobs.Probe.JobKey);
            await Eventually.SqlAsync(db.DataSource, "SELECT EXISTS (SELECT 1 FROM portal.job_probes WHERE started_by = 'worker-a')", "the worker starts the probe", context: () => Tail(worker));

            worker.Kill(entireProcessTree: true);        // no shutdown hook, no goodbye to the cluster: a crash
            await worker.WaitForExitAsync();
            await b.Scheduler.Start();

            await Eventually.SqlAsync(db.DataSource, """
                SELECT EXISTS (SELECT 1 FROM portal.job_probes WHERE started_by = 'node-b' AND recovering AND finished_at IS NOT NULL)
                """, "node B recovers and finishes the probe", context: () => Tail(worker));
            var rows = (await db.DataSource.OpenConnection().QueryAsync<(string StartedBy, bool Recovering, bool Finished)>(
                "SELECT started_by, recovering, finished_at IS NOT NULL FROM portal.job_probes WHERE started_by IN ('worker-a', 'node-b') ORDER BY started_at")).ToList();
            Assert.Equal([("worker-a", false, false), ("node-b", true, true)], rows);
        }
        finally
        {
            if (!worker.HasExited) worker.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task The_worker_process_runs_the_portal_jobs_and_records_them_in_the_shared_history()
    {
        using var worker = StartWorker("worker-history", ("Portal:Jobs:MailSeconds", "1"));
        try
        {
            await Eventually.SqlAsync(db.DataSource, """
                SELECT EXISTS (SELECT 1 FROM quartz.qrtz_execution_history
                                WHERE instance_name = 'worker-history' AND job_name = 'mail-dispatch' AND succeeded)
                """, "the worker runs the mail dispatcher and records it", context: () => Tail(worker));
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_node_started_while_the_database_is_down_joins_the_cluster_once_it_is_back()
    {
        var admin = PostgresFixture.AdminConnectionString();
        var name = $"portal_test_late_{Guid.NewGuid():N}";
        var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        // The host starts although the database does not exist yet (a web process must still serve its 503 pages).
        await using var node = await JobNode.StartAsync(connectionString, name, "node-late",
            new Dictionary<string, string?> { ["Portal:Jobs:StartRetrySeconds"] = "0.5" }, null, start: true, waitUntilRunning: false);
        try
        {
            await using (var conn = new Npgsql.NpgsqlConnection(admin))
                await conn.ExecuteAsync($"CREATE DATABASE {name}");                 // a name we generated
            await Portal.Core.Database.Migrator.ApplyAsync(connectionString, default);
            await using var late = Portal.Core.Database.Db.CreateDataSource(connectionString);
            await Eventually.SqlAsync(late, "SELECT EXISTS (SELECT 1 FROM quartz.qrtz_scheduler_state WHERE instance_name = 'node-late')",
                "the node joins the cluster after the database came back");
        }
        finally
        {
            await node.Host.StopAsync();
            await PostgresFixture.DropDatabaseAsync(admin, name);
        }
    }

    Process StartWorker(string instanceId, params (string Key, string Value)[] extra)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Portal.Jobs.dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var env = JobNode.Settings(db.ConnectionString, db.Name, instanceId);
        env["Portal:Jobs:Probe"] = "true";
        env["Portal:Jobs:ProbeSeconds"] = "600";              // still running when it is killed
        foreach (var (key, value) in extra) env[key] = value;
        foreach (var (key, value) in env) start.Environment[key.Replace(":", "__")] = value;
        var process = Process.Start(start)!;
        // Drain the pipes so the worker never blocks on a full buffer; keep the tail for a failure message.
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    readonly Queue<string> output = new();

    void Remember(string? line)
    {
        if (line is null) return;
        lock (output)
        {
            output.Enqueue(line);
            while (output.Count > 60) output.Dequeue();
        }
    }

    string Tail(Process worker)
    {
        lock (output) return $"Worker exited: {worker.HasExited}. Worker output:\n{string.Join("\n", output)}";
    }
}
