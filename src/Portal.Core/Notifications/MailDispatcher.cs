using Npgsql;

namespace Portal.Core.Notifications;

public sealed record MailRun(int Sent, int Retrying, int Failed);

/// <summary>Delivers queued outbox messages (issue 7, mail). STUB: the mail helper fills this in.</summary>
public sealed class MailDispatcher(NpgsqlDataSource db, TimeProvider clock)
{
    public Task<MailRun> DispatchAsync(CancellationToken ct)
    {
        _ = db; _ = clock;
        return Task.FromResult(new MailRun(0, 0, 0));
    }
}
