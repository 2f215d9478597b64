using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;

namespace Portal.Core.Database;

public sealed record Migration(string Name, string Sql)
{
    // Line endings are normalised so a checkout with CRLF does not look like an edited migration.
    // Derived from Sql on each read, so a copy made with `with { Sql = … }` never carries a stale hash.
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));
}

public sealed class MigrationChangedException(string name, string applied, string current) : Exception(
    $"Migration {name} was changed after it was applied (applied sha256 {applied}, file sha256 {current}). " +
    "Applied migrations are append-only: restore the file and put the change in a new numbered migration.");

// Applies db/migrations/*.sql (embedded in this assembly) in name order, one transaction per file, recording name and
// SHA-256 in portal.schema_migrations. A session-level advisory lock serialises concurrent starters: the second one
// waits, then finds nothing left to do.
public static class Migrator
{
    const long LockKey = 0x504F5254414C_01;    // "PORTAL" + 01: an arbitrary constant shared by every Portal process

    public static IReadOnlyList<Migration> Embedded()
    {
        var assembly = typeof(Migrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("migrations/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => new Migration(n["migrations/".Length..], Read(assembly, n)))
            .ToList();
    }

    static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static async Task<IReadOnlyList<string>> ApplyAsync(string connectionString, CancellationToken ct)
    {
        await using var dataSource = Db.CreateDataSource(connectionString);
        return await ApplyAsync(dataSource, Embedded(), ct);
    }

    const string BootstrapSql = """
        CREATE SCHEMA IF NOT EXISTS portal;
        CREATE TABLE IF NOT EXISTS portal.schema_migrations (
            name        text PRIMARY KEY,
            sha256      text NOT NULL,
            applied_at  timestamptz NOT NULL DEFAULT now()
        );
        """;

    const string AppliedSql = "SELECT name, sha256 FROM portal.schema_migrations";

    const string RecordSql = "INSERT INTO portal.schema_migrations (name, sha256) VALUES (@name, @sha256)";

    // Returns the names applied by this call (empty when the database was already up to date).
    public static async Task<IReadOnlyList<string>> ApplyAsync(
        NpgsqlDataSource dataSource, IReadOnlyList<Migration> migrations, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@LockKey)", new { LockKey }, cancellationToken: ct));
        try
        {
            await conn.ExecuteAsync(new CommandDefinition(BootstrapSql, cancellationToken: ct));
            var applied = (await conn.QueryAsync<(string Name, string Sha256)>(AppliedSql))
                .ToDictionary(r => r.Name, r => r.Sha256, StringComparer.Ordinal);

            foreach (var m in migrations)
                if (applied.TryGetValue(m.Name, out var sha) && sha != m.Sha256)
                    throw new MigrationChangedException(m.Name, sha, m.Sha256);

            var done = new List<string>();
            foreach (var m in migrations.Where(m => !applied.ContainsKey(m.Name)).OrderBy(m => m.Name, StringComparer.Ordinal))
            {
                await using var tx = await conn.BeginTransactionAsync(ct);
                await conn.ExecuteAsync(new CommandDefinition(m.Sql, transaction: tx, cancellationToken: ct));
                await conn.ExecuteAsync(new CommandDefinition(RecordSql, new { name = m.Name, sha256 = m.Sha256 }, tx, cancellationToken: ct));
                await tx.CommitAsync(ct);
                done.Add(m.Name);
            }
            return done;
        }
        finally
        {
            await conn.ExecuteAsync("SELECT pg_advisory_unlock(@LockKey)", new { LockKey });
        }
    }
}
