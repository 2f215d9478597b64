using System.Collections.Concurrent;
using Dapper;
using Npgsql;

namespace Portal.Core.Catalogue;

// Catalogue reads (search pages, procedure records, filter lists) cached per web node. Each read first asks
// PostgreSQL for portal.catalogue_state.version (one single-row read); an entry is served only if it was loaded under
// that same version, so a published change is visible on every node at its next request, and right after an import.
// Entries carry the version read *before* loading: a load that races a change is tagged with the older version and
// is replaced on the next request, never served as current.
public sealed class CatalogueCache(NpgsqlDataSource db, bool enabled = true)
{
    // The long tail of distinct queries is bounded: past this many entries the cache starts over.
    const int MaxEntries = 20_000;

    readonly ConcurrentDictionary<string, (long Version, object? Value)> entries = new(StringComparer.Ordinal);

    public async Task<T> GetAsync<T>(string key, Func<CancellationToken, Task<T>> load, CancellationToken ct) =>
        enabled ? await GetAsync(key, await CurrentVersionAsync(ct), load, ct) : await load(ct);

    // For a request that reads several entries: read the version once (CurrentVersionAsync) and pass it to each.
    public async Task<T> GetAsync<T>(string key, long version, Func<CancellationToken, Task<T>> load, CancellationToken ct)
    {
        if (!enabled) return await load(ct);
        if (entries.TryGetValue(key, out var hit) && hit.Version == version) return (T)hit.Value!;
        var value = await load(ct);
        if (entries.Count >= MaxEntries) entries.Clear();
        entries[key] = (version, value);
        return value;
    }

    const string VersionSql = "SELECT version FROM portal.catalogue_state";

    public async Task<long> CurrentVersionAsync(CancellationToken ct)
    {
        if (!enabled) return 0;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition(VersionSql, cancellationToken: ct));
    }

    const string BumpSql = "UPDATE portal.catalogue_state SET version = version + 1, changed_at = now()";

    // Every write to the catalogue calls this inside its own transaction.
    public static Task BumpVersionAsync(NpgsqlConnection conn, NpgsqlTransaction tx) => conn.ExecuteAsync(BumpSql, transaction: tx);
}
