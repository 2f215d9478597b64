using Microsoft.AspNetCore.Mvc;
using Portal.Core.Dossiers;

namespace Portal.Web.Pages.Submission;

// How the result comes back: online, at the counter, or by public post to an address (R-B2, §7).
public sealed class DeliveryModel(Portal.Core.Dossiers.Dossiers dossiers) : DraftPage(dossiers)
{
    [BindProperty] public string? Method { get; set; }
    [BindProperty] public string? Recipient { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? Street { get; set; }
    [BindProperty] public string? Commune { get; set; }
    [BindProperty] public string? Province { get; set; }

    protected override string FirstField => "Method";

    public async Task<IActionResult> OnGetAsync(string code, Guid id, CancellationToken ct)
    {
        if (await LoadDraftAsync(code, id, ct) is { } other) return other;
        if (Dossier.Answers.Delivery is { } d)
            (Method, Recipient, Phone, Street, Commune, Province) = (d.Method, d.Recipient, d.Phone, d.Street, d.Commune, d.Province);
        else if (Dossier.Answers.Applicant is { } a)
            (Recipient, Phone) = (a.FullName, a.Phone);   // the usual recipient; changeable
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string code, Guid id, CancellationToken ct)
    {
        if (await LoadDraftAsync(code, id, ct) is { } other) return other;
        var delivery = new DeliveryAnswers
        {
            Method = Method ?? "", Recipient = Recipient ?? "", Phone = Phone ?? "", Street = Street ?? "", Commune = Commune ?? "", Province = Province ?? "",
        }.Normalised();
        Errors.AddRange(delivery.Validate());
        if (Errors.Count > 0) return Page();
        return await SaveAsync(Dossier.Answers with { Delivery = delivery }, "nhan-ket-qua", ct);
    }
}
