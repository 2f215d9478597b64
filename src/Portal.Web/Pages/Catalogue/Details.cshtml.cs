using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using Portal.Core.Catalogue;
using Portal.Core.Deadlines;

namespace Portal.Web.Pages.Catalogue;

public sealed class DetailsModel(NpgsqlDataSource db, CatalogueCache cache, CalendarStore calendars, TimeProvider clock,
    Portal.Core.Dossiers.Dossiers dossiers) : PageModel
{
    /// <summary>The signed-in applicant's saved drafts of this procedure ("Bạn có hồ sơ đang soạn", UX.md §2.1).</summary>
    public IReadOnlyList<Portal.Core.Dossiers.DossierListItem> Drafts { get; private set; } = [];

    public ProcedureDetail Procedure { get; private set; } = null!;

    /// <summary>"Nộp hôm nay, dự kiến trả kết quả": the online time if there is one, else the counter's.</summary>
    public (ProcessingTime Time, DeadlineExplanation Explanation)? Estimate { get; private set; }

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        if (code.Length > 64) return NotFound();
        var procedure = await ProcedureDetails.LoadCachedAsync(cache, db, code, LegalTime.Today(clock), ct);
        if (procedure is null) return NotFound();
        Procedure = procedure;
        var time = procedure.ProcessingTimes.FirstOrDefault(t => t.Channel == "online")
            ?? procedure.ProcessingTimes.FirstOrDefault(t => t.Channel == "direct")
            ?? procedure.ProcessingTimes.FirstOrDefault();
        if (time is not null)
        {
            var calendar = await calendars.CalendarAsync(procedure.AgencyCode, ct);
            Estimate = (time, calendar.Explain(calendar.Due(clock.GetUtcNow(), time.ToRule())));
        }
        // Only a visitor with a citizen cookie pays for the lookup; anonymous pages stay as cheap as before.
        if (procedure.OfferedOnline && Request.Cookies.ContainsKey("portal.citizen")
            && await HttpContext.AuthenticateAsync(CitizenAuth.Scheme) is { Succeeded: true } auth
            && CitizenAuth.ApplicantId(auth.Principal!) is { } applicant)
            Drafts = await dossiers.DraftsForAsync(applicant, procedure.Code, ct);
        return Page();
    }
}
