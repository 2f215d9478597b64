using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.BackOffice;

namespace Portal.Web.Pages.Admin;

// /quan-tri/quy-trinh: the procedure versions in force, searchable, each with a custom or the default workflow.
public sealed class WorkflowsModel(BackOffice office) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")] public string? Search { get; set; }
    public IReadOnlyList<WorkflowVersion> Versions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Versions = await office.WorkflowVersionsAsync(Search is { Length: > 200 } ? Search[..200] : Search, ct);
}
