using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.BackOffice;

namespace Portal.Web.Pages.Staff;

// /can-bo/ho-so/{code}/phieu-kiem-soat: the control slip (Phiếu kiểm soát quá trình giải quyết hồ sơ, Mẫu 02 of
// Nghị định 61/2018, §4.7) as a printable page: one row per hand-over, then where and when the result was returned.
public sealed class ControlSlipModel(BackOffice office) : PageModel
{
    public OfficeDossier D { get; private set; } = null!;
    public IReadOnlyList<OfficeHistoryEntry> HandOvers { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        if (code.Length > 64 || await office.ViewAsync(StaffAuth.User(User), code, "control-slip", ct) is not { } d) return NotFound();
        D = d;
        HandOvers = [.. d.History.Where(h => h.IsHandOver)];
        return Page();
    }
}
