using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.BackOffice;
using Portal.Core.Dossiers.Forms;

namespace Portal.Web.Pages.Staff;

// /can-bo/ho-so/{code}/phieu-kiem-soat: the control slip (Phiếu kiểm soát quá trình giải quyết hồ sơ, Mẫu 02 of
// Nghị định 61/2018, §4.7) as a printable page: one row per hand-over, then where and when the result was returned.
public sealed class ControlSlipModel(BackOffice office, FormSite site, IConfiguration config) : PageModel
{
    /// <summary>?dinh-dang=pdf: the same slip as an A5 PDF (Mẫu 06), drawn now from the history, for printing or filing.</summary>
    [BindProperty(SupportsGet = true, Name = "dinh-dang")] public string? Format { get; set; }

    public OfficeDossier D { get; private set; } = null!;
    public IReadOnlyList<OfficeHistoryEntry> HandOvers { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        if (code.Length > 64 || await office.ViewAsync(StaffAuth.User(User), code, "page", ct) is not { } d) return NotFound();
        D = d;
        HandOvers = [.. d.History.Where(h => h.IsHandOver)];
        if (Format != "pdf") return Page();
        var a = d.Answers.Applicant;
        var pdf = OfficeForms.Build(new ControlSlip
        {
            Header = new FormHeader
            {
                UnitName = d.ReceivingName, ProvinceName = site.ProvinceName, DossierCode = d.Code,
                LookupUrl = $"{Site.PublicBase(Request, config)}/tra-cuu?ma={Uri.EscapeDataString(d.Code)}",
                IssuedAt = DateTimeOffset.UtcNow, Hotline = site.Hotline, DemoMarker = site.DemoMarker,
            },
            Procedure = new FormProcedure(d.ProcedureCode, d.Item.ProcedureName),
            Applicant = new FormApplicant { Name = a?.FullName ?? d.Item.ApplicantName ?? "", Address = a?.Address, Phone = a?.Phone, IdNumber = a?.Identifier },
            ReceivedAt = d.Item.ReceivedAt ?? d.Item.SubmittedAt ?? DateTimeOffset.UtcNow,
            DueAt = d.Item.DueAt ?? d.Item.ReceivedAt ?? DateTimeOffset.UtcNow,
            Rows = [.. HandOvers.Select(h => new ControlSlipRow
            {
                FromUnit = h.AgencyName ?? h.AgencyCode ?? "", ToUnit = h.ToAgencyName ?? h.Receiver ?? "", At = h.At, Deliverer = h.Who,
                Receiver = h.Receiver, Outcome = h.OutcomeName, Note = h.Note,
            })],
            ReturnedAt = d.Item.ReturnedAt, ReturnedTo = d.Item.ReturnedTo,
        });
        Response.Headers.CacheControl = "private, no-store";
        return File(pdf, "application/pdf", $"phieu-kiem-soat-{d.Code}.pdf");
    }
}
