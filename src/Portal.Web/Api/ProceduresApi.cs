using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Portal.Core.Catalogue;
using Portal.Core.Deadlines;

namespace Portal.Web.Api;

// Open data: the published catalogue as JSON (camelCase). Filters use English values: level=province|commune,
// onlineLevel=full|partial|none; agency and field take codes.
public static class ProceduresApi
{
    public static void MapProceduresApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/procedures").WithTags("Thủ tục hành chính");
        api.MapGet("/", ListAsync);
        api.MapGet("/{code}", GetAsync);
    }

    public sealed record AgencyRef(string Code, string Name);

    public sealed record ListItem(string Code, string Name, AgencyRef Agency, string Field, string FieldCode,
        string Level, string OnlineLevel, int LegacyLevel);

    public sealed record ListResult(IReadOnlyList<ListItem> Items, long Total, int Page, int PageSize, bool Approximate);

    // Parameters bind as strings so that a malformed number gets our Vietnamese 400, not the framework's.
    static async Task<Results<Ok<ListResult>, ProblemHttpResult>> ListAsync(string? q, string? agency, string? field,
        string? level, string? onlineLevel, string? page, string? pageSize,
        NpgsqlDataSource db, CatalogueCache cache, TimeProvider clock, CancellationToken ct)
    {
        var query = CatalogueQuery.Parse(q, agency, field, level, onlineLevel, page, pageSize, out var errors);
        if (errors.Count > 0)
            return TypedResults.Problem(statusCode: 400, title: "Tham số không hợp lệ", detail: string.Join(" ", errors.Select(e => e.Message)));

        var today = LegalTime.Today(clock);
        var found = await CatalogueSearch.SearchCachedAsync(cache, await cache.CurrentVersionAsync(ct), db, query, today, ct);
        var items = found.Items.Select(p => new ListItem(p.Code, p.Name, new AgencyRef(p.AgencyCode, p.AgencyName),
            p.FieldName, p.FieldCode, p.Level, p.OnlineLevel, p.LegacyLevel)).ToList();
        return TypedResults.Ok(new ListResult(items, found.Total, found.Page, found.PageSize, found.Fuzzy));
    }

    public sealed record AgencyDetail(string Code, string Name, string? Address, string? Phone, string? Email);
    public sealed record Decision(string Number, DateOnly Date);

    public sealed record Detail(
        string Code, string NationalCode, string Name, AgencyDetail Agency, string Field, string FieldCode, string Level,
        IReadOnlyList<string> Channels, string OnlineLevel, int LegacyLevel, IReadOnlyList<string> Subjects, string ResultType,
        IReadOnlyList<string> LegalBasis, IReadOnlyList<ProcessingTime> ProcessingTimes, IReadOnlyList<Fee> Fees,
        IReadOnlyList<RequiredDocument> Documents, string Steps, string? Requirements, string Description,
        Decision Decision, DateOnly EffectiveFrom);

    static async Task<Results<Ok<Detail>, ProblemHttpResult>> GetAsync(string code, NpgsqlDataSource db, CatalogueCache cache, TimeProvider clock, CancellationToken ct)
    {
        if (code.Length > 64)
            return TypedResults.Problem(statusCode: 400, title: "Mã thủ tục không hợp lệ", detail: "Mã thủ tục dài quá 64 ký tự.");
        var p = await ProcedureDetails.LoadCachedAsync(cache, db, code, LegalTime.Today(clock), ct);
        if (p is null)
            return TypedResults.Problem(statusCode: 404, title: "Không tìm thấy thủ tục",
                detail: $"Không có thủ tục đang có hiệu lực với mã {code}. Hãy tra cứu danh mục tại /api/v1/procedures.");
        return TypedResults.Ok(new Detail(
            p.Code, p.NationalCode, p.Name, new AgencyDetail(p.AgencyCode, p.AgencyName, p.AgencyAddress, p.AgencyPhone, p.AgencyEmail),
            p.FieldName, p.FieldCode, p.Level, p.Channels, p.OnlineLevel, p.LegacyLevel, p.Subjects,
            p.ResultType, p.LegalBasis, p.ProcessingTimes, p.Fees, p.Documents, p.StepsMd, p.RequirementsMd, p.DescriptionMd,
            new Decision(p.DecisionNumber, p.DecisionDate), p.EffectiveFrom));
    }
}
