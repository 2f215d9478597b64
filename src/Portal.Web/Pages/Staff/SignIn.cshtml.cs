using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.Identity;

namespace Portal.Web.Pages.Staff;

// POSTs are rate-limited per address (StaffAuth's limiter).
public sealed class SignInModel(StaffAccounts accounts, TimeProvider clock) : PageModel
{
    [BindProperty] public string Login { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true, Name = "quay-lai")] public string? ReturnUrl { get; set; }

    public List<(string Field, string Message)> Errors { get; } = [];

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Login)) Errors.Add(("login", "Nhập tên đăng nhập."));
        if (string.IsNullOrEmpty(Password)) Errors.Add(("password", "Nhập mật khẩu."));
        if (Errors.Count > 0) return Page();

        var now = clock.GetUtcNow();
        switch (await accounts.SignInAsync(Login, Password, now, ct))
        {
            case StaffSignIn.Success(var account):
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, StaffAuth.Principal(account));
                return LocalRedirect(ReturnUrl is { } url && Url.IsLocalUrl(url) ? url : "/quan-tri/lich-lam-viec");
            case StaffSignIn.LockedOut(var until):
                var minutes = Math.Max(1, (int)Math.Ceiling((until - now).TotalMinutes));
                Errors.Add(("login", $"Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. Hãy thử lại sau {minutes} phút, hoặc liên hệ quản trị hệ thống."));
                break;
            default:
                Errors.Add(("password", "Tên đăng nhập hoặc mật khẩu không đúng."));
                break;
        }
        Password = "";
        return Page();
    }
}
