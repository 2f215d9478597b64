using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portal.Core.Dossiers;

namespace Portal.Jobs;

// Which process runs background jobs (ARCHITECTURE.md): "web+jobs" (the embedded default), "web", or "jobs".
public static class PortalRole
{
    public static string Of(IConfiguration config) => config["Portal:Role"] ?? "web+jobs";

    public static bool RunsJobs(IConfiguration config) => Of(config) is "web+jobs" or "jobs";
}

public static class PortalJobs
{
    // The one list of jobs and triggers. Quartz (clustered on PostgreSQL) arrives with the background-jobs issue;
    // until then the draft housekeeping runs on a timer, safe on several nodes (SKIP LOCKED).
    public static IServiceCollection AddPortalJobs(this IServiceCollection services, IConfiguration config)
    {
        if (config.GetValue("Portal:Drafts:Housekeeping", true)) services.AddHostedService<DraftHousekeeping>();
        return services;
    }
}

/// <summary>Hourly: remind the owners of drafts expiring within three days, then delete expired drafts (UX.md §2.8).</summary>
public sealed class DraftHousekeeping(Dossiers dossiers, IConfiguration config, ILogger<DraftHousekeeping> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromMinutes(Math.Max(1, config.GetValue("Portal:Drafts:HousekeepingMinutes", 60)));
        var baseUrl = config["Portal:PublicUrl"] ?? "http://127.0.0.1:5080";
        using var timer = new PeriodicTimer(every);
        do
        {
            try
            {
                var reminded = await dossiers.RemindExpiringDraftsAsync(TimeSpan.FromDays(3), baseUrl, stoppingToken);
                var expired = await dossiers.ExpireDraftsAsync(stoppingToken);
                if (reminded + expired > 0) log.LogInformation("Drafts: {Reminded} reminded, {Expired} expired", reminded, expired);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Draft housekeeping failed; it runs again in {Minutes} minutes", every.TotalMinutes);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
