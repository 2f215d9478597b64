using Dapper;
using Npgsql;
using Portal.Core.Documents;

namespace Portal.Core.Housekeeping;

/// <summary>
/// Night work that keeps the database and the file store tidy (issue 7, housekeeping): stored files nothing refers to,
/// and the daily statistics roll-up. Both are idempotent, so a run cut off by a dead node is simply run again.
/// </summary>
public sealed class Housekeeping(NpgsqlDataSource db, FileStore files, TimeProvider clock)
{
    /// <summary>How long an unreferenced file is kept: an upload is saved before the row that refers to it is written.</summary>
    public TimeSpan OrphanGrace { get; init; } = TimeSpan.FromHours(24);

    // Night work reads whole windows of the dossiers; the driver's 30-second default is for requests, not for these.
    const int NightTimeoutSeconds = 1800;

    /// <summary>Days recomputed by each roll-up: a dossier received today may finish or be returned weeks later.</summary>
    public int StatisticsWindowDays { get; init; } = 62;

    // Every column that refers to a stored file does so through a foreign key to portal.stored_files (dossier files,
    // forms, results, and whatever later issues add). Reading them from the catalogue means a new table with such a
    // key protects its files without this code knowing it; identifiers come from pg_constraint, never from input.
    const string ReferencesSql = """
        SELECT format('%I.%I', n.nspname, t.relname) AS tbl, a.attname AS col
          FROM pg_constraint c
          JOIN pg_class t ON t.oid = c.conrelid
          JOIN pg_namespace n ON n.oid = t.relnamespace
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         WHERE c.contype = 'f' AND c.confrelid = 'portal.stored_files'::regclass AND cardinality(c.conkey) = 1
         ORDER BY 1, 2
        """;

    /// <summary>
    /// Deletes stored files older than <see cref="OrphanGrace"/> that no row refers to — the bytes of failed or
    /// abandoned uploads, of drafts that expired — and files in the store's folders that have no row at all (a
    /// process that died between writing the bytes and recording them). Returns how many files were removed.
    /// </summary>
    public async Task<int> PurgeOrphanFilesAsync(CancellationToken ct, int batch = 1000)
    {
        var before = clock.GetUtcNow() - OrphanGrace;
        await using var conn = await db.OpenConnectionAsync(ct);
        var references = (await conn.QueryAsync<(string Table, string Column)>(new CommandDefinition(ReferencesSql, cancellationToken: ct))).ToList();
        var unreferenced = string.Join("\n", references.Select(r =>
            $"AND NOT EXISTS (SELECT 1 FROM {r.Table} x WHERE x.{Quote(r.Column)} = f.sha256)"));
        // FOR UPDATE on the stored_files row: a concurrent insert referring to it waits for the delete and then fails
        // on its foreign key, so a file is never deleted from under a row that was just written.
        var sql = $"""
            DELETE FROM portal.stored_files
             WHERE sha256 IN (SELECT f.sha256 FROM portal.stored_files f
                               WHERE f.created_at < @before
                               {unreferenced}
                               LIMIT @batch FOR UPDATE SKIP LOCKED)
            RETURNING sha256
            """;
        var removed = 0;
        while (true)
        {
            var gone = (await conn.QueryAsync<string>(new CommandDefinition(sql, new { before = before.UtcDateTime, batch },
                commandTimeout: NightTimeoutSeconds, cancellationToken: ct))).ToList();
            foreach (var sha in gone) removed += DeleteFile(files.PathOf(sha)) ? 1 : 0;
            if (gone.Count < batch) break;
        }
        return removed + await PurgeUnrecordedAsync(conn, before, ct);
    }

