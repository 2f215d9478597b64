using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.Dossiers;

namespace Portal.Web.Pages.Dossiers;

// Asking to withdraw a dossier (status 7): a confirmation page with the reason; an officer decides (DOMAIN.md §3.4).
[Authorize(Policy = CitizenAuth.ApplicantPolicy)]
public sealed class WithdrawModel(Portal.Core.Dossiers.Dossiers dossiers) : PageModel
{
    public Dossier Dossier { get; private set; } = null!;
    public List<FieldError> Errors { get; } = [];
    [BindProperty] public string? Reason { get; set; }

    async Task<IActionResult?> LoadAsync(string code, CancellationToken ct)
    {
        if (!DossierCode.LooksValid(code)) return NotFound();
        if (await dossiers.LoadAsync(CitizenAuth.ApplicantId(User)!.Value, null, code, ct) is not { IsDraft: false } dossier) return NotFound();
        Dossier = dossier;
        return Portal.Core.Dossiers.Dossiers.CanWithdraw(dossier.Status) ? null : Redirect($"/ho-so/{code}");
    }

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct) => await LoadAsync(code, ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(string code, CancellationToken ct)
    {
        if (await LoadAsync(code, ct) is { } other) return other;
        if (await dossiers.WithdrawAsync(CitizenAuth.ApplicantId(User)!.Value, Dossier.Id, Reason ?? "", ct) is { } refused)
        {
            Errors.Add(new("Reason", refused.Message));
            return Page();
        }
        TempData["dossier-banner"] = "Đã gửi yêu cầu rút hồ sơ. Cán bộ sẽ xác nhận và thông báo cho bạn.";
        return Redirect($"/ho-so/{code}");
    }
}
