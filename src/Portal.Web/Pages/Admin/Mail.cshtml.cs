using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using Portal.Core.Notifications;

namespace Portal.Web.Pages.Admin;

// /quan-tri/thu-dien-tu: the mail queue for administrators (docs/MAIL.md) — how many messages wait, are being sent,
// were sent in the last day or were given up; the given-up ones with their last error and a "Gửi lại" each, and the
// ones waiting for another attempt. Administrators only (the /Admin folder).
public sealed class MailModel(NpgsqlDataSource db, MailDispatcher mail, TimeProvider clock) : PageModel
{
    const int Shown = 100;

    [BindProperty(SupportsGet = true, Name = "da-gui-lai")] public string? Requeued { get; set; }
    [BindProperty] public Guid? Id { get; set; }

    public Counts Count { get; private set; } = new();
    public IReadOnlyList<Row> Failed { get; private set; } = [];
    public IReadOnlyList<Row> Retrying { get; private set; } = [];
    public MailSettings Settings => mail.Settings;
    public List<(string Field, string Message)> Errors { get; } = [];

    public sealed class Counts
    {
        public long Queued { get; init; }
        public long Retrying { get; init; }
        public long Sending { get; init; }
        public long Failed { get; init; }
        public long SentToday { get; init; }
    }

    public sealed class Row
    {
        public Guid Id { get; init; }
        public string Recipient { get; init; } = "";
        public string Subject { get; init; } = "";
        public string Kind { get; init; } = "";
        public string? DossierCode { get; init; }
        public int Attempts { get; init; }
        public string? LastError { get; init; }
        public DateTimeOffset? NextAttemptAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? RequeuedAt { get; init; }
        public string? RequeuedBy { get; init; }
    }

    // The counts read only the partial indexes of 0014 (queued/sending, failed, sent by time): sent rows pile up.
    const string PageSql = """
        SELECT count(*) FILTER (WHERE status = 'queued' AND attempts = 0) AS queued,
               count(*) FILTER (WHERE status = 'queued' AND attempts > 0) AS retrying,
               count(*) FILTER (WHERE status = 'sending') AS sending,
               (SELECT count(*) FROM portal.outbox_messages WHERE status = 'failed') AS failed,
               (SELECT count(*) FROM portal.outbox_messages WHERE status = 'sent' AND sent_at >= @since) AS sent_today
          FROM portal.outbox_messages
         WHERE status IN ('queued', 'sending');
        SELECT m.id, m.recipient, m.subject, m.kind, d.code AS dossier_code, m.attempts, m.last_error, m.next_attempt_at,
               m.created_at, m.requeued_at, m.requeued_by
          FROM portal.outbox_messages m
          LEFT JOIN portal.dossiers d ON d.id = m.dossier_id
         WHERE m.status = 'failed'
         ORDER BY m.created_at DESC
         LIMIT @shown;
        SELECT m.id, m.recipient, m.subject, m.kind, d.code AS dossier_code, m.attempts, m.last_error, m.next_attempt_at,
               m.created_at, m.requeued_at, m.requeued_by
          FROM portal.outbox_messages m
          LEFT JOIN portal.dossiers d ON d.id = m.dossier_id
         WHERE m.status = 'queued' AND m.attempts > 0
         ORDER BY m.next_attempt_at
         LIMIT @shown;
        """;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostRequeueAsync(CancellationToken ct)
    {
        if (Id is { } id && await mail.RequeueAsync(id, StaffAuth.Actor(User), ct)) return Redirect("/quan-tri/thu-dien-tu?da-gui-lai=1");
        Errors.Add(("that-bai", "Thư này không còn ở danh sách gửi không được (có thể vừa được người khác gửi lại). Danh sách dưới đây là tình hình mới nhất."));
        await LoadAsync(ct);
        return Page();
    }

    async Task LoadAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(PageSql,
            new { since = clock.GetUtcNow().AddDays(-1), shown = Shown }, cancellationToken: ct));
        Count = await grid.ReadSingleAsync<Counts>();
        Failed = (await grid.ReadAsync<Row>()).AsList();
        Retrying = (await grid.ReadAsync<Row>()).AsList();
    }
}
