using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Portal.Web.Pages.Account;

// Sign-out is a POST (with antiforgery) so that a link on another site cannot end a session. The page asks for the
// citizen policy so that the antiforgery token checks against the same user that the account page issued it to.
[Authorize(Policy = CitizenAuth.ApplicantPolicy)]
public sealed class SignOutModel : PageModel
{
    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(CitizenAuth.Scheme);
        return Redirect(CitizenAuth.SignInPath + "?da-dang-xuat=1");
    }
}
