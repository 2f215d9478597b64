using Dapper;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using Portal.Core.Deadlines;

namespace Portal.Web.Pages;

public sealed class IndexModel(NpgsqlDataSource db, TimeProvider clock) : PageModel
{
    public IReadOnlyList<PopularRow> Popular { get; private set; } = [];
    public IReadOnlyList<GroupRow> Agencies { get; private set; } = [];
    public IReadOnlyList<GroupRow> Fields { get; private set; } = [];
    public long Total { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(HomeSql, new { today = LegalTime.Today(clock) }, cancellationToken: ct));
        Popular = (await grid.ReadAsync<PopularRow>()).AsList();
        Agencies = (await grid.ReadAsync<GroupRow>()).AsList();
        Fields = (await grid.ReadAsync<GroupRow>()).AsList();
        Total = await grid.ReadSingleAsync<long>();
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
           AND v.effective_from <= @today AND (v.effective_to IS NULL OR v.effective_to > @today)
         ORDER BY p.popular_rank
         LIMIT 8;
        SELECT a.code, a.name, count(*) AS procedures
          FROM portal.agency a
          JOIN portal.procedure_version v ON v.agency_id = a.id
         WHERE a.level = 'province'
           AND v.effective_from <= @today AND (v.effective_to IS NULL OR v.effective_to > @today)
         GROUP BY a.code, a.name
         ORDER BY a.name;
        SELECT f.code, f.name, count(*) AS procedures
          FROM portal.field f
          JOIN portal.procedure_version v ON v.field_id = f.id
         WHERE v.effective_from <= @today AND (v.effective_to IS NULL OR v.effective_to > @today)
         GROUP BY f.code, f.name
         ORDER BY f.name;
        SELECT count(*)
          FROM portal.procedure_version v
         WHERE v.effective_from <= @today AND (v.effective_to IS NULL OR v.effective_to > @today);
        """;
}
