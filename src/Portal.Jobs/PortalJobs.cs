using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;

namespace Portal.Jobs;

// Which process runs background jobs (ARCHITECTURE.md): "web+jobs" (the embedded default), "web", or "jobs".
public static class PortalRole
{
    public static string Of(IConfiguration config) => config["Portal:Role"] ?? "web+jobs";

    public static bool RunsJobs(IConfiguration config) => Of(config) is "web+jobs" or "jobs";
}

/// <summary>A job as administrators see it on /quan-tri/tac-vu: its Quartz key, a Vietnamese name and what it does.</summary>
public sealed record PortalJob(string Key, string Name, string Description, Type Type)
{
    public JobKey JobKey => new(Key, PortalJobs.Group);

    // Each job's trigger sits in a trigger group of its own, and pausing pauses that group: a paused group is stored
    // (qrtz_paused_trigger_grps) and re-applied when a starting node re-declares the trigger, where the pause of a
    // single trigger would be lost on the next restart of any node.
    public TriggerKey TriggerKey => new(Key, Key);
}

public static class PortalJobs
{
    public const string SchedulerName = "portal";
    public const string Group = "portal";

    public static readonly PortalJob MailDispatch = new("mail-dispatch", "Gửi thư điện tử",
        "Gửi các thư trong hàng đợi qua máy chủ SMTP (hoặc ghi tệp .eml), thử lại với thời gian chờ tăng dần.", typeof(MailDispatchJob));
    public static readonly PortalJob ReminderSweep = new("reminder-sweep", "Nhắc hạn xử lý",
        "Nhắc chuyên viên khi bước sắp hết hoặc đã quá thời gian, nhắc lãnh đạo hồ sơ cần xin lỗi, nhắc người dân bổ sung và nhận kết quả.",
        typeof(ReminderSweepJob));
    public static readonly PortalJob CertifiedCopies = new("certified-copies", "Cấp bản sao điện tử chứng thực",
        "Dựng bản sao, lấy số chứng thực, ký số và trả kết quả cho các yêu cầu đã được duyệt.", typeof(CertifiedCopyJob));
    public static readonly PortalJob DraftHousekeeping = new("draft-housekeeping", "Dọn hồ sơ nháp",
        "Nhắc chủ hồ sơ nháp sắp hết hạn lưu và xóa hồ sơ nháp đã hết hạn.", typeof(DraftHousekeepingJob));
    public static readonly PortalJob OrphanFiles = new("orphan-files", "Dọn tệp mồ côi",
        "Xóa các tệp tải lên không thuộc hồ sơ, biểu mẫu hay kết quả nào sau thời gian chờ.", typeof(OrphanFilesJob));
    public static readonly PortalJob StatisticsRollup = new("statistics-rollup", "Tổng hợp thống kê",
        "Tổng hợp số hồ sơ tiếp nhận, giải quyết sớm, đúng và quá hạn theo ngày, cơ quan và thủ tục.", typeof(StatisticsRollupJob));

    public static readonly PortalJob Probe = new("cluster-probe", "Thử phục hồi cụm",
        "Chạy trong một khoảng thời gian rồi ghi nút đã bắt đầu và kết thúc; dùng để kiểm tra một nút khác chạy lại tác vụ khi nút đang chạy dừng đột ngột.",
        typeof(ProbeJob));

    /// <summary>Every job, in the order the administrators' page lists them (the probe only where it is switched on).</summary>
    public static readonly IReadOnlyList<PortalJob> All = [MailDispatch, ReminderSweep, CertifiedCopies, DraftHousekeeping, OrphanFiles, StatisticsRollup, Probe];

    static readonly TimeZoneInfo Vietnam = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");

