using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using Portal.Core.BackOffice;
using Portal.Core.Deadlines;

namespace Portal.Web.Pages.Admin;

// /quan-tri/quy-trinh/{versionId}: a procedure version's workflow as a table of steps (plus blank rows to add steps),
// saved whole. The editor's checks (numbering, roles, the steps' total against the legal time) are always shown.
public sealed class WorkflowModel(BackOffice office, NpgsqlDataSource db) : PageModel
{
    public const int BlankRows = 2;

    public WorkflowVersion Version { get; private set; } = null!;
    public DeadlineRule Legal { get; private set; }
    public IReadOnlyList<WorkflowStep> Steps { get; private set; } = [];
    public IReadOnlyList<string> Warnings { get; private set; } = [];
    public IReadOnlyList<(string Code, string Name)> Agencies { get; private set; } = [];
    public List<string> Errors { get; } = [];

    [BindProperty] public List<string?> StepName { get; set; } = [];
    [BindProperty] public List<string?> StepAgency { get; set; } = [];
    [BindProperty] public List<string?> StepRole { get; set; } = [];
    [BindProperty] public List<string?> StepAmount { get; set; } = [];
    [BindProperty] public List<string?> StepUnit { get; set; } = [];
    [BindProperty] public List<string?> StepActions { get; set; } = [];
    [TempData(Key = "workflow-saved")] public string? Saved { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid versionId, CancellationToken ct) => await LoadAsync(versionId, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid versionId, CancellationToken ct)
    {
        if (!await LoadAsync(versionId, ct)) return NotFound();
        var steps = new List<WorkflowStep>();
        for (var i = 0; i < StepName.Count; i++)
        {
            var name = StepName[i]?.Trim() ?? "";
            var amountText = At(StepAmount, i)?.Trim() ?? "";
            if (name == "" && amountText == "") continue;     // a blank add-a-step row
            if (!decimal.TryParse(amountText.Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
                Errors.Add($"Dòng {i + 1}: nhập thời gian là một số, ví dụ 4 hoặc 0,5.");
            steps.Add(new WorkflowStep
            {
                Step = steps.Count, Name = name, AgencyCode = At(StepAgency, i) is { Length: > 0 } a ? a : null, Role = At(StepRole, i) ?? "",
                Amount = amount, Unit = At(StepUnit, i) == "working-days" ? "working-days" : "working-hours",
                Actions = [.. (At(StepActions, i) ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            });
        }
        if (Errors.Count == 0)
        {
            var problems = await office.SaveWorkflowAsync(versionId, steps, StaffAuth.User(User).Actor, ct);
            if (problems.Count == 0)
            {
                Saved = "Đã lưu quy trình.";
                return Redirect($"/quan-tri/quy-trinh/{versionId}");
            }
            Errors.AddRange(problems);
        }
        Steps = steps;
        Warnings = Workflow.Check(steps, Legal);
        return Page();
    }

    static string? At(List<string?> list, int i) => i < list.Count ? list[i] : null;

    async Task<bool> LoadAsync(Guid versionId, CancellationToken ct)
    {
        if (await office.WorkflowAsync(versionId, ct) is not { } w) return false;
        (Version, Legal, Steps, Warnings) = w;
        await using var conn = await db.OpenConnectionAsync(ct);
        Agencies = [.. await conn.QueryAsync<(string, string)>(new CommandDefinition(
            "SELECT code, name FROM portal.agency WHERE NOT any_commune ORDER BY name", cancellationToken: ct))];
        return true;
    }
}
