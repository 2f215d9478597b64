using Microsoft.Extensions.Configuration;
using Portal.Core.Dossiers;
using Quartz;

namespace Portal.Jobs;

/// <summary>Reminds the owners of drafts expiring within three days, then deletes expired drafts (UX.md §2.8).</summary>
public sealed class DraftHousekeepingJob(Dossiers dossiers, IConfiguration config) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var baseUrl = config["Portal:PublicUrl"] ?? "http://127.0.0.1:5080";
        var reminded = await dossiers.RemindExpiringDraftsAsync(TimeSpan.FromDays(3), baseUrl, cancellationToken);
        var expired = await dossiers.ExpireDraftsAsync(cancellationToken);
        context.Result = JobRunReport.Succeeded($"{reminded} lời nhắc, {expired} hồ sơ nháp đã xóa")
            .With("reminded", reminded).With("expired", expired);
    }
}
