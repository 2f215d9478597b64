using Microsoft.AspNetCore.Mvc;
using Portal.Core.Dossiers;

namespace Portal.Web.Pages.Submission;

// The confirmation (UX.md §2.7): the code, the expected date and why, what happens next, the PDF. Reloading it, or
// coming back to any step of a sent dossier, lands here and sends nothing.
public sealed class SentModel(Portal.Core.Dossiers.Dossiers dossiers) : DraftPage(dossiers)
{
    public DueInfo? Due { get; private set; }
    protected override string FirstField => "";

    public async Task<IActionResult> OnGetAsync(string code, Guid id, CancellationToken ct)
    {
        if (await LoadDraftAsync(code, id, ct, sentIsFine: true) is { } other) return other;
        if (Dossier.IsDraft) return Redirect(Href(""));
        Due = await Dossiers.DueAsync(Dossier, ct);
        return Page();
    }
}
