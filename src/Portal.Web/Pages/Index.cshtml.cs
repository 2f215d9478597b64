using Dapper;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using Portal.Core.Catalogue;
using Portal.Core.Deadlines;

namespace Portal.Web.Pages;

public sealed class IndexModel(NpgsqlDataSource db, CatalogueCache cache, TimeProvider clock) : PageModel
{
    public Home Data { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = LegalTime.Today(clock);
        Data = await cache.GetAsync($"home|{today}", c => LoadAsync(today, c), ct);
    }

    public sealed record Home(IReadOnlyList<PopularRow> Popular, IReadOnlyList<GroupRow> Agencies, IReadOnlyList<GroupRow> Fields, long Total);

    async Task<Home> LoadAsync(DateOnly today, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(HomeSql, new { today }, cancellationToken: ct));
        return new Home((await grid.ReadAsync<PopularRow>()).AsList(), (await grid.ReadAsync<GroupRow>()).AsList(),
            (await grid.ReadAsync<GroupRow>()).AsList(), await grid.ReadSingleAsync<long>());
    }

    public sealed record PopularRow
    {
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public string OnlineLevel { get; init; } = "";
    }

    public sealed record GroupRow
    {
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public long Procedures { get; init; }
    }

    // Procedures counted are the versions in force today. Commune-level procedures are browsed through the
    // "Cấp xã" level link rather than per commune, since every commune implements all of them.
    const string HomeSql = """
        SELECT p.code, v.name, v.online_level
          FROM portal.procedure p
          JOIN portal.procedure_version v ON v.procedure_id = p.id
         WHERE p.popular_rank IS NOT NULL
           AND portal.in_force(v.effective_from, v.effective_to, @today)
         ORDER BY p.popular_rank
         LIMIT 8;
        SELECT a.code, a.name, count(*) AS procedures
          FROM portal.agency a
          JOIN portal.procedure_version v ON v.agency_id = a.id
         WHERE a.level = 'province'
           AND portal.in_force(v.effective_from, v.effective_to, @today)
         GROUP BY a.code, a.name
         ORDER BY a.name;
        SELECT f.code, f.name, count(*) AS procedures
          FROM portal.field f
          JOIN portal.procedure_version v ON v.field_id = f.id
         WHERE portal.in_force(v.effective_from, v.effective_to, @today)
         GROUP BY f.code, f.name
         ORDER BY f.name;
        SELECT count(*)
          FROM portal.procedure_version v
         WHERE portal.in_force(v.effective_from, v.effective_to, @today);
        """;
}
