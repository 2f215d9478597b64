using System.Text.Json;
using Dapper;
using Npgsql;
using Portal.Core.Catalogue;
using Portal.Core.Deadlines;
using Portal.Core.Notifications;

namespace Portal.Core.Dossiers;

/// <summary>One item of a supplement request: the document it concerns (if one of the procedure's), what, and why.</summary>
public sealed record SupplementItem(short? LineNo, string Name, string Reason);

public sealed record SupplementRequest
{
    public Guid Id { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public bool AtReception { get; init; }
    public IReadOnlyList<SupplementItem> Items { get; init; } = [];
    public string? Note { get; init; }
    public DateTimeOffset? AnsweredAt { get; init; }
}

/// <summary>An action refused because the dossier is not in a state that allows it; the message says what to do.</summary>
public sealed record ActionRefused(string Message);

public sealed partial class Dossiers
{
    static readonly JsonSerializerOptions ItemsJson = new(JsonSerializerDefaults.Web);

    /// <summary>The statuses from which the applicant may ask to withdraw (DOMAIN.md §3.4; also 1, see the issue notes).</summary>
    public static bool CanWithdraw(short status) => status is DossierStatus.Submitted or DossierStatus.Received or DossierStatus.Processing
        or DossierStatus.AwaitingSupplement or DossierStatus.AwaitingPayment;

    sealed record RequestRow
    {
        public Guid Id { get; init; }
        public DateTimeOffset RequestedAt { get; init; }
        public bool AtReception { get; init; }
        public string Items { get; init; } = "[]";
        public string? Note { get; init; }
        public DateTimeOffset? AnsweredAt { get; init; }
    }

    const string RequestsSelect = """
        SELECT id, requested_at, at_reception, items::text AS items, note, answered_at FROM portal.supplement_requests
        """;

    const string RequestsSql = RequestsSelect + " WHERE dossier_id = @dossierId ORDER BY requested_at";

    /// <summary>Every supplement request of a dossier, the open one last.</summary>
    public async Task<IReadOnlyList<SupplementRequest>> RequestsAsync(Guid dossierId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<RequestRow>(new CommandDefinition(RequestsSql, new { dossierId }, cancellationToken: ct));
        return [.. rows.Select(Request)];
    }

    static SupplementRequest Request(RequestRow r) => new()
    {
        Id = r.Id, RequestedAt = r.RequestedAt, AtReception = r.AtReception, Note = r.Note, AnsweredAt = r.AnsweredAt,
        Items = JsonSerializer.Deserialize<List<SupplementItem>>(r.Items, ItemsJson) ?? [],
    };

    async Task<ClockLedger> LedgerAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid dossierId, Guid versionId, CancellationToken ct)
    {
        var time = await conn.QuerySingleAsync<ProcessingTime>(
            new CommandDefinition(RuleSql, new { versionId }, tx, cancellationToken: ct));
        var rule = time.ToRule();
        return new ClockLedger(rule, null, await ClockLedgerStore.LoadAsync(conn, dossierId, tx));
    }

