using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.Dossiers;

namespace Portal.Web.Pages.Dossiers;

// "Hồ sơ của tôi" (UX.md §2.9): drafts first with how long they are kept, then sent dossiers with code, status, due.
[Authorize(Policy = CitizenAuth.ApplicantPolicy)]
public sealed class IndexModel(Portal.Core.Dossiers.Dossiers dossiers) : PageModel
{
    public IReadOnlyList<DossierListItem> Items { get; private set; } = [];
    public TimeSpan DraftLifetime => dossiers.Rules.DraftLifetime;

    public async Task OnGetAsync(CancellationToken ct) =>
        Items = await dossiers.ListAsync(CitizenAuth.ApplicantId(User)!.Value, 500, ct);
}
