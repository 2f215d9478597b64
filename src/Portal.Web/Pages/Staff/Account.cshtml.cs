using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portal.Core.Identity;
using Portal.Web.Pages.Account;

namespace Portal.Web.Pages.Staff;

// /can-bo/tai-khoan: the signed-in staff member's API tokens for the staff API (/api/v1/staff). A new token is shown
// once, in the response to the POST that made it (no redirect, not cached); only its hash is kept.
[Authorize]
public sealed class AccountModel(StaffTokens tokens) : FormPageModel
{
    [BindProperty(SupportsGet = true, Name = "da-luu")] public string? Saved { get; set; }
    [BindProperty] public string? TokenName { get; set; }
    [BindProperty] public Guid? TokenId { get; set; }

    public Portal.Core.BackOffice.StaffUser Me { get; private set; } = null!;
    public IReadOnlyList<ApiToken> Tokens { get; private set; } = [];
    public CreatedApiToken? NewToken { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateTokenAsync(CancellationToken ct)
    {
        if (Applicants.TokenNameProblem(TokenName) is { } problem)
            Errors.Add(("tokenName", problem));
        else
        {
            NewToken = await tokens.CreateAsync(StaffAuth.User(User).Id, TokenName!, ct);
            TokenName = null;
            Response.Headers.CacheControl = "no-store";
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeTokenAsync(CancellationToken ct)
    {
        if (TokenId is { } tokenId && await tokens.RevokeAsync(StaffAuth.User(User).Id, tokenId, ct))
            return Redirect("/can-bo/tai-khoan?da-luu=thu-hoi#ma-truy-cap");
        Errors.Add(("ma-truy-cap", "Mã truy cập này không còn hiệu lực (có thể đã được thu hồi). Hãy tải lại trang."));
        await LoadAsync(ct);
        return Page();
    }

    async Task LoadAsync(CancellationToken ct)
    {
        Me = StaffAuth.User(User);
        Tokens = await tokens.ListAsync(Me.Id, ct);
    }
}
