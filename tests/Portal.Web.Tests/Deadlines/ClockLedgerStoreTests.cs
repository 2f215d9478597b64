using Dapper;
using Portal.Core.Deadlines;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Deadlines;

[Collection("db")]
public sealed class ClockLedgerStoreTests(PostgresFixture db)
{
    // The ledger belongs to a dossier (foreign key since the dossiers table exists): a draft is enough.
    async Task<Guid> DossierAsync()
    {
        var world = await Portal.Web.Tests.Dossiers.DossierWorld.CreateAsync(db);
        var id = (await world.Store.StartAsync(await world.ApplicantAsync(), world.ProcedureCode, null, default))!.Value;
        // A draft never has a clock; this one must not be expired by another test's housekeeping either.
        await world.ScalarAsync<int>("UPDATE portal.dossiers SET expires_at = NULL WHERE id = @id RETURNING 1", new { id });
        return id;
    }

    static DateTimeOffset At(string local) => DateTimeOffset.Parse(local + "+07:00", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Segments_round_trip_through_timestamptz_and_give_the_same_due()
    {
        var dossier = await DossierAsync();
        var ledger = new ClockLedger(DeadlineRule.WorkingDays(10));
        ledger.Start(At("2026-03-02T07:00:00.123"), "A", 1);
        await SaveAsync(dossier, ledger);
        ledger.Stop(At("2026-03-04T17:00"), ClockCause.SupplementRequested);
        ledger.Resume(At("2026-03-10T07:00"), "A", 1);
        await SaveAsync(dossier, ledger);

        await using var conn = await db.DataSource.OpenConnectionAsync();
        var stored = await ClockLedgerStore.LoadAsync(conn, dossier);

        Assert.Equal(ledger.Segments, stored);
        Assert.Equal(TimeSpan.Zero, stored[0].Start.Offset);   // read back in UTC, the same instant
        var calendar = await new CalendarStore(db.DataSource).CalendarAsync(null, default);
        var rebuilt = new ClockLedger(DeadlineRule.WorkingDays(10), null, stored).Compute(calendar, At("2026-03-10T08:00"));
        // 0.123 s into the first working day, so 0.123 s past the close of Wednesday 18/03: Thursday's opening.
        Assert.Equal(At("2026-03-19T07:00:00.123"), rebuilt.CurrentDue);
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM portal.dossier_clock_segments WHERE dossier_id = @dossier AND ended_at IS NULL", new { dossier }));
    }

    [Fact]
    public async Task A_stored_segment_is_never_rewritten()
    {
        var dossier = await DossierAsync();
        var ledger = new ClockLedger(DeadlineRule.WorkingDays(3));
        ledger.Start(At("2026-03-02T07:00"), "A", 1);
        ledger.HandOver(At("2026-03-03T07:00"), "B", 2);
        await SaveAsync(dossier, ledger);

        // A forged history that moves the first segment: the stored one stays.
        var forged = new ClockLedger(DeadlineRule.WorkingDays(3));
        forged.Start(At("2026-03-01T07:00"), "A", 1);
        forged.HandOver(At("2026-03-03T07:00"), "B", 2);
        await SaveAsync(dossier, forged);

        await using var conn = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(At("2026-03-02T07:00"), (await ClockLedgerStore.LoadAsync(conn, dossier))[0].Start);
    }

    [Fact]
    public async Task The_database_keeps_one_extension_per_dossier()
    {
        var dossier = await DossierAsync();
        var extension = new Extension(At("2026-03-11T10:00"), At("2026-03-20T17:00"), "Xác minh thực địa", true);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await ClockLedgerStore.SaveExtensionAsync(conn, tx, dossier, extension, "lanh-dao");
            await tx.CommitAsync();
        }
        Assert.Equal(extension, await ClockLedgerStore.LoadExtensionAsync(conn, dossier));

        await using var second = await conn.BeginTransactionAsync();
        var error = await Assert.ThrowsAsync<DeadlineException>(() =>
            ClockLedgerStore.SaveExtensionAsync(conn, second, dossier, extension with { NewDue = At("2026-03-27T17:00") }, "lanh-dao"));
        Assert.Contains("chỉ được hẹn lại một lần", error.Message);
    }

    async Task SaveAsync(Guid dossier, ClockLedger ledger)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await ClockLedgerStore.SaveAsync(conn, tx, dossier, ledger.Segments, "tester");
        await tx.CommitAsync();
    }
}
