using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Core.Identity;

namespace Portal.Web.Api;

// Who a personal API token (or a citizen session) belongs to: the first call an integrator makes to check a token.
public static class AccountApi
{
    public static void MapAccountApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/me", MeAsync).RequireAuthorization(CitizenAuth.ApplicantPolicy).WithTags("Tài khoản");

    public sealed record Me(Guid Id, string Kind, string Name);

    static async Task<Results<Ok<Me>, ProblemHttpResult>> MeAsync(HttpContext http, Applicants applicants, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        if (CitizenAuth.ApplicantId(http.User) is { } id && await applicants.FindAsync(id, ct) is { } applicant)
            return TypedResults.Ok(new Me(applicant.Id, applicant.Kind, applicant.FullName));
        return TypedResults.Problem(statusCode: 401, title: "Chưa xác thực", detail: "Tài khoản không còn tồn tại.");
    }
}
