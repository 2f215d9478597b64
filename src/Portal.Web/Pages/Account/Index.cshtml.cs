using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portal.Core.Identity;

namespace Portal.Web.Pages.Account;

// /tai-khoan: the signed-in applicant's details (edit form), password, "sign out everywhere" and personal API tokens.
// A new token is shown once, in the response to the POST that made it (no redirect, not cached); only its hash is kept.
[Authorize(Policy = CitizenAuth.ApplicantPolicy)]
public sealed class IndexModel(Applicants applicants) : FormPageModel
{
    [BindProperty(SupportsGet = true, Name = "da-luu")] public string? Saved { get; set; }
    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public string? BirthDate { get; set; }
    [BindProperty] public string? IdNumber { get; set; }
    [BindProperty] public string? TaxCode { get; set; }
    [BindProperty] public string? Representative { get; set; }
    [BindProperty] public string? Address { get; set; }
    [BindProperty] public string? CurrentPassword { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty] public string? TokenName { get; set; }
    [BindProperty] public Guid? TokenId { get; set; }

    public Applicant Account { get; private set; } = null!;
    public IReadOnlyList<ApiToken> Tokens { get; private set; } = [];
    public CreatedApiToken? NewToken { get; private set; }

    Guid Id => CitizenAuth.ApplicantId(User) ?? throw new InvalidOperationException("The applicant policy admits only applicants");

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return await GoneAsync();
        var d = Account.Details;
        (FullName, BirthDate, IdNumber, TaxCode, Representative, Address) = (d.FullName, d.BirthDate, d.IdNumber, d.TaxCode, d.Representative, d.Address);
        return Page();
    }

    public async Task<IActionResult> OnPostDetailsAsync(CancellationToken ct)
    {
        var problems = await applicants.UpdateDetailsAsync(Id, new ApplicantDetails
        {
            FullName = FullName ?? "", BirthDate = BirthDate ?? "", IdNumber = IdNumber ?? "", TaxCode = TaxCode ?? "",
            Representative = Representative ?? "", Address = Address ?? "",
        }, ct);
        if (problems.Count == 0)
        {
            // The display name in the session cookie follows the new details.
            if (await applicants.FindAsync(Id, ct) is { } updated) await CitizenAuth.SignInAsync(HttpContext, updated);
            return Redirect("/tai-khoan?da-luu=thong-tin");
        }
        Errors.AddRange(problems);
        return await RedisplayAsync(ct);
    }

    public async Task<IActionResult> OnPostPasswordAsync(CancellationToken ct)
    {
        var problems = await applicants.ChangePasswordAsync(Id, CurrentPassword ?? "", NewPassword ?? "", ct);
        CurrentPassword = NewPassword = null;
        if (problems.Count == 0)
        {
            // The stamp changed, which ends every session; this browser gets a new cookie and stays signed in.
            if (await applicants.FindAsync(Id, ct) is { } updated) await CitizenAuth.SignInAsync(HttpContext, updated);
            return Redirect("/tai-khoan?da-luu=mat-khau");
        }
        Errors.AddRange(problems);
        return await RedisplayAsync(ct, keepDetails: false);
    }

    public async Task<IActionResult> OnPostSignOutEverywhereAsync(CancellationToken ct)
    {
        await applicants.SignOutEverywhereAsync(Id, ct);
        await HttpContext.SignOutAsync(CitizenAuth.Scheme);
        return Redirect(CitizenAuth.SignInPath + "?moi-thiet-bi=1");
    }

    public async Task<IActionResult> OnPostCreateTokenAsync(CancellationToken ct)
    {
        if (Applicants.TokenNameProblem(TokenName) is { } problem)
        {
            Errors.Add(("tokenName", problem));
            return await RedisplayAsync(ct, keepDetails: false);
        }
        NewToken = await applicants.CreateTokenAsync(Id, TokenName!, ct);
        TokenName = null;
        Response.Headers.CacheControl = "no-store";
        return await RedisplayAsync(ct, keepDetails: false);
    }

    public async Task<IActionResult> OnPostRevokeTokenAsync(CancellationToken ct)
    {
        if (TokenId is { } tokenId && await applicants.RevokeTokenAsync(Id, tokenId, ct))
            return Redirect("/tai-khoan?da-luu=thu-hoi#ma-truy-cap");
        Errors.Add(("ma-truy-cap", "Mã truy cập này không còn hiệu lực (có thể đã được thu hồi). Hãy tải lại trang."));
        return await RedisplayAsync(ct, keepDetails: false);
    }

    async Task<IActionResult> RedisplayAsync(CancellationToken ct, bool keepDetails = true)
    {
        if (!await LoadAsync(ct)) return await GoneAsync();
        if (!keepDetails)
        {
            var d = Account.Details;
            (FullName, BirthDate, IdNumber, TaxCode, Representative, Address) = (d.FullName, d.BirthDate, d.IdNumber, d.TaxCode, d.Representative, d.Address);
        }
        return Page();
    }

    async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (await applicants.FindAsync(Id, ct) is not { } account) return false;
        Account = account;
        Tokens = await applicants.TokensAsync(Id, ct);
        return true;
    }

    // The account was removed while signed in (a token or a cookie issued before).
    async Task<IActionResult> GoneAsync()
    {
        await HttpContext.SignOutAsync(CitizenAuth.Scheme);
        return Redirect(CitizenAuth.SignInPath);
    }
}
