using Portal.Core.BackOffice;
using Portal.Core.Deadlines;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.WebEncoders;
using Npgsql;
using Portal.Core.Catalogue;
using Portal.Core.Database;
using Portal.Core.Documents;
using Portal.Core.Dossiers;
using Portal.Core.Signatures;
using Portal.Jobs;
using Portal.Web.Api;

namespace Portal.Web;

// What every page needs to know about the site it belongs to (appsettings "Portal").
public sealed record Site(string Name, string ProvinceName, string Hotline, string HelpEmail)
{
    /// <summary>
    /// The portal's public address for links in e-mails and on receipts: Portal:PublicUrl (set it in production — the
    /// request's Host header is chosen by whoever sends the request, and a forged one would send people to another
    /// site), else this request's own address (the loopback demo, tests).
    /// </summary>
    public static string PublicBase(HttpRequest request, IConfiguration config) =>
        config["Portal:PublicUrl"] is { Length: > 0 } url ? url.TrimEnd('/') : $"{request.Scheme}://{request.Host}";
}

public static class PortalServices
{
    public static IServiceCollection AddPortalWeb(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(new Site(
            config["Portal:Name"] ?? "Cổng Dịch vụ công tỉnh Bình Sơn",
            config["Portal:ProvinceName"] ?? "tỉnh Bình Sơn",
            config["Portal:Hotline"] ?? "1900 0000",
            config["Portal:HelpEmail"] ?? "hotro@dichvucong.binhson.gov.vn"));
        services.AddRazorPages(o => o.Conventions
            .AuthorizeFolder("/Admin", StaffAuth.AdministratorPolicy)
            // The back office: any signed-in staff member (the back office itself checks units and roles).
            .AuthorizeFolder("/Staff").AllowAnonymousToPage("/Staff/SignIn").AllowAnonymousToPage("/Staff/SignOut"));
        services.AddStaffAuth();
        services.AddCitizenAuth();
        services.AddPortalRateLimits();
        // Razor escapes every non-ASCII letter by default ("Đ" -> "&#x110;"); Vietnamese pages would triple in size
        // and be unreadable as source. HTML-significant characters are still escaped.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All));
        services.AddProblemDetails();
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Portal — dữ liệu mở";
            document.Info.Description = "Danh mục thủ tục hành chính (dữ liệu mở), kiểm tra chữ ký số, và hồ sơ của người dùng "
                + "(/api/v1/me/dossiers: tạo hồ sơ nháp, tải tệp, gửi hồ sơ với Idempotency-Key, theo dõi). Các API /api/v1/me cần "
                + "header Authorization: Bearer <mã truy cập cá nhân tạo tại /tai-khoan> hoặc phiên đăng nhập. "
                + "API cán bộ (/api/v1/staff: danh sách, hồ sơ, nguy cơ trễ hạn, thao tác xử lý) cần mã truy cập cán bộ "
                + "(Authorization: Bearer st_…, tạo tại /can-bo/tai-khoan); các thao tác chỉ nhận mã truy cập. "
                + "Lỗi trả về dạng application/problem+json bằng tiếng Việt.";
            return Task.CompletedTask;
        }));
        return services;
    }

    public static WebApplication UsePortalPipeline(this WebApplication app)
    {
        app.UseWhen(c => IsApi(c.Request), api => api.UseExceptionHandler(e => e.Run(WriteApiErrorAsync)));
        app.UseWhen(c => !IsApi(c.Request), pages =>
        {
            pages.UseExceptionHandler("/loi/500");
            pages.UseStatusCodePagesWithReExecute("/loi/{0}");
        });
        app.Use(async (context, next) =>
        {
            var h = context.Response.Headers;
            h.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
            h.XContentTypeOptions = "nosniff";
            h["Referrer-Policy"] = "strict-origin-when-cross-origin";
            h.XFrameOptions = "DENY";
            await next();
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            // Versioned URLs (asp-append-version adds ?v=<hash>) and fonts never change in place.
            OnPrepareResponse = f => f.Context.Response.Headers.CacheControl =
                f.Context.Request.Query.ContainsKey("v") || f.Context.Request.Path.StartsWithSegments("/fonts")
                    ? "public, max-age=31536000, immutable"
                    : "public, max-age=3600",
        });
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    public static WebApplication MapPortalEndpoints(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapProceduresApi();
        app.MapCalendarApi();
        app.MapSignaturesApi();
        app.MapAccountApi();
        app.MapDossierEndpoints();
        app.MapApplicantDossiersApi();
        app.MapStaffDossiersApi();
        app.MapGet("/healthz", HealthAsync).ExcludeFromDescription();
        app.MapOpenApi();                           // /openapi/v1.json
        return app;
    }

    static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api");

    static Task WriteApiErrorAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Portal.Api")
            .LogError(error, "Unhandled error on {Path} ({TraceId})", context.Request.Path, context.TraceIdentifier);
        return (IsOutage(error)
                ? Results.Problem(statusCode: 503, title: "Dịch vụ tạm ngừng",
                    detail: "Không kết nối được cơ sở dữ liệu. Hãy thử lại sau ít phút.")
                : Results.Problem(statusCode: 500, title: "Có lỗi xảy ra",
                    detail: $"Hệ thống gặp lỗi khi xử lý yêu cầu. Hãy thử lại sau; nếu vẫn lỗi, báo mã tham chiếu {context.TraceIdentifier}."))
            .ExecuteAsync(context);
    }

    // The database being unreachable (down, restarting, pool exhausted) is an outage to wait out, not a bug: 503.
    // A PostgresException is the server answering with an error, which is a bug: 500.
    // Quartz wraps the driver's exception (the scheduler's pages), so the chain of inner exceptions is searched.
    public static bool IsOutage(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
            if (e is NpgsqlException and not PostgresException || e is TimeoutException) return true;
        return false;
    }

    // The database, and the scheduler (issue 7): the role of this process, whether its own scheduler is running when
    // the role runs jobs, and how many nodes of the cluster are checking in. Jobs not running is "degraded" with 200:
    // the pages still work, and a load balancer should not pull a web node because the workers are down.
    static async Task<IResult> HealthAsync(NpgsqlDataSource db, JobBoard board, Quartz.ISchedulerFactory schedulers, IConfiguration config, CancellationToken ct)
    {
        try
        {
            await using (var conn = await db.OpenConnectionAsync(ct))
            await using (var cmd = new NpgsqlCommand("SELECT 1", conn))
                await cmd.ExecuteScalarAsync(ct);
            var nodes = await board.NodesAsync(ct);
            var runsHere = PortalRole.RunsJobs(config);
            Quartz.IScheduler? local = null;
            // Never the first build of the scheduler from here while the store is not ready (it is one-shot per process).
            if (runsHere && await PortalJobs.StoreReadyAsync(db, ct))
                try { local = await schedulers.GetScheduler(ct); }
                catch (Quartz.SchedulerException) { }   // reported as not running
            var running = local?.Status == Quartz.SchedulerStatus.Running;
            var alive = nodes.Count(n => n.Alive);
            var healthy = runsHere ? running : alive > 0;
            return Results.Json(new
            {
                status = healthy ? "ok" : "degraded",
                database = "ok",
                scheduler = new
                {
                    role = PortalRole.Of(config),
                    instance = local?.SchedulerInstanceId,
                    running = runsHere ? running : (bool?)null,
                    nodesAlive = alive,
                    nodes = nodes.Count,
                },
            });
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return Results.Json(new { status = "unavailable", database = e.Message }, statusCode: 503);
        }
    }
}
