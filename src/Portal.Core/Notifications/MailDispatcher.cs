using System.Net;
using System.Net.Mail;
using System.Text;
using System.Text.Json;
using Dapper;
using Npgsql;
using Portal.Core.Documents;
using Office = Portal.Core.BackOffice.BackOffice;

namespace Portal.Core.Notifications;

/// <summary>Sent: delivered to the SMTP server (or the pickup directory). Retrying: failed, tried again later. Failed: given up.</summary>
public sealed record MailRun(int Sent, int Retrying, int Failed);

/// <summary>
/// Delivers the outbox (ARCHITECTURE.md, mail; docs/MAIL.md). A batch is claimed in one short statement — status
/// 'sending', one more attempt, a lease — and committed before anything is sent, so no lock is held while SMTP talks.
/// Each message's result is written as soon as it is known: sent, queued again after a back-off, or given up.
/// A worker that dies leaves its unfinished rows 'sending'; when their lease has passed another worker claims them
/// again. That is the only way a message can go out twice (the one being sent when the worker died), and it goes out
/// with the same Message-ID, so receivers can drop the copy.
/// </summary>
public sealed class MailDispatcher(NpgsqlDataSource db, TimeProvider clock, MailSettings settings, Office office, FileStore files)
{
    // A run stops claiming after this long, leaving its Quartz thread to the other jobs; the next firing goes on.
    static readonly TimeSpan RunBudget = TimeSpan.FromMinutes(1);
    const int ErrorLength = 1000;

    public MailSettings Settings => settings;

    public async Task<MailRun> DispatchAsync(CancellationToken ct)
    {
        var tally = new Tally();
        var started = clock.GetTimestamp();
        while (!ct.IsCancellationRequested)
        {
            var batch = await ClaimAsync(ct);
            if (batch.Count == 0) break;
            // SmtpClient sends one message at a time and is not thread-safe: one client per connection, each with its
            // share of the batch.
            var lanes = Math.Clamp(settings.Connections, 1, batch.Count);
            await Task.WhenAll(Enumerable.Range(0, lanes).Select(lane =>
                SendAsync([.. batch.Where((_, i) => i % lanes == lane)], tally, ct)));
            // A batch given back untried (the worker is stopping, or the lease is shorter than a send) ends the run.
            if (batch.Count < settings.BatchSize || tally.Released > 0 || clock.GetElapsedTime(started) > RunBudget) break;
        }
        return new MailRun(tally.Sent, tally.Retrying, tally.Failed);
    }

    sealed class Tally
    {
        public int Sent, Retrying, Failed, Released;
    }

    sealed class Claimed
    {
        public Guid Id { get; init; }
        public string Kind { get; init; } = "";
        public string Recipient { get; init; } = "";
        public string Subject { get; init; } = "";
        public string BodyText { get; init; } = "";
        public string Data { get; init; } = "{}";
        public int Attempts { get; init; }
        public string MessageId { get; init; } = "";
        public DateTimeOffset ClaimedUntil { get; init; }
    }

    // Due: queued and its time has come, or sending with a lease that has passed (its worker died). SKIP LOCKED lets
    // concurrent dispatchers take disjoint batches; a row another dispatcher claimed and committed meanwhile is
    // re-checked against the subquery's WHERE on its new version and dropped. The outer WHERE repeats the test for
    // the row actually updated. The Message-ID is fixed at the first claim and never changes.
    const string ClaimSql = """
        UPDATE portal.outbox_messages m
           SET status = 'sending', attempts = m.attempts + 1, claimed_until = @leaseUntil,
               message_id = coalesce(m.message_id, '<' || m.id::text || '@' || @domain || '>')
          FROM (SELECT id
                  FROM portal.outbox_messages
                 WHERE (status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= @now))
                    OR (status = 'sending' AND claimed_until <= @now)
                 ORDER BY next_attempt_at NULLS FIRST
                 LIMIT @batch
                   FOR UPDATE SKIP LOCKED) due
         WHERE m.id = due.id
           AND ((m.status = 'queued' AND (m.next_attempt_at IS NULL OR m.next_attempt_at <= @now))
             OR (m.status = 'sending' AND m.claimed_until <= @now))
        RETURNING m.id, m.kind, m.recipient, m.subject, m.body_text, m.data::text AS data, m.attempts, m.message_id, m.claimed_until
        """;

