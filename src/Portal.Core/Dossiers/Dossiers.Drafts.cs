using Dapper;
using Portal.Core.Deadlines;
using Portal.Core.Notifications;

namespace Portal.Core.Dossiers;

public sealed partial class Dossiers
{
    // Drafts about to expire whose owner has an e-mail and has not been reminded since the last change. SKIP LOCKED
    // lets two nodes run this at once and split the rows instead of reminding twice.
    const string ExpiringSql = """
        SELECT d.id, d.expires_at, v.name AS procedure_name, p.code AS procedure_code, coalesce(nullif(d.answers #>> '{applicant,email}', ''), a.email) AS email
          FROM portal.dossiers d
          JOIN portal.applicants a ON a.id = d.applicant_id
          JOIN portal.procedure p ON p.id = d.procedure_id
          JOIN portal.procedure_version v ON v.id = d.version_id
         WHERE d.status = 0 AND d.expiry_reminded_at IS NULL AND d.expires_at <= @horizon AND d.expires_at > @now
         ORDER BY d.expires_at
         LIMIT @batch
           FOR UPDATE OF d SKIP LOCKED
        """;

    /// <summary>
    /// Writes one reminder to the outbox for each draft that expires within <paramref name="ahead"/> (UX.md §2.8:
    /// drafts are kept for a stated time, with a reminder). A later save clears the mark, so a draft that is
    /// touched and then left again is reminded again. Returns the number of reminders written.
    /// </summary>
    public async Task<int> RemindExpiringDraftsAsync(TimeSpan ahead, string portalBaseUrl, CancellationToken ct, int batch = 500)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var rows = (await conn.QueryAsync<(Guid Id, DateTimeOffset ExpiresAt, string ProcedureName, string ProcedureCode, string? Email)>(
            new CommandDefinition(ExpiringSql, new { now, horizon = now + ahead, batch }, tx, cancellationToken: ct))).ToList();
        foreach (var row in rows)
        {
            if (row.Email is { Length: > 0 } email)
            {
                var link = $"{portalBaseUrl.TrimEnd('/')}/nop-ho-so/{row.ProcedureCode}/{row.Id}";
                await Outbox.EnqueueAsync(conn, tx, new OutboxMessage("draft-expiring", email,
                    $"Hồ sơ nháp \"{row.ProcedureName}\" sẽ bị xóa ngày {LegalTime.Local(row.ExpiresAt):dd/MM/yyyy}",
                    $"""
                    Hồ sơ nháp "{row.ProcedureName}" của bạn chưa được gửi và sẽ bị xóa lúc {LegalTime.Local(row.ExpiresAt):HH:mm dd/MM/yyyy}.
                    Tiếp tục và gửi hồ sơ: {link}
                    Mỗi lần bạn sửa hồ sơ, thời hạn lưu được tính lại.
                    """)
                {
                    DossierId = row.Id,
                    Data = new Dictionary<string, string> { ["procedure"] = row.ProcedureName, ["expiresAt"] = row.ExpiresAt.ToString("O"), ["link"] = link },
                }, now);
            }
            await conn.ExecuteAsync(new CommandDefinition("UPDATE portal.dossiers SET expiry_reminded_at = @now WHERE id = @Id",
                new { now, row.Id }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return rows.Count(r => r.Email is { Length: > 0 });
    }

    // Outbox rows and files of an expired draft go with it; the stored bytes stay for housekeeping (another dossier
    // may hold the same content).
    const string ExpireSql = """
        WITH expired AS (
            SELECT id FROM portal.dossiers WHERE status = 0 AND expires_at <= @now ORDER BY expires_at LIMIT @batch FOR UPDATE SKIP LOCKED
        ), files AS (
            DELETE FROM portal.dossier_files WHERE dossier_id IN (SELECT id FROM expired)
        ), mail AS (
            UPDATE portal.outbox_messages SET dossier_id = NULL WHERE dossier_id IN (SELECT id FROM expired)
        )
        DELETE FROM portal.dossiers WHERE id IN (SELECT id FROM expired)
        """;

    /// <summary>Deletes drafts past their expiry; returns how many.</summary>
    public async Task<int> ExpireDraftsAsync(CancellationToken ct, int batch = 500)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(ExpireSql, new { now = clock.GetUtcNow(), batch }, cancellationToken: ct));
    }
}
