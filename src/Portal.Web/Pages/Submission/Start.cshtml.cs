using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using Portal.Core.Catalogue;
using Portal.Core.Deadlines;
using Portal.Core.Dossiers;

namespace Portal.Web.Pages.Submission;

// The start page of an online submission (UX.md §2.1): what you need, how long it takes, what it costs, and the
// applicant's saved drafts of this procedure. Anybody may read it; starting needs an account.
public sealed class StartModel(NpgsqlDataSource db, CatalogueCache cache, TimeProvider clock, Portal.Core.Dossiers.Dossiers dossiers) : PageModel
{
    public ProcedureDetail Procedure { get; private set; } = null!;
    public IReadOnlyList<DossierListItem> Drafts { get; private set; } = [];
    public bool SignedIn { get; private set; }
    public TimeSpan DraftLifetime => dossiers.Rules.DraftLifetime;

    async Task<Guid?> ApplicantAsync()
    {
        var result = await HttpContext.AuthenticateAsync(CitizenAuth.Scheme);
        return result.Succeeded ? CitizenAuth.ApplicantId(result.Principal!) : null;
    }

    async Task<bool> LoadAsync(string code, CancellationToken ct)
    {
        if (code.Length > 64) return false;
        var procedure = await ProcedureDetails.LoadCachedAsync(cache, db, code, LegalTime.Today(clock), ct);
        if (procedure is not { OfferedOnline: true }) return false;
        Procedure = procedure;
        return true;
    }

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        if (!await LoadAsync(code, ct)) return NotFound();
        if (await ApplicantAsync() is { } applicant)
        {
            SignedIn = true;
            Drafts = await dossiers.DraftsForAsync(applicant, code, ct);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken ct)
    {
        if (!await LoadAsync(code, ct)) return NotFound();
        if (await ApplicantAsync() is not { } applicant)
            return Redirect($"{CitizenAuth.SignInPath}?quay-lai={Uri.EscapeDataString($"/nop-ho-so/{code}")}");
        var id = await dossiers.StartAsync(applicant, code, await dossiers.ProfileAnswersAsync(applicant, ct), ct);
        if (id is null) return NotFound();
        return Redirect($"/nop-ho-so/{code}/{id}");
    }
}
