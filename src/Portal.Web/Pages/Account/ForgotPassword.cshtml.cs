using Microsoft.AspNetCore.Mvc;
using Portal.Core.Identity;

namespace Portal.Web.Pages.Account;

// /tai-khoan/quen-mat-khau: asks for a reset link. The answer is the same whether or not the login has an account, so
// the form cannot be used to find out who is registered (POSTs are rate-limited per address like sign-in).
public sealed class ForgotPasswordModel(Applicants applicants, IConfiguration config) : FormPageModel
{
    [BindProperty] public string? Login { get; set; }
    [BindProperty(SupportsGet = true, Name = "da-gui")] public string? Sent { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Login)) Errors.Add(("login", "Nhập email hoặc số điện thoại bạn đã dùng để đăng ký."));
        else if (Logins.Parse(Login) is null) Errors.Add(("login", "Nhập email hoặc số điện thoại đúng dạng, ví dụ ten@example.com hoặc 0912 345 678."));
        if (Errors.Count > 0) return Page();
        await applicants.RequestResetAsync(Login!, Site.PublicBase(Request, config), ct);
        return Redirect("/tai-khoan/quen-mat-khau?da-gui=1");
    }
}