    static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    // Files on disk without a row: written by SaveAsync, never recorded (the upload was refused after saving, or the
    // process died). Only names that look like our content addresses, only older than the grace period.
    async Task<int> PurgeUnrecordedAsync(NpgsqlConnection conn, DateTimeOffset before, CancellationToken ct)
    {
        if (!Directory.Exists(files.Root)) return 0;
        var removed = 0;
        var candidates = new List<string>();
        foreach (var path in Directory.EnumerateFiles(files.Root, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(path);
            var inIncoming = Path.GetFileName(Path.GetDirectoryName(path)) == "incoming";
            if (File.GetLastWriteTimeUtc(path) >= before.UtcDateTime) continue;
            if (inIncoming) { removed += DeleteFile(path) ? 1 : 0; continue; }    // a temp file whose upload never finished
            if (name.Length == 64 && name.All(Uri.IsHexDigit)) candidates.Add(name);
            if (candidates.Count >= 1000) { removed += await DeleteUnrecordedAsync(conn, candidates, ct); candidates.Clear(); }
        }
        return removed + await DeleteUnrecordedAsync(conn, candidates, ct);
    }

    async Task<int> DeleteUnrecordedAsync(NpgsqlConnection conn, List<string> names, CancellationToken ct)
    {
        if (names.Count == 0) return 0;
        var known = (await conn.QueryAsync<string>(new CommandDefinition(
            "SELECT sha256 FROM portal.stored_files WHERE sha256 = ANY(@names)", new { names = names.ToArray() }, cancellationToken: ct))).ToHashSet();
        return names.Where(n => !known.Contains(n)).Count(n => DeleteFile(files.PathOf(n)));
    }

    static bool DeleteFile(string path)
    {
        try
        {
            if (!File.Exists(path)) return false;
            File.Delete(path);
            return true;
        }
        catch (IOException) { return false; }              // gone already, or held open: the next night tries again
        catch (UnauthorizedAccessException) { return false; }
    }

    // One statement recomputes the window: per Vietnam day, receiving agency, procedure and channel, what was received,
    // refused, finished (early / on time / late, against the current and the original appointment, and the 766 rule)
    // and returned. The window's rows are deleted first, so a row whose dossiers moved away (a draft that expired, a
    // corrected date) disappears instead of keeping its old count.
    const string RollUpSql = """
        WITH supplemented_twice AS (           -- the 766 rule: more than one supplement request during processing
            SELECT dossier_id FROM portal.supplement_requests WHERE NOT at_reception GROUP BY dossier_id HAVING count(*) > 1
        ), events AS (
            SELECT (d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day, d.receiving_agency_id AS agency_id, d.procedure_id, d.channel,
                   1 AS received, 0 AS refused, 0 AS early, 0 AS on_time, 0 AS late, 0 AS late_original, 0 AS late_766, 0 AS returned
              FROM portal.dossiers d
             WHERE d.received_at >= @fromInstant AND d.received_at < @toInstant
            UNION ALL
            SELECT (h.at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, d.receiving_agency_id, d.procedure_id, d.channel, 0, 1, 0, 0, 0, 0, 0, 0
              FROM portal.dossier_history h
              JOIN portal.dossiers d ON d.id = h.dossier_id
             WHERE h.to_status = 3 AND h.at >= @fromInstant AND h.at < @toInstant
            UNION ALL
            SELECT (d.finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, d.receiving_agency_id, d.procedure_id, d.channel, 0, 0,
                   (c.early AND NOT c.late_766)::int, (NOT c.early AND NOT c.late AND NOT c.late_766)::int, c.late::int,
                   (d.finished_at > coalesce(d.original_due_at, d.due_at))::int, (NOT c.late AND c.late_766)::int, 0
              FROM portal.dossiers d
              CROSS JOIN LATERAL (
                  SELECT (d.finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date < (d.due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS early,
                         d.finished_at > d.due_at AS late,
                         d.id IN (SELECT dossier_id FROM supplemented_twice) AS late_766
              ) c
             WHERE d.finished_at >= @fromInstant AND d.finished_at < @toInstant AND d.due_at IS NOT NULL
            UNION ALL
            SELECT (d.returned_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, d.receiving_agency_id, d.procedure_id, d.channel, 0, 0, 0, 0, 0, 0, 0, 1
              FROM portal.dossiers d
             WHERE d.returned_at >= @fromInstant AND d.returned_at < @toInstant
        )
        INSERT INTO portal.stats_daily AS s (day, agency_id, procedure_id, channel, received, refused, finished_early, finished_on_time,
                                             finished_late, finished_late_original, finished_late_766, returned, computed_at)
        SELECT day, agency_id, procedure_id, channel, sum(received), sum(refused), sum(early), sum(on_time), sum(late),
               sum(late_original), sum(late_766), sum(returned), @now
          FROM events
         GROUP BY day, agency_id, procedure_id, channel
        """;

    /// <summary>
    /// Recomputes <c>portal.stats_daily</c> for the last <see cref="StatisticsWindowDays"/> Vietnam days up to and
    /// including today, in one transaction (readers see the old numbers or the new, never a half). Returns the rows written.
    /// </summary>
    public async Task<int> RollUpStatisticsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = Deadlines.LegalTime.DateOf(now);
        var from = today.AddDays(-(StatisticsWindowDays - 1));
        var fromInstant = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), Deadlines.LegalTime.Offset);
        var toInstant = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), Deadlines.LegalTime.Offset);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // One roll-up at a time: two nodes recomputing the same window would each delete and insert; the lock makes the
        // second wait and then write the same rows again instead of failing on the primary key.
        await conn.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('portal.stats_daily'))", transaction: tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition("DELETE FROM portal.stats_daily WHERE day BETWEEN @from AND @today",
            new { from, today }, tx, cancellationToken: ct));
        var rows = await conn.ExecuteAsync(new CommandDefinition(RollUpSql, new
        {
            fromInstant = fromInstant.UtcDateTime, toInstant = toInstant.UtcDateTime, now = now.UtcDateTime,
        }, tx, commandTimeout: NightTimeoutSeconds, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return rows;
    }
}
