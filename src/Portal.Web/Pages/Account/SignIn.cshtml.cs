using Microsoft.AspNetCore.Mvc;
using Portal.Core.Identity;

namespace Portal.Web.Pages.Account;

// /tai-khoan/dang-nhap: sign-in with an e-mail or a phone number and the password (POSTs are rate-limited per address;
// five wrong passwords lock the account for 15 minutes). In production citizens sign in through VNeID instead.
public sealed class SignInModel(Applicants applicants, TimeProvider clock) : FormPageModel
{
    [BindProperty] public string? Login { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true, Name = CitizenAuth.ReturnUrlParameter)] public string? ReturnUrl { get; set; }

    /// <summary>What the previous step reports: signed out, signed out everywhere, password reset.</summary>
    public string? Notice => Request.Query.ContainsKey("da-dang-xuat") ? "Bạn đã đăng xuất."
        : Request.Query.ContainsKey("moi-thiet-bi") ? "Bạn đã đăng xuất trên mọi thiết bị. Hãy đăng nhập lại nếu cần."
        : Request.Query.ContainsKey("da-dat-lai") ? "Đã đặt mật khẩu mới. Hãy đăng nhập bằng mật khẩu mới."
        : null;

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Login)) Errors.Add(("login", "Nhập email hoặc số điện thoại bạn đã dùng để đăng ký."));
        else if (Logins.Parse(Login) is null) Errors.Add(("login", "Nhập email hoặc số điện thoại đúng dạng, ví dụ ten@example.com hoặc 0912 345 678."));
        if (string.IsNullOrEmpty(Password)) Errors.Add(("password", "Nhập mật khẩu."));
        if (Errors.Count > 0) return Page();

        switch (await applicants.SignInAsync(Login!, Password!, ct))
        {
            case ApplicantSignIn.Success(var applicant):
                await CitizenAuth.SignInAsync(HttpContext, applicant);
                return LocalRedirect(CitizenAuth.SafeReturnUrl(ReturnUrl));
            case ApplicantSignIn.LockedOut(var until):
                var minutes = Math.Max(1, (int)Math.Ceiling((until - clock.GetUtcNow()).TotalMinutes));
                Errors.Add(("login", $"Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. Hãy thử lại sau {minutes} phút, hoặc đặt lại mật khẩu."));
                break;
            default:
                Errors.Add(("password", "Email, số điện thoại hoặc mật khẩu không đúng."));
                break;
        }
        Password = null;
        return Page();
    }
}
