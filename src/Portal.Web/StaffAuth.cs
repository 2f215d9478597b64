using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Portal.Core.Identity;

namespace Portal.Web;

// Staff sign-in: a cookie session (HttpOnly, SameSite=Lax, Secure unless switched off for the plain-HTTP loopback demo), roles as claims, and the account's security stamp
// checked on every request so that a password reset or a removed account ends every open session.
// The staff API (/api/v1/staff) also takes a staff API token (Authorization: Bearer st_…, scheme "staff-token"): reads
// with the cookie or the token (policy "staff-api"), writes with the token only (policy "staff-api-write") — a browser
// never adds an Authorization header by itself, so a cross-site page cannot act with a staff member's session.
public static class StaffAuth
{
    public const string AdministratorPolicy = "administrator";
    public const string TokenScheme = "staff-token";
    public const string ApiPolicy = "staff-api";
    public const string ApiWritePolicy = "staff-api-write";
    public const string SignInPath = "/can-bo/dang-nhap";
    const string StampClaim = "portal:stamp";

    public static IServiceCollection AddStaffAuth(this IServiceCollection services)
    {
        services.AddSingleton<StaffAccounts>();
        services.AddSingleton<StaffTokens>();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = "portal.staff";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = SignInPath;
            o.AccessDeniedPath = "/loi/403";
            o.ReturnUrlParameter = "quay-lai";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.Events.OnValidatePrincipal = ValidateStampAsync;
            // Under /api a missing session is the token scheme's 401 problem, not a redirect to the sign-in page.
            o.Events.OnRedirectToLogin = c => CitizenAuth.ApiOr(c, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = c => CitizenAuth.ApiOr(c, StatusCodes.Status403Forbidden);
        }).AddScheme<AuthenticationSchemeOptions, StaffTokenHandler>(TokenScheme, null);
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IConfiguration>((o, config) => o.Cookie.SecurePolicy = SecurePolicy(config));
        services.AddAuthorizationBuilder()
            .AddPolicy(AdministratorPolicy, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Administrator))
            .AddPolicy(ApiPolicy, p => p.AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme, TokenScheme).RequireAuthenticatedUser())
            .AddPolicy(ApiWritePolicy, p => p.AddAuthenticationSchemes(TokenScheme).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>
    /// Session cookies are Secure unless Portal:SecureCookies is false (only for plain-HTTP loopback: the demo and
    /// the tests). Always, not "same as request": behind a TLS-terminating proxy the app itself sees HTTP.
    /// </summary>
    public static CookieSecurePolicy SecurePolicy(IConfiguration config) =>
        config.GetValue("Portal:SecureCookies", true) ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

    public static ClaimsPrincipal Principal(StaffAccount account, string authenticationType = CookieAuthenticationDefaults.AuthenticationScheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, account.Id.ToString()),
            new(ClaimTypes.Name, account.Login),
            new(ClaimTypes.GivenName, account.DisplayName),
            new(StampClaim, account.SecurityStamp.ToString()),
        };
        if (account.AgencyCode is { } agency) claims.Add(new Claim("portal:agency", agency));
        claims.AddRange(account.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType));
    }

    /// <summary>
    /// The signed-in staff member as the back office sees them (roles and home unit from the claims). One identity
    /// only — the token's when a request carries both a token and a session — so that two accounts' roles never mix.
    /// </summary>
    public static Portal.Core.BackOffice.StaffUser User(ClaimsPrincipal user)
    {
        var identity = user.Identities.FirstOrDefault(i => i.IsAuthenticated && i.AuthenticationType == TokenScheme)
            ?? user.Identities.First(i => i.IsAuthenticated && i.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme);
        return new(
            Guid.Parse(identity.FindFirst(ClaimTypes.NameIdentifier)!.Value),
            identity.FindFirst(ClaimTypes.Name)!.Value,
            identity.FindFirst(ClaimTypes.GivenName)?.Value ?? "",
            [.. identity.FindAll(ClaimTypes.Role).Select(c => c.Value)],
            identity.FindFirst("portal:agency")?.Value);
    }

    /// <summary>Who did it, for audit rows: "login (display name)".</summary>
    public static string Actor(ClaimsPrincipal user) =>
        $"{user.FindFirstValue(ClaimTypes.Name)} ({user.FindFirstValue(ClaimTypes.GivenName)})";

    static async Task ValidateStampAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = context.Principal?.FindFirstValue(StampClaim);
        var accounts = context.HttpContext.RequestServices.GetRequiredService<StaffAccounts>();
        if (Guid.TryParse(id, out var accountId)
            && await accounts.SecurityStampAsync(accountId, context.HttpContext.RequestAborted) is { } current
            && current.ToString() == stamp)
            return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}

/// <summary>
/// Authorization: Bearer st_… → the token's staff account, as the cookie would sign it in. Other bearer tokens (an
/// applicant's pt_…) are not ours: no result, so they never open the staff API. An unknown or revoked st_ token fails.
/// </summary>
public sealed class StaffTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    StaffTokens tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = header["Bearer ".Length..].Trim();
        if (!token.StartsWith(StaffTokens.TokenPrefix, StringComparison.Ordinal)) return AuthenticateResult.NoResult();
        var account = await tokens.AuthenticateAsync(token, Context.RequestAborted);
        return account is null
            ? AuthenticateResult.Fail("Unknown or revoked staff API token")
            : AuthenticateResult.Success(new AuthenticationTicket(StaffAuth.Principal(account, Scheme.Name), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!CitizenAuth.IsApi(Request)) return;
        Response.Headers.WWWAuthenticate = "Bearer";
        var sent = Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Chưa xác thực",
                detail: sent
                    ? "Mã truy cập cán bộ không đúng hoặc đã bị thu hồi. Tạo mã mới tại trang Tài khoản cán bộ (/can-bo/tai-khoan)."
                    : "Gửi mã truy cập cán bộ trong tiêu đề Authorization: Bearer st_… (thao tác trên hồ sơ chỉ nhận mã truy cập). "
                      + "Tạo mã tại trang Tài khoản cán bộ (/can-bo/tai-khoan).")
            .ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (!CitizenAuth.IsApi(Request)) return;
        await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Không có quyền",
                detail: "Tài khoản của bạn không được thực hiện yêu cầu này.")
            .ExecuteAsync(Context);
    }
}
