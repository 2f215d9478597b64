using Npgsql;

namespace Portal.Core.CertifiedCopies;

/// <summary>Electronic certified copies (DOMAIN.md §8). STUB: the certified-copies helper fills this in.</summary>
public sealed class CertifiedCopies(NpgsqlDataSource db, TimeProvider clock)
{
    public Task<int> IssuePendingAsync(CancellationToken ct)
    {
        _ = db; _ = clock;
        return Task.FromResult(0);
    }
}
