using Npgsql;

namespace Portal.Core.Reminders;

public sealed record ReminderRun(int Sent);

/// <summary>Deadline reminders from the clock ledger (issue 7). STUB: the reminders helper fills this in.</summary>
public sealed class Reminders(NpgsqlDataSource db, TimeProvider clock)
{
    public Task<ReminderRun> SweepAsync(CancellationToken ct)
    {
        _ = db; _ = clock;
        return Task.FromResult(new ReminderRun(0));
    }
}
