using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;

namespace Portal.Web.Pages;

// TechEmpower "fortunes" (Razor + Dapper + Npgsql): the yardstick the load script measures beside portal pages, so
// figures from different machines compare as ratios (docs/PERFORMANCE.md). Off unless Portal:EnableFortunes is true.
public sealed class FortunesModel(NpgsqlDataSource db, IConfiguration config) : PageModel
{
    public List<Fortune> Rows { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!config.GetValue<bool>("Portal:EnableFortunes")) return NotFound();
        await using var conn = await db.OpenConnectionAsync(ct);
        Rows = (await conn.QueryAsync<Fortune>(new CommandDefinition("SELECT id, message FROM portal.fortune", cancellationToken: ct))).AsList();
        Rows.Add(new Fortune { Id = 0, Message = "Additional fortune added at request time." });
        Rows.Sort((a, b) => string.CompareOrdinal(a.Message, b.Message));
        return Page();
    }

    public sealed record Fortune
    {
        public int Id { get; init; }
        public string Message { get; init; } = "";
    }
}
