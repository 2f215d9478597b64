using Dapper;
using Npgsql;

namespace Portal.Core.Catalogue;

public sealed record ProcedureSummary
{
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string AgencyCode { get; init; } = "";
    public string AgencyName { get; init; } = "";
    public string FieldCode { get; init; } = "";
    public string FieldName { get; init; } = "";
    public string Level { get; init; } = "";
    public string OnlineLevel { get; init; } = "";
    public short LegacyLevel { get; init; }
    public long Total { get; init; }
}

public sealed record CataloguePage(IReadOnlyList<ProcedureSummary> Items, long Total, int Page, int PageSize, bool Fuzzy)
{
    public int PageCount => (int)Math.Min(CatalogueQuery.MaxPage, (Total + PageSize - 1) / PageSize);
}

// Search over the versions in force on a given day. Word search uses the full-text index (every word must appear;
// name matches rank above description matches); only when it finds nothing does a trigram "did you mean" pass run,
// so typos like "khai sihn" still find "Đăng ký khai sinh" without slowing ordinary searches down.
public static class CatalogueSearch
{
    // @mode is a bound constant, so PostgreSQL folds each CASE to one branch and uses that branch's index
    // (GIN tsvector for text, GIN trigram for fuzzy).
    const string SearchSql = """
        SELECT p.code, v.name, a.code AS agency_code, a.name AS agency_name, f.code AS field_code, f.name AS field_name,
               v.level, v.online_level, v.legacy_level, count(*) OVER () AS total
          FROM portal.procedure_version v
          JOIN portal.procedure p ON p.id = v.procedure_id
          JOIN portal.agency a ON a.id = v.agency_id
          JOIN portal.field f ON f.id = v.field_id
         WHERE portal.in_force(v.effective_from, v.effective_to, @today)
           AND (@agencyCode::text IS NULL
                OR a.code = @agencyCode
                -- every commune implements every commune-level procedure (two-level government since 01/07/2025)
                OR (v.level = 'commune' AND EXISTS (SELECT 1 FROM portal.agency c
                                                     WHERE c.code = @agencyCode AND c.level = 'commune')))
           AND (@fieldCode::text IS NULL OR f.code = @fieldCode)
           AND (@level::text IS NULL OR v.level = @level)
           AND (@onlineLevel::text IS NULL OR v.online_level = @onlineLevel)
           AND CASE @mode WHEN 'all'  THEN true
                          WHEN 'code' THEN p.code LIKE @codePrefix
                          -- name_vector first: most matches are in names, and it is small (no TOAST read)
                          WHEN 'text' THEN v.name_vector @@ to_tsquery('simple'::regconfig, @tsQuery)
                                           OR v.search_vector @@ to_tsquery('simple'::regconfig, @tsQuery)
                          ELSE @folded <% v.search_name END
         -- Ranking: every query word in the name, before only in the description; a name that starts with the
         -- query ("dang ky" → "Đăng ký khai sinh") before one that merely contains it; then popular procedures; then
         -- shorter names, which are the more specific match ("Đăng ký khai sinh" before "Liên thông … đăng ký khai sinh …").
         ORDER BY CASE WHEN @mode = 'text' AND NOT v.name_vector @@ to_tsquery('simple'::regconfig, @tsQuery) THEN 1 ELSE 0 END,
                  CASE WHEN @mode = 'text' AND v.search_name LIKE @namePrefix THEN 0 ELSE 1 END,
                  CASE @mode WHEN 'fuzzy' THEN word_similarity(@folded, v.search_name) ELSE 0 END DESC,
                  p.popular_rank NULLS LAST, length(v.search_name), v.search_name, p.code
         LIMIT @limit OFFSET @offset
        """;

    // The version is read once per request by the caller (CatalogueCache.CurrentVersionAsync), so a page that also
    // reads other catalogue entries pays for one version read.
    public static Task<CataloguePage> SearchCachedAsync(CatalogueCache cache, long version, NpgsqlDataSource db,
        CatalogueQuery query, DateOnly today, CancellationToken ct) =>
        cache.GetAsync($"search|{today}|{query.CacheKey}", version, c => SearchAsync(db, query, today, c), ct);

    public static async Task<CataloguePage> SearchAsync(NpgsqlDataSource db, CatalogueQuery query, DateOnly today, CancellationToken ct)
    {
        var words = query.Words;
        var mode = query.Text is null ? SearchMode.All : query.IsCode ? SearchMode.Code : SearchMode.Text;
        if (mode == SearchMode.Text && words.Count == 0)
            return new CataloguePage([], 0, query.Page, query.PageSize, Fuzzy: false);   // only punctuation was typed

        await using var conn = await db.OpenConnectionAsync(ct);
        var items = await RunAsync(conn, query, today, mode, words, ct);
        if (items.Count == 0 && mode == SearchMode.Text && query.Page == 1)
        {
            var fuzzy = await RunAsync(conn, query, today, SearchMode.Fuzzy, words, ct);
            if (fuzzy.Count > 0) return new CataloguePage(fuzzy, fuzzy[0].Total, query.Page, query.PageSize, Fuzzy: true);
        }
        return new CataloguePage(items, items.Count > 0 ? items[0].Total : 0, query.Page, query.PageSize, Fuzzy: false);
    }

    static async Task<List<ProcedureSummary>> RunAsync(NpgsqlConnection conn, CatalogueQuery query, DateOnly today,
        SearchMode mode, IReadOnlyList<string> words, CancellationToken ct)
    {
        var args = new
        {
            today,
            query.AgencyCode,
            query.FieldCode,
            query.Level,
            query.OnlineLevel,
            mode = mode.ToString().ToLowerInvariant(),
            codePrefix = mode == SearchMode.Code ? EscapeLike(query.Text!) + "%" : null,
            tsQuery = mode == SearchMode.Text ? SearchText.ToTsQuery(words) : null,
            namePrefix = mode == SearchMode.Text ? string.Join(' ', words) + "%" : null,   // words hold only [a-z0-9]
            folded = mode == SearchMode.Fuzzy ? string.Join(' ', words) : null,
            limit = query.PageSize,
            offset = (query.Page - 1) * query.PageSize,
        };
        return (await conn.QueryAsync<ProcedureSummary>(new CommandDefinition(SearchSql, args, cancellationToken: ct))).AsList();
    }

    static string EscapeLike(string s) => s.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
