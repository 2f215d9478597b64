using Microsoft.AspNetCore.Mvc;
using Portal.Core.Dossiers;

namespace Portal.Web.Pages.Submission;

// Who is filing: prefilled from the account (UX.md §2.2, WCAG 3.3.7), changeable for this dossier.
public sealed class ApplicantModel(Portal.Core.Dossiers.Dossiers dossiers) : DraftPage(dossiers)
{
    [BindProperty] public string Kind { get; set; } = "individual";
    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public string? BirthDate { get; set; }
    [BindProperty] public string? IdNumber { get; set; }
    [BindProperty] public string? TaxCode { get; set; }
    [BindProperty] public string? Representative { get; set; }
    [BindProperty] public string? Address { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? Email { get; set; }

    protected override string FirstField => "Kind";

    public async Task<IActionResult> OnGetAsync(string code, Guid id, CancellationToken ct)
    {
        if (await LoadDraftAsync(code, id, ct) is { } other) return other;
        var a = Dossier.Answers.Applicant ?? new ApplicantAnswers();
        (Kind, FullName, BirthDate, IdNumber, TaxCode, Representative, Address, Phone, Email) =
            (a.Kind, a.FullName, a.BirthDate, a.IdNumber, a.TaxCode, a.Representative, a.Address, a.Phone, a.Email);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string code, Guid id, CancellationToken ct)
    {
        if (await LoadDraftAsync(code, id, ct) is { } other) return other;
        var answers = new ApplicantAnswers
        {
            Kind = Kind, FullName = FullName ?? "", BirthDate = BirthDate ?? "", IdNumber = IdNumber ?? "", TaxCode = TaxCode ?? "",
            Representative = Representative ?? "", Address = Address ?? "", Phone = Phone ?? "", Email = Email ?? "",
        }.Normalised();
        Errors.AddRange(answers.Validate());
        if (Errors.Count > 0) return Page();
        return await SaveAsync(Dossier.Answers with { Applicant = answers }, "nguoi-nop", ct);
    }
}
