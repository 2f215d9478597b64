using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.Dossiers;

namespace Portal.Web.Pages.Submission;

/// <summary>
/// What every step of the submission journey shares: the draft of the signed-in applicant (anybody else's is a 404),
/// the step order, the "Thay đổi" return to check answers, and saving with the row version the page was rendered
/// from — a save from a stale tab keeps what the person typed and asks them to look again.
/// </summary>
[Authorize(Policy = CitizenAuth.ApplicantPolicy)]
public abstract class DraftPage(Portal.Core.Dossiers.Dossiers dossiers) : PageModel
{
    protected Portal.Core.Dossiers.Dossiers Dossiers => dossiers;
    public Dossier Dossier { get; private set; } = null!;
    public List<FieldError> Errors { get; } = [];

    [BindProperty(SupportsGet = true, Name = "quay-lai")]
    public string? ReturnTo { get; set; }

    [BindProperty]
    public int RowVersion { get; set; }

    protected Guid ApplicantId => CitizenAuth.ApplicantId(User) ?? throw new InvalidOperationException("Not signed in.");

    public string Href(string step) => StepUrl(Dossier, step);
    public static string StepUrl(Dossier dossier, string step) => $"/nop-ho-so/{dossier.ProcedureCode}/{dossier.Id}{(step == "" ? "" : "/" + step)}";

    /// <summary>Loads the draft; the result to return instead when it is not there or already sent.</summary>
    protected async Task<IActionResult?> LoadDraftAsync(string code, Guid id, CancellationToken ct, bool sentIsFine = false)
    {
        var dossier = await dossiers.LoadAsync(ApplicantId, id, null, ct);
        if (dossier is null || dossier.ProcedureCode != code) return NotFound();
        Dossier = dossier;
        // Back after sending lands on the "already sent" page, never on a form that could send again (UX.md §2.2).
        if (!dossier.IsDraft && !sentIsFine) return Redirect(Href("da-gui"));
        if (HttpMethods.IsGet(Request.Method)) RowVersion = dossier.RowVersion;
        return null;
    }

    /// <summary>The step after this one, in the order of the task list, or check answers when coming from there.</summary>
    protected string Next(string step)
    {
        if (ReturnTo == "kiem-tra") return "kiem-tra";
        var order = new List<string> { "nguoi-nop", "chu-ho-so" };
        order.AddRange(Dossier.Documents.Select(d => $"giay-to/{d.LineNo}"));
        order.Add("nhan-ket-qua");
        order.Add("kiem-tra");
        var at = order.IndexOf(step);
        return at < 0 || at == order.Count - 1 ? "kiem-tra" : order[at + 1];
    }

    public string? Previous(string step)
    {
        if (ReturnTo == "kiem-tra") return Href("kiem-tra");
        var order = new List<string> { "", "nguoi-nop", "chu-ho-so" };
        order.AddRange(Dossier.Documents.Select(d => $"giay-to/{d.LineNo}"));
        order.Add("nhan-ket-qua");
        order.Add("kiem-tra");
        var at = order.IndexOf(step);
        return Href(at <= 0 ? "" : order[at - 1]);
    }

    /// <summary>Saves and moves on; on a stale row version re-renders with the person's input and a message.</summary>
    protected async Task<IActionResult> SaveAsync(DossierAnswers answers, string step, CancellationToken ct)
    {
        var next = Next(step);
        var saved = await dossiers.SaveAnswersAsync(ApplicantId, Dossier.Id, RowVersion, answers, next, ct);
        if (saved is not null) return Redirect(Href(next));
        var current = await dossiers.LoadAsync(ApplicantId, Dossier.Id, null, ct);
        if (current is not { IsDraft: true }) return Redirect(Href("da-gui"));
        RowVersion = current.RowVersion;
        Errors.Add(new FieldError(FirstField,
            $"Hồ sơ vừa được thay đổi ở một cửa sổ khác lúc {Portal.Core.Deadlines.LegalTime.Local(current.UpdatedAt):HH:mm}. Thông tin bạn vừa nhập vẫn còn bên dưới; hãy kiểm tra rồi bấm Tiếp tục để lưu."));
        return Page();
    }

    /// <summary>The id of the page's first field, where the error summary's stale-save link points.</summary>
    protected abstract string FirstField { get; }

    public void MarkErrors() => ViewData["HasErrors"] = Errors.Count > 0;
}