    /// <summary>
    /// The one list of jobs and triggers (ARCHITECTURE.md, jobs): Quartz with its clustered AdoJobStore in schema
    /// "quartz" (migration 0013), execution history kept in the database so every node reads one history. With
    /// <paramref name="run"/> false (role "web") the scheduler is configured but never started: the administrators'
    /// page can still read, pause, resume and trigger through the shared store while workers do the running.
    /// </summary>
    public static IServiceCollection AddPortalJobs(this IServiceCollection services, IConfiguration config, bool run)
    {
        var connectionString = config.GetConnectionString("Portal")
            ?? throw new InvalidOperationException("No database configured: set ConnectionStrings:Portal.");
        var jobs = config.GetSection("Portal:Jobs");
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o =>
            {
                o.InstanceName = SchedulerName;
                // How long an idle node waits before looking for due triggers again. A firing requested from another
                // process ("Chạy ngay" on a web node, an approval asking for a certified copy) is not signalled to the
                // workers, so this bounds how long it waits; Quartz's 30 s default felt broken on the admin page.
                o.IdleWaitTime = TimeSpan.FromSeconds(jobs.GetValue("IdleWaitSeconds", 5.0));
                if (jobs["InstanceId"] is { Length: > 0 } id) o.InstanceId = id;
                else o.GenerateInstanceId = true;
            });
            q.UseDefaultThreadPool(jobs.GetValue("Threads", 4));
            q.UsePersistentStore(s =>
            {
                s.UsePostgres(connectionString);
                s.ConfigureStore(o => o.TablePrefix = "quartz.qrtz_");
                // A node that stops checking in for CheckinMisfireThreshold is taken as dead: another node recovers
                // its jobs marked requestRecovery. Tests shorten both to see that within seconds.
                s.UseClustering(c =>
                {
                    c.CheckinInterval = TimeSpan.FromMilliseconds(jobs.GetValue("CheckinMilliseconds", 7500));
                    c.CheckinMisfireThreshold = TimeSpan.FromMilliseconds(jobs.GetValue("CheckinMisfireMilliseconds", 15000));
                });
                s.UseExecutionHistory();
            });

            // Mail: frequent; a missed firing is simply skipped (the next one finds the same queue). Recovery: a batch
            // cut off by a dead node is re-run at once by another rather than waiting for the next firing.
            Every(q, MailDispatch, TimeSpan.FromSeconds(jobs.GetValue("MailSeconds", 10)), recover: true);
            // Reminders and certified copies must finish what they started; a missed firing runs once on recovery.
            Every(q, ReminderSweep, TimeSpan.FromMinutes(jobs.GetValue("ReminderMinutes", 15)), recover: true, fireOnMisfire: true);
            Every(q, CertifiedCopies, TimeSpan.FromSeconds(jobs.GetValue("CertifiedCopySeconds", 20)), recover: true);
            Every(q, DraftHousekeeping, TimeSpan.FromMinutes(jobs.GetValue("DraftMinutes", 60)), recover: false, fireOnMisfire: true);
            // Night jobs at fixed Vietnam times; a night missed (all nodes down) runs once when a node comes back.
            Nightly(q, OrphanFiles, jobs["OrphanFilesCron"] ?? "0 30 2 * * ?");
            Nightly(q, StatisticsRollup, jobs["StatisticsCron"] ?? "0 15 1 * * ?");
            // Fired by hand only (the administrators' page, or the test): a durable job with no trigger.
            if (jobs.GetValue("Probe", false))
                q.AddJob(Probe.Type, j => j.WithIdentity(Probe.JobKey).WithDescription(Probe.Name).StoreDurably().RequestRecovery());
        });
        // Every node declares the triggers at start and replaces what is stored (so a changed interval takes effect);
        // the replacement keeps the stored trigger's last firing, so a restart does not fire everything again.
        services.Configure<QuartzOptions>(o => o.Scheduling.ScheduleTriggerRelativeToReplacedTrigger = true);
        if (run) services.AddHostedService<JobScheduler>();
        services.AddSingleton<JobBoard>();
        return services;
    }

    /// <summary>
    /// Whether the job store can be reached and has its tables. Asked before the container builds the scheduler: Quartz
    /// builds it once per process, and a build that fails (database down, migrations not applied yet) leaves a
    /// scheduler that is shut down for good — so the first build must wait for a database that answers.
    /// </summary>
    public static async Task<bool> StoreReadyAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        try
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            await using var cmd = new NpgsqlCommand("SELECT to_regclass('quartz.qrtz_locks') IS NOT NULL", conn);
            return await cmd.ExecuteScalarAsync(ct) is true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException) { return false; }
    }

    static void Every(IQuartzBuilder q, PortalJob job, TimeSpan interval, bool recover, bool fireOnMisfire = false)
    {
        q.AddJob(job.Type, j => j.WithIdentity(job.JobKey).WithDescription(job.Name).StoreDurably().RequestRecovery(recover));
        q.AddTrigger(t => t.ForJob(job.JobKey).WithIdentity(job.TriggerKey)
            .StartNow()
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireInstruction(fireOnMisfire
                ? SimpleTriggerMisfireInstruction.NowWithRemainingCount
                : SimpleTriggerMisfireInstruction.NextWithRemainingCount)));
    }

    static void Nightly(IQuartzBuilder q, PortalJob job, string cron)
    {
        q.AddJob(job.Type, j => j.WithIdentity(job.JobKey).WithDescription(job.Name).StoreDurably().RequestRecovery());
        q.AddTrigger(t => t.ForJob(job.JobKey).WithIdentity(job.TriggerKey)
            .WithCronSchedule(cron, s => s.InTimeZone(Vietnam).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
    }
}
