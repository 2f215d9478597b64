using Npgsql;

namespace Portal.Core.Housekeeping;

/// <summary>Night jobs: orphaned files, statistics roll-up. STUB until filled in.</summary>
public sealed class Housekeeping(NpgsqlDataSource db, TimeProvider clock)
{
    public Task<int> PurgeOrphanFilesAsync(CancellationToken ct) { _ = db; _ = clock; return Task.FromResult(0); }

    public Task<int> RollUpStatisticsAsync(CancellationToken ct) => Task.FromResult(0);
}
