using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Jobs;

// Which process runs background jobs (ARCHITECTURE.md): "web+jobs" (the embedded default), "web", or "jobs".
public static class PortalRole
{
    public static string Of(IConfiguration config) => config["Portal:Role"] ?? "web+jobs";

    public static bool RunsJobs(IConfiguration config) => Of(config) is "web+jobs" or "jobs";
}

public static class PortalJobs
{
    // The one list of jobs and triggers. Quartz (clustered on PostgreSQL) and the first jobs arrive with the
    // background-jobs issue; until then there is nothing to schedule.
    public static IServiceCollection AddPortalJobs(this IServiceCollection services, IConfiguration config) => services;
}
