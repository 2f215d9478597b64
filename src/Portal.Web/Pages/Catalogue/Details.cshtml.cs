using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using Portal.Core.Catalogue;
using Portal.Core.Deadlines;

namespace Portal.Web.Pages.Catalogue;

public sealed class DetailsModel(NpgsqlDataSource db, CatalogueCache cache, CalendarStore calendars, TimeProvider clock) : PageModel
{
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
        return Page();
    }
}
