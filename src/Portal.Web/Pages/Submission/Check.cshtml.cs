using Microsoft.AspNetCore.Mvc;
using Portal.Core.Dossiers;

namespace Portal.Web.Pages.Submission;

// Check your answers, declare, send (UX.md §2.6). Sending is idempotent per draft: a second click, a second tab or
// Back-and-resend all end on the confirmation of the one dossier.
public sealed class CheckModel(Portal.Core.Dossiers.Dossiers dossiers, IConfiguration config) : DraftPage(dossiers)
{
    [BindProperty] public bool Declared { get; set; }
    protected override string FirstField => "Declared";

    public async Task<IActionResult> OnGetAsync(string code, Guid id, CancellationToken ct)
    {
        if (await LoadDraftAsync(code, id, ct) is { } other) return other;
        Declared = Dossier.Answers.Declared;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string code, Guid id, CancellationToken ct)
    {
        if (await LoadDraftAsync(code, id, ct) is { } other) return other;
        if (!Declared)
        {
            Errors.AddRange(Portal.Core.Dossiers.Dossiers.Completeness(Dossier with { Answers = Dossier.Answers with { Declared = true } }));
            Errors.Add(new("Declared", "Đánh dấu vào ô cam đoan trước khi gửi hồ sơ"));
            return Page();
        }
        // The declaration belongs to the draft too (a resumed draft shows it ticked); the row version is the one just
        // read, because ticking the box cannot conflict with anything another tab did.
        if (!Dossier.Answers.Declared)
            await Dossiers.SaveAnswersAsync(ApplicantId, id, Dossier.RowVersion, Dossier.Answers with { Declared = true }, "kiem-tra", ct);
        var outcome = await Dossiers.SubmitAsync(ApplicantId, id, null, Site.PublicBase(Request, config), ct);
        switch (outcome)
        {
            case SubmitOutcome.Submitted:
                return Redirect(Href("da-gui"));
            case SubmitOutcome.Incomplete incomplete:
                Errors.AddRange(incomplete.Problems);
                await LoadDraftAsync(code, id, ct);
                return Page();
            default:
                return NotFound();
        }
    }

    /// <summary>Where the problem is fixed: its step, or the declaration on this page.</summary>
    public string Link(FieldError e) => e.Field switch
    {
        "Declared" => "#Declared",
        "thu-tuc" => Href(""),   // the procedure changed: back to the task list to look at every part again
        _ => Href(e.Field.StartsWith("giay-to-") ? $"giay-to/{e.Field[8..]}" : e.Field) + "?quay-lai=kiem-tra",
    };
}
