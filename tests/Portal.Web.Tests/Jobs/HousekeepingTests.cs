using Dapper;
using Portal.Core.BackOffice;
using Portal.Core.Documents;
using Portal.Tests.Shared;
using Portal.Web.Tests.BackOffice;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Jobs;

// A database of their own: the purge looks at every stored file of the database, and the roll-up at every dossier.
[CollectionDefinition("housekeeping")]
public sealed class HousekeepingCollection : ICollectionFixture<PostgresFixture>;

[Collection("housekeeping")]
public sealed class HousekeepingTests(PostgresFixture db)
{
    static readonly DateTimeOffset Night = new(2026, 11, 25, 2, 30, 0, TimeSpan.FromHours(7));

    [Fact]
    public async Task Files_nothing_refers_to_are_purged_after_the_grace_period_and_referenced_ones_are_kept()
    {
        var w = await BackOfficeWorld.CreateAsync(db);
        var code = await w.SubmittedAsync();                               // its documents refer to their stored files
        var files = new FileStore(w.Citizens.FilesRoot);
        var referenced = await w.ScalarAsync<string>("""
            SELECT f.sha256 FROM portal.dossier_files f JOIN portal.dossiers d ON d.id = f.dossier_id WHERE d.code = @code LIMIT 1
            """, new { code });
        var orphan = await SaveAsync(files, "tệp tải lên bị bỏ dở", recordAt: w.Clock.Now);
        var young = await SaveAsync(files, "tệp vừa tải lên", recordAt: Night.AddHours(-1));
        var unrecorded = await SaveAsync(files, "tệp chưa kịp ghi vào cơ sở dữ liệu", recordAt: null);
        File.SetLastWriteTimeUtc(files.PathOf(unrecorded), w.Clock.Now.UtcDateTime);
        var temp = Path.Combine(files.Root, "incoming", "upload-that-died");
        await File.WriteAllTextAsync(temp, "nửa tệp");
        File.SetLastWriteTimeUtc(temp, w.Clock.Now.UtcDateTime);
        w.Clock.Now = Night;
        var housekeeping = new Portal.Core.Housekeeping.Housekeeping(db.DataSource, files, w.Clock);

        var purged = await housekeeping.PurgeOrphanFilesAsync(default);

        Assert.Equal(3, purged);                                            // the orphan, the unrecorded file, the dead temp file
        Assert.False(File.Exists(files.PathOf(orphan)));
        Assert.False(File.Exists(files.PathOf(unrecorded)));
        Assert.False(File.Exists(temp));
        Assert.True(File.Exists(files.PathOf(referenced)));
        Assert.True(File.Exists(files.PathOf(young)));                      // inside its grace period
        Assert.Equal(0, await w.ScalarAsync<int>("SELECT count(*) FROM portal.stored_files WHERE sha256 = @orphan", new { orphan }));
        Assert.Equal(1, await w.ScalarAsync<int>("SELECT count(*) FROM portal.stored_files WHERE sha256 = @referenced", new { referenced }));
        Assert.Equal(0, await housekeeping.PurgeOrphanFilesAsync(default));  // nothing left to do
    }

    async Task<string> SaveAsync(FileStore files, string text, DateTimeOffset? recordAt)
    {
        var saved = (StoreOutcome.Saved)await files.SaveAsync(new MemoryStream(TestPdfs.OnePage(text)), 1 << 20, default);
        if (recordAt is { } at)
        {
            await using var conn = await db.DataSource.OpenConnectionAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await FileStore.RecordAsync(conn, tx, saved.File, at);
            await tx.CommitAsync();
        }
        return saved.File.Sha256;
    }

