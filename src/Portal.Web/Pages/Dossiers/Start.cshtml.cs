using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using Portal.Core.Catalogue;
using Portal.Core.Deadlines;

namespace Portal.Web.Pages.Dossiers;

// Target of the "Nộp hồ sơ trực tuyến" button. Online submission (accounts, drafts, uploads) is the citizen-accounts
// issue; until it lands this page says so and points to the other channels instead of a dead link.
public sealed class StartModel(NpgsqlDataSource db, CatalogueCache cache, TimeProvider clock) : PageModel
{
    public ProcedureDetail Procedure { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        if (code.Length > 64) return NotFound();
        var procedure = await ProcedureDetails.LoadCachedAsync(cache, db, code, LegalTime.Today(clock), ct);
        if (procedure is not { OfferedOnline: true }) return NotFound();
        Procedure = procedure;
        return Page();
    }
}