    async Task<List<Claimed>> ClaimAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<Claimed>(new CommandDefinition(ClaimSql,
            new { now, leaseUntil = now + settings.Lease, batch = settings.BatchSize, domain = settings.Domain }, cancellationToken: ct))).AsList();
    }

    async Task SendAsync(List<Claimed> lane, Tally tally, CancellationToken ct)
    {
        using var smtp = NewClient();
        foreach (var m in lane)
        {
            // Not started when the lease could run out before the send times out and its result is written (one more
            // timeout of margin): another worker could then claim the row and both would send it.
            if (ct.IsCancellationRequested || clock.GetUtcNow() + 2 * settings.SendTimeout >= m.ClaimedUntil)
            {
                await ReleaseAsync(m);
                Interlocked.Increment(ref tally.Released);
                continue;
            }
            try
            {
                // SmtpClient.Timeout covers only the synchronous Send; the asynchronous one is bounded here, together
                // with drawing the attachments.
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(settings.SendTimeout);
                using var message = await BuildAsync(m, timeout.Token);
                await smtp.SendMailAsync(message, timeout.Token);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await ReleaseAsync(m);
                Interlocked.Increment(ref tally.Released);
                continue;
            }
            catch (Exception e)
            {
                // One message's problem (a missing attachment, a refused recipient, the server down) is recorded on
                // its row and shown to the administrators; it never stops the rest of the batch.
                var (error, permanent) = Describe(e);
                var next = settings.Retry.NextAttempt(m.Attempts, clock.GetUtcNow(), permanent);
                await FailedAsync(m, next, error);
                Interlocked.Increment(ref next is null ? ref tally.Failed : ref tally.Retrying);
                continue;
            }
            await SentAsync(m);
            Interlocked.Increment(ref tally.Sent);
        }
    }

    SmtpClient NewClient()
    {
        if (settings.Host is { Length: > 0 } host)
            return new SmtpClient(host, settings.Port)
            {
                EnableSsl = settings.StartTls,
                // The send is bounded by our cancellation (SendTimeout, see SendAsync); SmtpClient's own timer, which
                // also runs in some stages of the asynchronous send, is only a backstop that must not win the race.
                Timeout = (int)(settings.SendTimeout + TimeSpan.FromSeconds(10)).TotalMilliseconds,
                Credentials = settings.User is { Length: > 0 } user ? new NetworkCredential(user, settings.Password) : null,
            };
        Directory.CreateDirectory(settings.PickupDirectory);
        return new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = settings.PickupDirectory };
    }

    /// <summary>The message as it goes out: rendered now from the row, with its attachments opened from the file store.</summary>
    async Task<MailMessage> BuildAsync(Claimed m, CancellationToken ct)
    {
        MailAddress to;
        try
        {
            to = new MailAddress(m.Recipient);
        }
        catch (FormatException)
        {
            throw new MailProblem($"Địa chỉ người nhận “{m.Recipient}” không hợp lệ; thư không thể gửi được.", permanent: true);
        }
        var data = DataOf(m.Data);
        var attachments = await AttachmentsAsync(data, ct);
        var rendered = MailTemplates.Render(new MailContent(m.Kind, m.Subject, m.BodyText, data), settings,
            [.. attachments.Select(a => a.ContentDisposition!.FileName!)]);
        var message = new MailMessage
        {
            From = new MailAddress(settings.From, settings.FromName, Encoding.UTF8),
            Subject = rendered.Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            Body = rendered.Text,
            BodyEncoding = Encoding.UTF8,
        };
        message.To.Add(to);
        // Checked on the wire (tests/Portal.Web.Tests/Mail): System.Net.Mail sends our Message-ID as given, once.
        message.Headers.Add("Message-ID", m.MessageId);
        message.Headers.Add("Content-Language", "vi");
        message.Headers.Add("Auto-Submitted", "auto-generated");   // RFC 3834: no vacation replies to a no-reply sender
        message.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(rendered.Html, Encoding.UTF8, "text/html"));
        foreach (var a in attachments) message.Attachments.Add(a);
        return message;
    }

    static Dictionary<string, string> DataOf(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.ValueKind != JsonValueKind.Object ? [] : doc.RootElement.EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
    }

    // Outbox data keys agreed between the parts of issue 7: formId (a dossier form, drawn and signed on first use) and
    // fileSha256 + fileName (a file in the store).
    async Task<List<Attachment>> AttachmentsAsync(Dictionary<string, string> data, CancellationToken ct)
    {
        var list = new List<Attachment>();
        try
        {
            if (data.TryGetValue("formId", out var form))
            {
                if (!Guid.TryParse(form, out var formId)) throw new MailProblem($"Mã biểu mẫu đính kèm “{form}” không hợp lệ.");
                await using var conn = await db.OpenConnectionAsync(ct);
                var f = await conn.QuerySingleOrDefaultAsync<(string Kind, string Code)?>(new CommandDefinition(FormSql, new { formId }, cancellationToken: ct))
                    ?? throw new MailProblem($"Không tìm thấy biểu mẫu đính kèm {formId}.");
                var sha = await office.FormFileAsync(formId, ct) ?? throw new MailProblem($"Không tìm thấy biểu mẫu đính kèm {formId}.");
                list.Add(Open(sha, FormFileName(f.Kind, f.Code), "application/pdf"));
            }
            if (data.TryGetValue("fileSha256", out var fileSha))
            {
                var name = data.GetValueOrDefault("fileName") is { Length: > 0 } n ? n : "tep-dinh-kem";
                await using var conn = await db.OpenConnectionAsync(ct);
                var media = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
                    "SELECT media_type FROM portal.stored_files WHERE sha256 = @fileSha", new { fileSha }, cancellationToken: ct));
                list.Add(Open(fileSha, name, media ?? "application/octet-stream"));
            }
            return list;
        }
        catch
        {
            foreach (var a in list) a.Dispose();
            throw;
        }
    }

    const string FormSql = "SELECT f.kind, d.code FROM portal.dossier_forms f JOIN portal.dossiers d ON d.id = f.dossier_id WHERE f.id = @formId";

    Attachment Open(string sha256, string name, string mediaType)
    {
        Stream content;
        try
        {
            content = files.OpenRead(sha256);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or ArgumentException)
        {
            throw new MailProblem($"Thiếu tệp đính kèm “{name}” (SHA-256 {sha256}) trong kho tệp.");
        }
        var attachment = new Attachment(content, name, mediaType) { NameEncoding = Encoding.UTF8 };
        attachment.ContentDisposition!.FileName = name;   // without it the part says "attachment" but carries no file name
        return attachment;
    }

    static string FormFileName(string kind, string code) => kind switch
    {
        "receipt" => $"giay-tiep-nhan-hen-tra-ket-qua-{code}.pdf",
        "supplement" => $"phieu-yeu-cau-bo-sung-{code}.pdf",
        "refusal" => $"phieu-tu-choi-tiep-nhan-{code}.pdf",
        "apology" => $"phieu-xin-loi-hen-lai-{code}.pdf",
        "stop" => $"thong-bao-dung-giai-quyet-{code}.pdf",
        _ => $"{kind}-{code}.pdf",
    };

    /// <summary>A problem of one message, said in words an administrator can act on.</summary>
    sealed class MailProblem(string message, bool permanent = false) : Exception(message)
    {
        public bool Permanent { get; } = permanent;
    }

    (string Error, bool Permanent) Describe(Exception e)
    {
        var (error, permanent) = e switch
        {
            MailProblem p => (p.Message, p.Permanent),
            // 5xx for one recipient (550 no such mailbox, 553 bad address) will not change by waiting; a 5xx for the
            // whole transaction might be our own configuration (530/535 authentication), so that one is retried.
            SmtpFailedRecipientException r => ($"Máy chủ thư từ chối người nhận ({(int)r.StatusCode}): {Chain(r)}", (int)r.StatusCode >= 500),
            // Our send timeout cancels SmtpClient; depending on the stage it was in, it throws the cancellation itself
            // or wraps it in "Failure sending mail". Both are the server not answering in time.
            SmtpException s when settings.Host is { Length: > 0 } host && TimedOut(s) =>
                ($"Quá {settings.SendTimeout.TotalSeconds:0} giây mà chưa gửi xong thư (máy chủ SMTP {host}:{settings.Port} không trả lời).", false),
            SmtpException s when settings.Host is { Length: > 0 } host =>
                ($"Không gửi được qua máy chủ SMTP {host}:{settings.Port} ({(int)s.StatusCode}): {Chain(s)}", false),
            SmtpException s => ($"Không ghi được thư vào thư mục {settings.PickupDirectory}: {Chain(s)}", false),
            OperationCanceledException when settings.Host is { Length: > 0 } host =>
                ($"Quá {settings.SendTimeout.TotalSeconds:0} giây mà chưa gửi xong thư (máy chủ SMTP {host}:{settings.Port} không trả lời).", false),
            OperationCanceledException => ($"Quá {settings.SendTimeout.TotalSeconds:0} giây mà chưa ghi xong thư vào thư mục {settings.PickupDirectory}.", false),
            _ => ($"Lỗi khi chuẩn bị thư: {Chain(e)}", false),
        };
        return (error.Length > ErrorLength ? error[..ErrorLength] : error, permanent);
    }

    static bool TimedOut(Exception e)
    {
        for (var x = e.InnerException; x is not null; x = x.InnerException)
            if (x is OperationCanceledException or TimeoutException) return true;
        return false;
    }

    static string Chain(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException) parts.Add(x.Message);
        return string.Join(" — ", parts.Distinct());
    }

    const string SentSql = """
        UPDATE portal.outbox_messages
           SET status = 'sent', sent_at = @now, claimed_until = NULL, next_attempt_at = NULL
         WHERE id = @Id AND status = 'sending'
        """;

    // Guarded by the attempt number: if this worker's lease was lost and another worker claimed the row, the other
    // worker's result stands.
    const string FailedSql = """
        UPDATE portal.outbox_messages
           SET status = CASE WHEN @next::timestamptz IS NULL THEN 'failed' ELSE 'queued' END,
               next_attempt_at = @next, last_error = @error, claimed_until = NULL
         WHERE id = @Id AND status = 'sending' AND attempts = @Attempts
        """;

    // Not tried (lease too short, or the worker is stopping): back in the queue, the attempt not counted.
    const string ReleaseSql = """
        UPDATE portal.outbox_messages
           SET status = 'queued', attempts = attempts - 1, claimed_until = NULL
         WHERE id = @Id AND status = 'sending' AND attempts = @Attempts
        """;

    // The result is written even when the run is being cancelled: the message has gone out.
    async Task SentAsync(Claimed m)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync(SentSql, new { m.Id, now = clock.GetUtcNow() });
    }

    async Task FailedAsync(Claimed m, DateTimeOffset? next, string error)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync(FailedSql, new { m.Id, m.Attempts, next = next?.ToUniversalTime(), error });
    }

    async Task ReleaseAsync(Claimed m)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync(ReleaseSql, new { m.Id, m.Attempts });
    }

    const string RequeueSql = """
        UPDATE portal.outbox_messages
           SET status = 'queued', attempts = 0, next_attempt_at = NULL, requeued_at = @now, requeued_by = @actor
         WHERE id = @id AND status = 'failed'
        """;

    /// <summary>
    /// An administrator's "Gửi lại" for a message that was given up: queued again with a fresh series of attempts.
    /// False when the message is not (or no longer) given up.
    /// </summary>
    public async Task<bool> RequeueAsync(Guid id, string actor, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(RequeueSql, new { id, actor, now = clock.GetUtcNow() }, cancellationToken: ct)) == 1;
    }
}
