using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Portal.Core.Identity;

namespace Portal.Web;

// Citizen and organisation sign-in, apart from staff sign-in: its own cookie ("portal.citizen": HttpOnly, SameSite=Lax,
// Secure whenever the request is HTTPS — production runs behind TLS; the embedded demo serves plain HTTP on loopback),
// a short sliding session, and the account's security stamp checked on every request so that a password change or
// "sign out everywhere" ends every open session. API clients use personal tokens instead (Authorization: Bearer pt_…).
//
// The staff cookie stays the default scheme, so HttpContext.User is the staff member unless a page asks for the
// citizen policy: citizen pages carry [Authorize(Policy = CitizenAuth.ApplicantPolicy)], and read the applicant with
// CitizenAuth.ApplicantId(User).
public static class CitizenAuth
{
    public const string Scheme = "citizen";
    public const string TokenScheme = "api-token";
    public const string ApplicantPolicy = "applicant";
    public const string SignInPath = "/tai-khoan/dang-nhap";
    public const string RegisterPath = "/tai-khoan/dang-ky";
    public const string ForgotPasswordPath = "/tai-khoan/quen-mat-khau";
    public const string ReturnUrlParameter = "quay-lai";
    /// <summary>Where a citizen lands after signing in when no return URL was given.</summary>
    public const string HomePath = "/ho-so";
    const string StampClaim = "portal:stamp";
    public const string KindClaim = "portal:applicant-kind";

    /// <summary>
    /// Idle timeout of a citizen session in minutes (Portal:CitizenSessionMinutes, default 30). The cookie slides: it is
    /// renewed by a request made after half of this time, so a session with no request for this long has ended.
    /// </summary>
    public static int SessionMinutes(IConfiguration config) => Math.Max(1, config.GetValue("Portal:CitizenSessionMinutes", 30));

    public static IServiceCollection AddCitizenAuth(this IServiceCollection services)
    {
        services.AddSingleton<Applicants>();
        // No default scheme here: the staff cookie (AddStaffAuth) stays the default.
        services.AddAuthentication()
            .AddCookie(Scheme, o =>
            {
                o.Cookie.Name = "portal.citizen";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                // Secure by default (production runs behind TLS, often terminated by a proxy, so the app may see
                // plain HTTP); the embedded demo on http://127.0.0.1 and the tests turn it off (Portal:SecureCookies).
                o.LoginPath = SignInPath;
                o.AccessDeniedPath = "/loi/403";
                o.ReturnUrlParameter = ReturnUrlParameter;
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = ValidateStampAsync;
                // An API call without a session gets the token scheme's 401 problem, not a redirect to a sign-in page.
                o.Events.OnRedirectToLogin = c => ApiOr(c, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = c => ApiOr(c, StatusCodes.Status403Forbidden);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(TokenScheme, null);
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<IConfiguration>((o, config) =>
        {
            o.ExpireTimeSpan = TimeSpan.FromMinutes(SessionMinutes(config));
            o.Cookie.SecurePolicy = StaffAuth.SecurePolicy(config);
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(ApplicantPolicy, p => p.AddAuthenticationSchemes(Scheme, TokenScheme).RequireAuthenticatedUser());
        return services;
    }

    internal static Task ApiOr(RedirectContext<CookieAuthenticationOptions> context, int apiStatus)
    {
        if (IsApi(context.Request)) context.Response.StatusCode = apiStatus;
        else context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    internal static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    public static ClaimsPrincipal Principal(Applicant applicant, string authenticationType = Scheme) =>
        new(new ClaimsIdentity(
        [
            new(ClaimTypes.NameIdentifier, applicant.Id.ToString()),
            new(ClaimTypes.Name, applicant.FullName),
            new(KindClaim, applicant.Kind),
            new(StampClaim, applicant.SecurityStamp.ToString()),
        ], authenticationType));

    /// <summary>
    /// The signed-in applicant's id, from the citizen cookie or an API token; null for anyone else. Staff identities are
    /// ignored, so a staff member's id is never taken for an applicant's.
    /// </summary>
    public static Guid? ApplicantId(ClaimsPrincipal user) =>
        user.Identities
            .Where(i => i.IsAuthenticated && i.AuthenticationType is Scheme or TokenScheme)
            .Select(i => i.FindFirst(ClaimTypes.NameIdentifier)?.Value)
            .FirstOrDefault(v => v is not null) is { } value && Guid.TryParse(value, out var id)
            ? id : null;

    /// <summary>Signs the applicant in on this browser (a new cookie with the account's current stamp).</summary>
    public static Task SignInAsync(HttpContext context, Applicant applicant) =>
        context.SignInAsync(Scheme, Principal(applicant));

    /// <summary>A return URL the sign-in may redirect to: local only (no open redirect), else the default.</summary>
    public static string SafeReturnUrl(string? url, string fallback = HomePath) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl)             // browsers drop tabs and newlines: "/\t/evil.example" is "//evil.example"
            ? url : fallback;

    static async Task ValidateStampAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = context.Principal?.FindFirstValue(StampClaim);
        var applicants = context.HttpContext.RequestServices.GetRequiredService<Applicants>();
        if (Guid.TryParse(id, out var applicantId)
            && await applicants.SecurityStampAsync(applicantId, context.HttpContext.RequestAborted) is { } current
            && current.ToString() == stamp)
            return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(Scheme);
    }
}

/// <summary>
/// Authorization: Bearer pt_… → the token's applicant. Other bearer tokens are not ours (no result); an unknown or
/// revoked pt_ token fails. Under /api a missing or bad token gets a 401 problem in Vietnamese; on pages the citizen
/// cookie's redirect to the sign-in page answers instead.
/// </summary>
public sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    Applicants applicants) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = header["Bearer ".Length..].Trim();
        if (!token.StartsWith(Applicants.TokenPrefix, StringComparison.Ordinal)) return AuthenticateResult.NoResult();
        var applicant = await applicants.AuthenticateTokenAsync(token, Context.RequestAborted);
        return applicant is null
            ? AuthenticateResult.Fail("Unknown or revoked API token")
            : AuthenticateResult.Success(new AuthenticationTicket(CitizenAuth.Principal(applicant, Scheme.Name), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!CitizenAuth.IsApi(Request)) return;
        Response.Headers.WWWAuthenticate = "Bearer";
        var sent = Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Chưa xác thực",
                detail: sent
                    ? "Mã truy cập không đúng hoặc đã bị thu hồi. Tạo mã mới tại trang Tài khoản (/tai-khoan)."
                    : "Gửi mã truy cập trong tiêu đề Authorization: Bearer pt_… Tạo mã tại trang Tài khoản (/tai-khoan).")
            .ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (!CitizenAuth.IsApi(Request)) return;           // pages: the citizen cookie's access-denied redirect
        await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Không có quyền",
                detail: "Tài khoản của bạn không được thực hiện yêu cầu này.")
            .ExecuteAsync(Context);
    }
}
