using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Portal.Jobs;

// The worker process (ARCHITECTURE.md, role "jobs"): the same services and jobs as the web process, no HTTP.
// `dotnet run --project src/Portal.Jobs` (or `dotnet Portal.Jobs.dll`) with ConnectionStrings__Portal set; run as many as
// needed — they share one clustered Quartz store, so each firing runs on exactly one of them. (A named class, not
// top-level statements: the web project's own Program must stay the only global one for WebApplicationFactory.)
public static class Worker
{
    public static async Task Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Configuration["Portal:Role"] ??= "jobs";
        builder.Services.AddPortalCore(builder.Configuration);
        builder.Services.AddPortalJobs(builder.Configuration, run: true);
        await builder.Build().RunAsync();
    }
}
