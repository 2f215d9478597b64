using System.Threading.RateLimiting;

namespace Portal.Web;

// Per-address limits on what an attacker would hammer: staff and citizen sign-in (password guessing) and the public signature
// check (CPU-heavy, up to 50 MB a request), and the public dossier lookup (second-factor guessing), and the certified-copy
// verification page (code guessing on GET, hashing and verifying on POST). Limits are read per request so tests and operators can change them.
public static class RateLimits
{
    public const string SignatureCheckPath = "/kiem-tra-chu-ky";
    public const string SignatureApiPath = "/api/v1/signatures/verify";
    public const string LookupPath = "/tra-cuu";
    public const string CopyVerificationPath = "/xac-thuc";

    public static IServiceCollection AddPortalRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                if (context.HttpContext.Request.Path.StartsWithSegments("/api"))
                    await Results.Problem(statusCode: 429, title: "Quá nhiều yêu cầu",
                            detail: "Bạn đã gửi quá nhiều yêu cầu trong một phút. Hãy chờ một phút rồi thử lại.")
                        .ExecuteAsync(context.HttpContext);
            };
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var path = http.Request.Path;
                var config = http.RequestServices.GetRequiredService<IConfiguration>();
                // Both methods: a GET answers whether a code exists, so guessing codes is limited like guessing secrets.
                if (path.StartsWithSegments(CopyVerificationPath, StringComparison.OrdinalIgnoreCase))
                    return PerMinute("copy-verification " + http.Connection.RemoteIpAddress, config.GetValue("Portal:CopyVerificationsPerMinute", 30));
                if (!HttpMethods.IsPost(http.Request.Method)) return RateLimitPartition.GetNoLimiter("none");
                // Partitions are cached by key: every limited kind gets its own prefix, and "none" stays apart.
                if (path.Equals(StaffAuth.SignInPath, StringComparison.OrdinalIgnoreCase) || IsCitizenSignIn(path))
                    return PerMinute("sign-in " + http.Connection.RemoteIpAddress, config.GetValue("Portal:SignInAttemptsPerMinute", 10));
                if (path.Equals(SignatureCheckPath, StringComparison.OrdinalIgnoreCase) || path.Equals(SignatureApiPath, StringComparison.OrdinalIgnoreCase))
                    return PerMinute("signature-check " + http.Connection.RemoteIpAddress, config.GetValue("Portal:SignatureChecksPerMinute", 20));
                // The public lookup: code + second factor; the limit makes guessing the second factor hopeless.
                if (path.Equals(LookupPath, StringComparison.OrdinalIgnoreCase))
                    return PerMinute("lookup " + http.Connection.RemoteIpAddress, config.GetValue("Portal:LookupsPerMinute", 10));
                return RateLimitPartition.GetNoLimiter("none");
            });
        });
        return services;
    }

    // Citizen sign-in, registration (its "already registered" answer would otherwise enumerate accounts) and the
    // reset-link request (each one sends an e-mail) share the sign-in budget of an address.
    static bool IsCitizenSignIn(PathString path) =>
        path.Equals(CitizenAuth.SignInPath, StringComparison.OrdinalIgnoreCase)
        || path.Equals(CitizenAuth.RegisterPath, StringComparison.OrdinalIgnoreCase)
        || path.Equals(CitizenAuth.ForgotPasswordPath, StringComparison.OrdinalIgnoreCase);

    static RateLimitPartition<string> PerMinute(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
}
