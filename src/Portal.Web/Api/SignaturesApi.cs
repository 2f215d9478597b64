using Microsoft.AspNetCore.Mvc;
using Portal.Core.Signatures;

namespace Portal.Web.Api;

// POST /api/v1/signatures/verify (multipart: file, optional signature) → the validation report as JSON. Public, like
// the page: rate limited per client (RateLimits), size-limited, time-limited by the policy, nothing stored.
public static class SignaturesApi
{
    public static void MapSignaturesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(RateLimits.SignatureApiPath, VerifyAsync)
            .WithTags("Chữ ký số")
            .WithSummary("Kiểm tra chữ ký số của tệp PDF hoặc CMS (.p7s, .p7m)")
            .DisableAntiforgery()   // a machine API without cookies: there is no session to forge
            .WithMetadata(new RequestSizeLimitAttribute(SignatureCheck.RequestLimit))
            .Produces<SignatureReport>()
            .ProducesProblem(400).ProducesProblem(413).ProducesProblem(422).ProducesProblem(429);
    }

    static async Task<IResult> VerifyAsync(HttpRequest request, SignatureStore store, CancellationToken ct)
    {
        if (!request.HasFormContentType)
            return Problem(400, "Hãy gửi yêu cầu dạng multipart/form-data với trường \"file\" (và \"signature\" cho tệp .p7s).");
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return Problem(e is BadHttpRequestException { StatusCode: 413 } ? 413 : 400,
                "Không đọc được dữ liệu gửi lên (multipart/form-data hỏng hoặc quá lớn). Hãy gửi lại tệp, mỗi tệp tối đa 50 MB.");
        }
        var outcome = await SignatureCheck.RunAsync(form.Files.GetFile("file"), form.Files.GetFile("signature"), store, ct);
        return outcome switch
        {
            SignatureCheck.Outcome.Checked(var report) => Results.Json(report, SignatureReport.Json),
            SignatureCheck.Outcome.Refused(var field, var status, var message, var detected) => Results.Problem(
                statusCode: status, title: "Không kiểm tra được tệp", detail: message,
                extensions: new Dictionary<string, object?> { ["field"] = field, ["detectedType"] = detected }),
            _ => throw new InvalidOperationException(),
        };
    }

    static IResult Problem(int status, string detail) => Results.Problem(statusCode: status, title: "Không kiểm tra được tệp", detail: detail);
}
