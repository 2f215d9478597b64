using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Portal.Core.Identity;

namespace Portal.Web;

// Staff sign-in: a cookie session (HttpOnly, SameSite=Lax, Secure unless switched off for the plain-HTTP loopback demo), roles as claims, and the account's security stamp
// checked on every request so that a password reset or a removed account ends every open session.
public static class StaffAuth
{
    public const string AdministratorPolicy = "administrator";
    public const string SignInPath = "/can-bo/dang-nhap";
    const string StampClaim = "portal:stamp";

    public static IServiceCollection AddStaffAuth(this IServiceCollection services)
    {
        services.AddSingleton<StaffAccounts>();
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
        });
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IConfiguration>((o, config) => o.Cookie.SecurePolicy = SecurePolicy(config));
        services.AddAuthorizationBuilder()
            .AddPolicy(AdministratorPolicy, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Administrator));
        return services;
    }

    /// <summary>
    /// Session cookies are Secure unless Portal:SecureCookies is false (only for plain-HTTP loopback: the demo and
    /// the tests). Always, not "same as request": behind a TLS-terminating proxy the app itself sees HTTP.
    /// </summary>
    public static CookieSecurePolicy SecurePolicy(IConfiguration config) =>
        config.GetValue("Portal:SecureCookies", true) ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

    public static ClaimsPrincipal Principal(StaffAccount account)
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
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>The signed-in staff member as the back office sees them (roles and home unit from the claims).</summary>
    public static Portal.Core.BackOffice.StaffUser User(ClaimsPrincipal user) => new(
        Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!),
        user.FindFirstValue(ClaimTypes.Name)!,
        user.FindFirstValue(ClaimTypes.GivenName) ?? "",
        [.. user.FindAll(ClaimTypes.Role).Select(c => c.Value)],
        user.FindFirstValue("portal:agency"));

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