    static Task HistoryAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, DateTimeOffset at, string action, short from, short to,
        string actor, string? agencyCode, string? note) =>
        BackOffice.BackOffice.HistoryAsync(conn, tx, id, at, actor, new(action, from, to, agencyCode, note), CancellationToken.None);

    const string StatusSql = """
        UPDATE portal.dossiers SET status = @status, sub_state = @subState, due_at = @due, updated_at = @now, row_version = row_version + 1
         WHERE id = @id
        """;

    /// <summary>
    /// Asks the applicant for every missing or incorrect item at once (R-C1, §4.3). At reception (status 1) the dossier
    /// waits without counting against the agency; in processing (2, 4) the clock stops and the request counts for the
    /// 766 index (R-E4). The back office calls this; the applicant is told by e-mail.
    /// </summary>
    public async Task<ActionRefused?> RequestSupplementAsync(Guid dossierId, IReadOnlyList<SupplementItem> items, string? note, string actor, CancellationToken ct)
    {
        if (items.Count == 0 || items.Any(i => string.IsNullOrWhiteSpace(i.Name) || string.IsNullOrWhiteSpace(i.Reason)))
            return new ActionRefused("Liệt kê mọi giấy tờ cần bổ sung, mỗi giấy tờ kèm lý do.");
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var d = await conn.QuerySingleOrDefaultAsync<(short Status, Guid VersionId, string Code, string? Email, string AgencyCode)?>(new CommandDefinition("""
            SELECT d.status, d.version_id, d.code, nullif(d.answers #>> '{applicant,email}', ''), a.code
              FROM portal.dossiers d JOIN portal.agency a ON a.id = d.receiving_agency_id
             WHERE d.id = @dossierId FOR UPDATE OF d
            """, new { dossierId }, tx, cancellationToken: ct));
        if (d is not { } dossier) return new ActionRefused("Không có hồ sơ này.");
        if (dossier.Status is not (DossierStatus.Submitted or DossierStatus.Received or DossierStatus.Processing))
            return new ActionRefused($"Hồ sơ đang ở trạng thái “{DossierStatus.Name(dossier.Status)}”, không thể yêu cầu bổ sung.");
        var atReception = dossier.Status == DossierStatus.Submitted;
        var ledger = await LedgerAsync(conn, tx, dossierId, dossier.VersionId, ct);
        if (ledger.IsRunning) ledger.Stop(now, atReception ? ClockCause.WaitingForCitizen : ClockCause.SupplementRequested);
        await ClockLedgerStore.SaveAsync(conn, tx, dossierId, ledger.Segments, actor);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO portal.supplement_requests (dossier_id, requested_at, requested_by, at_reception, items, note)
            VALUES (@dossierId, @now, @actor, @atReception, @items::jsonb, @note)
            """, new { dossierId, now, actor, atReception, items = JsonSerializer.Serialize(items, ItemsJson), note }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(StatusSql, new
        {
            id = dossierId, status = DossierStatus.AwaitingSupplement, subState = atReception ? "5.at_reception" : "5.in_processing",
            due = (DateTimeOffset?)null, now,
        }, tx, cancellationToken: ct));
        await HistoryAsync(conn, tx, dossierId, now, "request-supplement", dossier.Status, DossierStatus.AwaitingSupplement, actor, dossier.AgencyCode,
            string.Join("; ", items.Select(i => $"{i.Name}: {i.Reason}")));
        if (dossier.Email is { } email)
            await Outbox.EnqueueAsync(conn, tx, new OutboxMessage("supplement-requested", email, $"Hồ sơ {dossier.Code} cần bổ sung giấy tờ",
                $"""
                Hồ sơ {dossier.Code} cần bổ sung:
                {string.Join("\n", items.Select(i => $"- {i.Name}: {i.Reason}"))}

                Đăng nhập vào mục Hồ sơ của tôi để tải giấy tờ bổ sung và gửi lại.
                """) { DossierId = dossierId, Data = new Dictionary<string, string> { ["code"] = dossier.Code } }, now);
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>
    /// The applicant's answer to the open supplement request: the dossier goes back to reception (1) or to processing
    /// (4) and the clock runs again from where it stopped; the due date moves by the stopped working time (R-E4).
    /// </summary>
    public async Task<ActionRefused?> ResubmitAsync(Guid applicantId, Guid dossierId, string? note, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var d = await LoadAsync(conn, tx, applicantId, dossierId, null, ct);
        if (d is null) return new ActionRefused("Không có hồ sơ này.");
        if (d.Status != DossierStatus.AwaitingSupplement)
            return new ActionRefused("Hồ sơ không ở trạng thái chờ bổ sung (có thể bạn đã nộp bổ sung rồi). Hãy tải lại trang để xem trạng thái mới.");
        var request = await conn.QuerySingleAsync<(Guid Id, bool AtReception)>(new CommandDefinition(
            "SELECT id, at_reception FROM portal.supplement_requests WHERE dossier_id = @dossierId AND answered_at IS NULL",
            new { dossierId }, tx, cancellationToken: ct));
        var ledger = await LedgerAsync(conn, tx, dossierId, d.VersionId, ct);
        var owner = ledger.Segments[^1];
        if (ledger.IsStopped) ledger.Resume(now, owner.AgencyCode ?? d.AgencyCode, owner.Step ?? 0);
        var actor = Actor(applicantId);
        await ClockLedgerStore.SaveAsync(conn, tx, dossierId, ledger.Segments, actor);
        var calendar = await calendars.CalendarAsync(d.AgencyCode, ct);
        var due = ledger.Compute(calendar, now).EffectiveDue;
        var to = request.AtReception ? DossierStatus.Submitted : DossierStatus.Processing;
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE portal.supplement_requests SET answered_at = @now, answer_note = @note WHERE id = @Id",
            new { now, note = Text.Clean(note), request.Id }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(StatusSql, new
        {
            id = dossierId, status = to, subState = request.AtReception ? "1.online" : "4.review", due = due.ToUniversalTime(), now,
        }, tx, cancellationToken: ct));
        await HistoryAsync(conn, tx, dossierId, now, "resubmit", DossierStatus.AwaitingSupplement, to, actor, d.AgencyCode, Text.Clean(note) is { Length: > 0 } n ? n : null);
        // The back office's lists (step due, late risk) follow the clock that runs again.
        await BackOffice.BackOffice.RefreshAsync(conn, tx, dossierId, calendar, now, ct);
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>The applicant asks to withdraw (7); an officer confirms (8) or declines (back). Not from 9 or 10 (R-E5).</summary>
    public async Task<ActionRefused?> WithdrawAsync(Guid applicantId, Guid dossierId, string reason, CancellationToken ct)
    {
        reason = Text.Clean(reason, 1000);
        if (reason == "") return new ActionRefused("Nhập lý do rút hồ sơ");
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var d = await LoadAsync(conn, tx, applicantId, dossierId, null, ct);
        if (d is null) return new ActionRefused("Không có hồ sơ này.");
        if (!CanWithdraw(d.Status))
            return new ActionRefused(d.Status == DossierStatus.WithdrawalRequested
                ? "Bạn đã gửi yêu cầu rút hồ sơ này; cán bộ đang xem xét."
                : $"Hồ sơ đang ở trạng thái “{d.StatusName}”, không thể rút.");
        // The clock is left as it is while the officer decides (DOMAIN.md §3.1, status 7).
        await conn.ExecuteAsync(new CommandDefinition(StatusSql, new
        {
            id = dossierId, status = DossierStatus.WithdrawalRequested, subState = $"7.from-{d.Status}", due = d.DueAt?.ToUniversalTime(), now,
        }, tx, cancellationToken: ct));
        await HistoryAsync(conn, tx, dossierId, now, "withdraw", d.Status, DossierStatus.WithdrawalRequested, Actor(applicantId), d.AgencyCode, reason);
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>A document the agency issued to the applicant: a form (receipt, supplement request, apology…) or a result.</summary>
    public sealed record IssuedDocument
    {
        public string Kind { get; init; } = "";
        public Guid? FormId { get; init; }
        public short? ResultNo { get; init; }
        public string Name { get; init; } = "";
        public string? ResultCode { get; init; }
        public DateTimeOffset At { get; init; }
        /// <summary>Results: the file; forms: null until first drawn (BackOffice.FormFileAsync).</summary>
        public string? Sha256 { get; init; }
        public string MediaType { get; init; } = "";
        public string FileName { get; init; } = "";
    }

    const string IssuedSql = """
        SELECT kind, id AS form_id, NULL::smallint AS result_no, '' AS name, NULL AS result_code, issued_at AS at, sha256,
               'application/pdf' AS media_type, kind || '.pdf' AS file_name
          FROM portal.dossier_forms WHERE dossier_id = @id
        UNION ALL
        SELECT 'result', NULL, n, title, code, added_at, sha256, media_type, file_name
          FROM portal.dossier_results r WHERE dossier_id = @id AND @resultsVisible
        ORDER BY at
        """;

    /// <summary>
    /// What the agency issued to this applicant's dossier: the forms, and the result documents once the dossier is
    /// processed (9) or returned (10). Empty for a dossier that is not theirs.
    /// </summary>
    public async Task<IReadOnlyList<IssuedDocument>> IssuedAsync(Guid applicantId, string code, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var d = await conn.QuerySingleOrDefaultAsync<(Guid Id, short Status)?>(new CommandDefinition(
            "SELECT id, status FROM portal.dossiers WHERE applicant_id = @applicantId AND code = @code", new { applicantId, code }, cancellationToken: ct));
        if (d is not { } dossier) return [];
        var rows = await conn.QueryAsync<IssuedDocument>(new CommandDefinition(IssuedSql,
            new { id = dossier.Id, resultsVisible = dossier.Status is DossierStatus.Processed or DossierStatus.Returned }, cancellationToken: ct));
        return [.. rows.Select(r => r.Kind == "result" ? r : r with { Name = BackOffice.BackOffice.FormReason(r.Kind) })];
    }
}
