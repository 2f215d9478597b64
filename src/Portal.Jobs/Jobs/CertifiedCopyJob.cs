using Portal.Core.CertifiedCopies;
using Quartz;

namespace Portal.Jobs;

/// <summary>Issues the electronic certified copies approved since the last run (DOMAIN.md §8).</summary>
public sealed class CertifiedCopyJob(CertifiedCopies copies) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var issued = await copies.IssuePendingAsync(cancellationToken);
        context.Result = JobRunReport.Succeeded($"{issued} bản sao đã cấp").With("issued", issued);
    }
}
