using Microsoft.AspNetCore.Mvc;
using Portal.Core.Dossiers;

namespace Portal.Web.Pages.Submission;

// Whose dossier it is, when somebody files on another person's behalf (chủ hồ sơ).
public sealed class OwnerModel(Portal.Core.Dossiers.Dossiers dossiers) : DraftPage(dossiers)
{
    [BindProperty] public string? Same { get; set; }
    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public string? IdNumber { get; set; }
    [BindProperty] public string? Address { get; set; }

    protected override string FirstField => "Same";

    public async Task<IActionResult> OnGetAsync(string code, Guid id, CancellationToken ct)
    {
        if (await LoadDraftAsync(code, id, ct) is { } other) return other;
        if (Dossier.Answers.Owner is { } o)
            (Same, FullName, IdNumber, Address) = (o.SameAsApplicant ? "yes" : "no", o.FullName, o.IdNumber, o.Address);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string code, Guid id, CancellationToken ct)
    {
        if (await LoadDraftAsync(code, id, ct) is { } other) return other;
        if (Same is not ("yes" or "no"))
        {
            Errors.Add(new("Same", "Chọn chủ hồ sơ là bạn hay người khác"));
            return Page();
        }
        var owner = new OwnerAnswers { SameAsApplicant = Same == "yes", FullName = FullName ?? "", IdNumber = IdNumber ?? "", Address = Address ?? "" }.Normalised();
        Errors.AddRange(owner.Validate());
        if (Errors.Count > 0) return Page();
        return await SaveAsync(Dossier.Answers with { Owner = owner }, "chu-ho-so", ct);
    }
}
