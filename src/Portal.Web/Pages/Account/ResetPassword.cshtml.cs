using Microsoft.AspNetCore.Mvc;
using Portal.Core.Identity;

namespace Portal.Web.Pages.Account;

// /tai-khoan/dat-lai-mat-khau?ma=…: the link from the reset e-mail. The code is a secret: the page is not cached and
// sends no referrer, so the code does not leak into caches or other sites' logs.
public sealed class ResetPasswordModel(Applicants applicants) : FormPageModel
{
    [BindProperty(SupportsGet = true, Name = "ma")] public string? Code { get; set; }
    [BindProperty] public string? Password { get; set; }

    public bool LinkWorks { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Private();
        LinkWorks = await applicants.ResetTokenValidAsync(Code, ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Private();
        var problems = await applicants.ResetAsync(Code, Password ?? "", ct);
        if (problems.Count == 0) return Redirect(CitizenAuth.SignInPath + "?da-dat-lai=1");
        LinkWorks = !problems.Any(p => p.Message == Applicants.ResetLinkExpired);
        Errors.AddRange(problems);
        Password = null;
        return Page();
    }

    void Private()
    {
        Response.Headers.CacheControl = "no-store";
        Response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
