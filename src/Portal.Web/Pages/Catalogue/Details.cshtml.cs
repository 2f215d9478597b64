using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using Portal.Core.Catalogue;
using Portal.Core.Deadlines;

namespace Portal.Web.Pages.Catalogue;

public sealed class DetailsModel(NpgsqlDataSource db, CatalogueCache cache, TimeProvider clock) : PageModel
{
    public ProcedureDetail Procedure { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        if (code.Length > 64) return NotFound();
        var procedure = await ProcedureDetails.LoadCachedAsync(cache, db, code, LegalTime.Today(clock), ct);
        if (procedure is null) return NotFound();
        Procedure = procedure;
        return Page();
    }
}