    [Fact]
    public async Task The_statistics_roll_up_counts_each_day_s_received_refused_finished_and_returned_dossiers_by_class()
    {
        var w = await BackOfficeWorld.CreateAsync(db);
        var codes = new List<string>();
        for (var i = 0; i < 6; i++) codes.Add(await w.SubmittedAsync());
        foreach (var c in codes.Take(5)) await w.DoAsync("A:receiving-officer", c, "receive");
        await w.DoAsync("A:receiving-officer", codes[5], "refuse", new ActionInput { Reason = "Hồ sơ không thuộc thẩm quyền" });

        // The outcomes the roll-up must tell apart, written onto real dossiers: due Thursday 26/11 17:00.
        var due = new DateTimeOffset(2026, 11, 26, 17, 0, 0, TimeSpan.FromHours(7));
        async Task Finish(string code, DateTimeOffset finished, DateTimeOffset? original = null, DateTimeOffset? returned = null) =>
            await (await db.DataSource.OpenConnectionAsync()).ExecuteAsync("""
                UPDATE portal.dossiers SET status = 9, due_at = @due, original_due_at = @original, finished_at = @finished, returned_at = @returned
                 WHERE code = @code
                """, new { code, due = due.UtcDateTime, original = (original ?? due).UtcDateTime, finished = finished.UtcDateTime, returned = returned?.UtcDateTime });
        await Finish(codes[0], due.AddDays(-1), returned: due.AddDays(-1).AddHours(1));   // Wednesday: early, returned the same day
        await Finish(codes[1], due.AddHours(-2));                                          // Thursday 15:00: on time
        await Finish(codes[2], due.AddHours(-2), original: due.AddDays(-1));               // on time against the apology's date, late against the original
        await Finish(codes[3], due.AddDays(1));                                            // Friday: late
        await Finish(codes[4], due.AddHours(-3));                                          // on time by the clock, but supplemented twice in processing
        await using (var conn = await db.DataSource.OpenConnectionAsync())
            await conn.ExecuteAsync("""
                INSERT INTO portal.supplement_requests (dossier_id, requested_at, requested_by, at_reception, items, answered_at)
                SELECT id, now(), 'staff:kiemthu', false, '[{"item": "x", "reason": "y"}]', now() FROM portal.dossiers, generate_series(1, 2) WHERE code = @code
                """, new { code = codes[4] });
        w.Clock.Now = new DateTimeOffset(2026, 11, 28, 1, 15, 0, TimeSpan.FromHours(7));
        var housekeeping = new Portal.Core.Housekeeping.Housekeeping(db.DataSource, new FileStore(w.Citizens.FilesRoot), w.Clock);

        Assert.True(await housekeeping.RollUpStatisticsAsync(default) > 0);
        var firstRun = await RowsAsync(w.A);
        await housekeeping.RollUpStatisticsAsync(default);                                  // idempotent

        Assert.Equal(firstRun, await RowsAsync(w.A));
        var byDay = firstRun.ToDictionary(r => r.Day);
        var received = byDay[new DateOnly(2026, 11, 23)];
        Assert.Equal((5, 1), (received.Received, received.Refused));
        Assert.Equal((1, 0, 0, 1), (byDay[new DateOnly(2026, 11, 25)].Early, byDay[new DateOnly(2026, 11, 25)].OnTime,
            byDay[new DateOnly(2026, 11, 25)].Late, byDay[new DateOnly(2026, 11, 25)].Returned));
        var thursday = byDay[new DateOnly(2026, 11, 26)];
        Assert.Equal((0, 2, 0, 1, 1), (thursday.Early, thursday.OnTime, thursday.Late, thursday.LateOriginal, thursday.Late766));
        Assert.Equal((1, 1), (byDay[new DateOnly(2026, 11, 27)].Late, byDay[new DateOnly(2026, 11, 27)].LateOriginal));
    }

    sealed record DayRow(DateOnly Day, int Received, int Refused, int Early, int OnTime, int Late, int LateOriginal, int Late766, int Returned);

    async Task<List<DayRow>> RowsAsync(string agencyCode)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        return (await conn.QueryAsync<(DateTime Day, int Received, int Refused, int Early, int OnTime, int Late, int LateOriginal, int Late766, int Returned)>("""
            SELECT s.day, sum(received)::int, sum(refused)::int, sum(finished_early)::int, sum(finished_on_time)::int, sum(finished_late)::int,
                   sum(finished_late_original)::int, sum(finished_late_766)::int, sum(returned)::int
              FROM portal.stats_daily s JOIN portal.agency a ON a.id = s.agency_id
             WHERE a.code = @agencyCode GROUP BY s.day ORDER BY s.day
            """, new { agencyCode }))
            .Select(r => new DayRow(DateOnly.FromDateTime(r.Day), r.Received, r.Refused, r.Early, r.OnTime, r.Late, r.LateOriginal, r.Late766, r.Returned))
            .ToList();
    }
}
