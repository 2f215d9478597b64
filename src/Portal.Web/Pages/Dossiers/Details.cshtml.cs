using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.Dossiers;

namespace Portal.Web.Pages.Dossiers;

// The owner's dossier page (UX.md §2.9, issue: tracking): status in words, who holds it, the due date with its
// explanation, the timeline, the documents sent, requests and results.
[Authorize(Policy = CitizenAuth.ApplicantPolicy)]
public sealed class DetailsModel(Portal.Core.Dossiers.Dossiers dossiers) : PageModel
{
    public Dossier Dossier { get; private set; } = null!;
    public DueInfo? Due { get; private set; }
    public IReadOnlyList<HistoryEntry> History { get; private set; } = [];
    public IReadOnlyList<SupplementRequest> Requests { get; private set; } = [];
    public IReadOnlyList<Portal.Core.Dossiers.Dossiers.IssuedDocument> Issued { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        if (!DossierCode.LooksValid(code)) return NotFound();
        if (await dossiers.PageAsync(CitizenAuth.ApplicantId(User)!.Value, code, ct) is not { Dossier.IsDraft: false } page) return NotFound();
        (Dossier, History, Requests) = page;
        Due = await dossiers.DueAsync(Dossier, ct);
        Issued = await dossiers.IssuedAsync(CitizenAuth.ApplicantId(User)!.Value, code, ct);
        return Page();
    }

    /// <summary>Who holds the dossier now, in words.</summary>
    public string Holder => Dossier.Status switch
    {
        DossierStatus.Submitted => $"Bộ phận một cửa — {Dossier.AgencyName} (chờ tiếp nhận)",
        DossierStatus.AwaitingSupplement or DossierStatus.AwaitingPayment => "Bạn (cơ quan đang chờ bạn)",
        DossierStatus.Refused or DossierStatus.Stopped or DossierStatus.Returned => "Hồ sơ đã kết thúc",
        _ => Dossier.AgencyName,
    };
}
