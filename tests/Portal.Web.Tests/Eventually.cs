using System.Diagnostics;
using Dapper;
using Npgsql;

namespace Portal.Web.Tests;

/// <summary>
/// Waits for what another node or process does: a Quartz firing acquired by whichever node, a worker's row, a node's
/// check-in. Nothing can be awaited across processes, so this polls the condition (100 ms apart) until it holds; the
/// deadline is generous (the machine is shared) and only turns a hang into a failure that says what did not happen.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, Func<string>? context = null, TimeSpan? patience = null)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > (patience ?? Patience)) Assert.Fail($"Timed out waiting until {what}.{(context is null ? "" : "\n" + context())}");
            await Task.Delay(100);
        }
    }

    /// <summary>Until a boolean query answers true.</summary>
    public static Task SqlAsync(NpgsqlDataSource db, string sql, string what, object? args = null, Func<string>? context = null) =>
        HoldsAsync(async () =>
        {
            await using var conn = await db.OpenConnectionAsync();
            return await conn.ExecuteScalarAsync<bool>(sql, args);
        }, what, context);
}
