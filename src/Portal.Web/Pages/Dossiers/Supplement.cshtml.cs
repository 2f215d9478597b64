using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.Dossiers;

namespace Portal.Web.Pages.Dossiers;

// Answering a supplement request (status 5): every requested item with its reason, replacement files per document,
// then "Nộp bổ sung" — the dossier goes back to the agency and its clock runs again.
[Authorize(Policy = CitizenAuth.ApplicantPolicy)]
public sealed class SupplementModel(Portal.Core.Dossiers.Dossiers dossiers) : PageModel
{
    public Dossier Dossier { get; private set; } = null!;
    public SupplementRequest Open { get; private set; } = null!;
    public List<FieldError> Errors { get; } = [];
    public IReadOnlyList<string> Uploaded { get; private set; } = [];
    public int? ErrorLine { get; private set; }
    [BindProperty] public string? Note { get; set; }

    /// <summary>The documents a replacement can be uploaded to: those the items name, else the first one.</summary>
    public IEnumerable<DocumentSlot> Slots =>
        Open.Items.Any(i => i.LineNo is not null)
            ? Dossier.Documents.Where(d => Open.Items.Any(i => i.LineNo == d.LineNo))
            : Dossier.Documents.Take(1);

    async Task<IActionResult?> LoadAsync(string code, CancellationToken ct)
    {
        if (!DossierCode.LooksValid(code)) return NotFound();
        if (await dossiers.LoadAsync(CitizenAuth.ApplicantId(User)!.Value, null, code, ct) is not { } dossier) return NotFound();
        Dossier = dossier;
        if (dossier.Status != DossierStatus.AwaitingSupplement) return Redirect($"/ho-so/{code}");
        Open = (await dossiers.RequestsAsync(dossier.Id, ct)).Last(r => r.AnsweredAt is null);
        return null;
    }

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        if (await LoadAsync(code, ct) is { } other) return other;
        if (TempData["upload-errors"] is string errors)
        {
            ErrorLine = TempData["upload-line"] as int?;
            Errors.AddRange(errors.Split('\n').Select(m => new FieldError($"files-{ErrorLine}", m)));
        }
        if (TempData["upload-done"] is string done) Uploaded = done.Split('\n');
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken ct)
    {
        if (await LoadAsync(code, ct) is { } other) return other;
        if (await dossiers.ResubmitAsync(CitizenAuth.ApplicantId(User)!.Value, Dossier.Id, Note, ct) is { } refused)
        {
            Errors.Add(new("Note", refused.Message));
            return Page();
        }
        TempData["dossier-banner"] = "Đã nộp bổ sung. Hồ sơ được chuyển lại cho cơ quan giải quyết.";
        return Redirect($"/ho-so/{code}");
    }
}
