using Dapper;
using Npgsql;

namespace Portal.Core.Dossiers;

/// <summary>The dossier code of R-C3 / DOMAIN.md §5.1: <c>&lt;unit code&gt;-YYMMDD-NNNN</c>.</summary>
public static class DossierCode
{
    /// <summary>Past 9999 in a day the number widens to five digits rather than wrapping (§5.1).</summary>
    public static string Format(string unitCode, DateOnly day, int n) => $"{unitCode}-{day:yyMMdd}-{n:0000}";

    // The upsert row-locks (unit, day) until the caller's transaction ends: concurrent submissions to one unit queue
    // here, so the numbers are consecutive, and a transaction that rolls back gives its number back (no gaps). The
    // caller takes the number as the last step before committing so the lock is held for as short a time as possible.
    const string NextSql = """
        INSERT INTO portal.dossier_code_counters (unit_code, day, n) VALUES (@unitCode, @day, 1)
        ON CONFLICT (unit_code, day) DO UPDATE SET n = dossier_code_counters.n + 1
        RETURNING n
        """;

    public static async Task<string> NextAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string unitCode, DateOnly day)
    {
        var n = await conn.ExecuteScalarAsync<int>(NextSql, new { unitCode, day }, tx);
        return Format(unitCode, day, n);
    }

    /// <summary>
    /// Whether a string has the shape of a dossier code (for lookups: refuse junk before querying). Unit codes are
    /// dotted blocks but some units carry a suffix after a hyphen (the demo's commune units: 000.00.00.H99-XA).
    /// </summary>
    public static bool LooksValid(string? code) =>
        code is { Length: >= 16 and <= 64 } && System.Text.RegularExpressions.Regex.IsMatch(code, @"^[0-9A-Za-z][0-9A-Za-z.\-]*-\d{6}-\d{4,5}$");
}
