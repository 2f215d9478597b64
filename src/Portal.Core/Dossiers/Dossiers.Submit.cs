using Dapper;
using Npgsql;
using Portal.Core.Catalogue;
using Portal.Core.Deadlines;
using Portal.Core.Identity;
using Portal.Core.Notifications;

namespace Portal.Core.Dossiers;

/// <summary>The due date of a dossier as the citizen sees it: the instant, why, and the time left in words.</summary>
public sealed record DueInfo(DateTimeOffset Due, IReadOnlyList<string> Explanation, string Left);

public sealed partial class Dossiers
{
    /// <summary>What is missing before a draft can be sent, one problem per step, in the order of the task list.</summary>
    public static IReadOnlyList<FieldError> Completeness(Dossier dossier)
    {
        var problems = new List<FieldError>();
        var answers = dossier.Answers;
        if (answers.Applicant is not { } applicant || applicant.Validate().Count > 0)
            problems.Add(new("nguoi-nop", "Hoàn thành thông tin người nộp hồ sơ"));
        if (answers.Owner is not { } owner || owner.Validate().Count > 0)
            problems.Add(new("chu-ho-so", "Cho biết chủ hồ sơ là ai"));
        foreach (var slot in dossier.Documents.Where(d => d.Required && d.Files.Count == 0))
            problems.Add(new($"giay-to-{slot.LineNo}", $"Tải lên giấy tờ bắt buộc: {slot.Name}"));
        if (dossier.CertifiedCopyLine is { } line && answers.CopyCount is not (>= 1 and <= CertifiedCopies.CopyFee.MaxCopies))
            problems.Add(new($"giay-to-{line}", "Cho biết số bản sao cần chứng thực"));
        if (answers.Delivery is not { } delivery || delivery.Validate().Count > 0)
            problems.Add(new("nhan-ket-qua", "Chọn cách nhận kết quả"));
        if (!answers.Declared)
            problems.Add(new("Declared", "Đánh dấu vào ô cam đoan trước khi gửi hồ sơ"));
        return problems;
    }

    const string ByKeySql = """
        SELECT id, code, submitted_at, due_at FROM portal.dossiers WHERE applicant_id = @applicantId AND submit_key = @key
        """;

    /// <summary>The procedure version's processing time (online, else direct); parameter @versionId.</summary>
    internal const string RuleSql = """
        SELECT amount, unit, cut_off FROM portal.procedure_processing_time
         WHERE version_id = @versionId AND channel IN ('online', 'direct')
         ORDER BY channel = 'online' DESC LIMIT 1
        """;

    const string SubmitSql = """
        UPDATE portal.dossiers
           SET status = 1, sub_state = '1.online', code = @code, submitted_at = @now, due_at = @due, updated_at = @now,
               applicant_name = @applicantName, lookup_phone = @phone, lookup_id_number = @identifier,
               delivery_method = @delivery, submit_key = @key, expires_at = NULL, row_version = row_version + 1
         WHERE id = @id;
        INSERT INTO portal.dossier_history (dossier_id, seq, at, action, from_status, to_status, actor, agency_code, note)
        VALUES (@id, 1, @now, 'submit', 0, 1, @actor, @agencyCode, 'Nộp trực tuyến trên cổng dịch vụ công');
        """;

    /// <summary>
    /// Sends a draft: one transaction gives it its code (R-C3), status 1, the history row, the clock's start and the
    /// acknowledgement in the outbox. Idempotent twice over: a draft already sent answers with its code (double
    /// click, two tabs, Back), and an idempotency key already used by this applicant answers with that dossier
    /// (an API client retrying after a network error).
    /// </summary>
    public async Task<SubmitOutcome> SubmitAsync(Guid applicantId, Guid id, string? key, string lookupBaseUrl, CancellationToken ct)
    {
        Dossier? draft;
        DeadlineRule rule;
        // One connection at a time per submission: fifty people sending at once must not hold fifty connections while
        // waiting for fifty more (the calendar has its own).
        await using (var read = await db.OpenConnectionAsync(ct))
        {
            if (key is not null && await ByKeyAsync(read, applicantId, key, ct) is { } earlier) return earlier;
            draft = await LoadAsync(read, null, applicantId, id, null, ct);
            if (draft is null) return new SubmitOutcome.NotFound();
            if (!draft.IsDraft) return new SubmitOutcome.Submitted(draft.Id, draft.Code!, draft.SubmittedAt!.Value, draft.DueAt, true);
            var problems = Completeness(draft);
            if (problems.Count > 0) return new SubmitOutcome.Incomplete(problems);
            // R-A3: a dossier is judged by the version in force when it arrives, not the one its draft started with.
            var inForce = await read.ExecuteScalarAsync<Guid?>(new CommandDefinition(InForceSql,
                new { id, today = LegalTime.Today(clock) }, cancellationToken: ct));
            if (inForce is null)
                return new SubmitOutcome.Incomplete([new("thu-tuc", "Thủ tục này hiện không nhận hồ sơ trực tuyến. Hãy liên hệ cơ quan giải quyết để được hướng dẫn.")]);
            if (inForce != draft.VersionId)
            {
                await MoveToVersionAsync(read, draft, inForce.Value, ct);
                return new SubmitOutcome.Incomplete([new("thu-tuc",
                    "Thủ tục vừa được cập nhật theo quyết định mới. Giấy tờ trùng tên đã được giữ lại; hãy kiểm tra lại từng phần rồi gửi hồ sơ.")]);
            }
            var time = await read.QuerySingleAsync<ProcessingTime>(
                new CommandDefinition(RuleSql, new { draft.VersionId }, cancellationToken: ct));
            rule = time.ToRule();
        }
        var calendar = await calendars.CalendarAsync(draft.AgencyCode, ct);

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Locked and read again: of two submissions of one draft, the second waits here and then finds it sent.
        var locked = await LoadAsync(conn, tx, applicantId, id, null, ct);
        if (locked is null) return new SubmitOutcome.NotFound();
        if (!locked.IsDraft) return new SubmitOutcome.Submitted(locked.Id, locked.Code!, locked.SubmittedAt!.Value, locked.DueAt, true);
        if (Completeness(locked) is { Count: > 0 } missing) return new SubmitOutcome.Incomplete(missing);

        var now = clock.GetUtcNow();
        // An online dossier counts as received when it arrives (next working session outside hours, R-C8), so the
        // clock starts now at the receiving unit's reception step (step 0); the one-stop's decision follows in it.
        var ledger = new ClockLedger(rule);
        ledger.Start(now, locked.AgencyCode, 0);
        var due = ledger.Compute(calendar, now).CurrentDue;
        var applicant = locked.Answers.Applicant!;
        var actor = Actor(applicantId);
        try
        {
            var code = await DossierCode.NextAsync(conn, tx, locked.AgencyCode, LegalTime.DateOf(now));
            await conn.ExecuteAsync(new CommandDefinition(SubmitSql, new
            {
                id, code, now, due = due.ToUniversalTime(), applicantName = applicant.FullName, phone = Logins.Phone(applicant.Phone),
                identifier = applicant.Identifier, delivery = locked.Answers.Delivery!.Method, key, actor, locked.AgencyCode,
            }, tx, cancellationToken: ct));
            await ClockLedgerStore.SaveAsync(conn, tx, id, ledger.Segments, actor);
            if (applicant.Email != "")
                await Outbox.EnqueueAsync(conn, tx, Acknowledgement(locked, applicant, code, now, due, lookupBaseUrl), now);
            await tx.CommitAsync(ct);
            return new SubmitOutcome.Submitted(id, code, now, due, false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "dossiers_submit_key")
        {
            // The same key raced in on another draft and won: answer as that submission did.
            await tx.RollbackAsync(ct);
            return await ByKeyAsync(conn, applicantId, key!, ct) ?? throw new InvalidOperationException("Idempotency key vanished.", e);
        }
    }

    const string InForceSql = """
        SELECT v.id FROM portal.procedure_version v
         WHERE v.procedure_id = (SELECT procedure_id FROM portal.dossiers WHERE id = @id) AND v.online_level <> 'none'
           AND v.effective_from <= @today AND (v.effective_to IS NULL OR v.effective_to > @today)
        """;

    // Files follow their document by name into the new version; a document the new version no longer asks for keeps
    // its files in the history (removed_at) rather than sending them unasked. The person reviews every document again.
    const string MoveSql = """
        UPDATE portal.dossier_files f SET line_no = n.line_no
          FROM portal.procedure_document o, portal.procedure_document n
         WHERE f.dossier_id = @id AND f.removed_at IS NULL AND o.version_id = @oldVersion AND o.line_no = f.line_no
           AND n.version_id = @newVersion AND n.name = o.name;
        UPDATE portal.dossier_files f SET removed_at = @now
         WHERE f.dossier_id = @id AND f.removed_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM portal.procedure_document o JOIN portal.procedure_document n ON n.name = o.name
                            WHERE o.version_id = @oldVersion AND o.line_no = f.line_no AND n.version_id = @newVersion);
        UPDATE portal.dossiers d
           SET version_id = @newVersion, receiving_agency_id = (SELECT agency_id FROM portal.procedure_version WHERE id = @newVersion),
               answers = jsonb_set(d.answers, '{documentsDone}', '[]'), current_step = '', row_version = row_version + 1, updated_at = @now
         WHERE d.id = @id AND d.status = 0;
        """;

    async Task MoveToVersionAsync(NpgsqlConnection conn, Dossier draft, Guid newVersion, CancellationToken ct)
    {
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Files are matched before the dossier points at the new version; the statements run in this order.
        await conn.ExecuteAsync(new CommandDefinition(MoveSql,
            new { id = draft.Id, oldVersion = draft.VersionId, newVersion, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    static async Task<SubmitOutcome.Submitted?> ByKeyAsync(NpgsqlConnection conn, Guid applicantId, string key, CancellationToken ct)
    {
        var row = await conn.QuerySingleOrDefaultAsync<(Guid Id, string Code, DateTimeOffset SubmittedAt, DateTimeOffset? DueAt)?>(
            new CommandDefinition(ByKeySql, new { applicantId, key }, cancellationToken: ct));
        return row is { } r ? new SubmitOutcome.Submitted(r.Id, r.Code, r.SubmittedAt, r.DueAt, true) : null;
    }

    static OutboxMessage Acknowledgement(Dossier dossier, ApplicantAnswers applicant, string code, DateTimeOffset at, DateTimeOffset due, string lookupBaseUrl)
    {
        var lookup = $"{lookupBaseUrl.TrimEnd('/')}/tra-cuu?ma={Uri.EscapeDataString(code)}";
        var body = $"""
            Kính gửi {applicant.FullName},

            Hồ sơ "{dossier.ProcedureName}" của bạn đã được gửi tới {dossier.AgencyName} lúc {LegalTime.Local(at):HH:mm dd/MM/yyyy}.
            Mã hồ sơ: {code}
            Hạn trả kết quả dự kiến: {LegalTime.Local(due):HH:mm dd/MM/yyyy}. Ngày hẹn chính thức có trong giấy tiếp nhận khi hồ sơ được tiếp nhận.

            Theo dõi hồ sơ: {lookup} (nhập mã hồ sơ và số điện thoại hoặc số định danh đã khai).
            """;
        return new OutboxMessage("dossier-submitted", applicant.Email, $"Đã nhận hồ sơ {code}", body)
        {
            DossierId = dossier.Id,
            Data = new Dictionary<string, string>
            {
                ["code"] = code, ["procedure"] = dossier.ProcedureName, ["agency"] = dossier.AgencyName, ["name"] = applicant.FullName,
                ["submittedAt"] = at.ToString("O"), ["dueAt"] = due.ToString("O"), ["lookupUrl"] = lookup,
            },
        };
    }

    // ---- reading ----

    const string ListSql = """
        SELECT d.id, d.status, d.code, p.code AS procedure_code, v.name AS procedure_name, d.current_step, d.updated_at,
               d.expires_at, d.submitted_at, d.due_at
          FROM portal.dossiers d
          JOIN portal.procedure p ON p.id = d.procedure_id
          JOIN portal.procedure_version v ON v.id = d.version_id
         WHERE d.applicant_id = @applicantId
         ORDER BY d.status = 0 DESC, d.updated_at DESC
         LIMIT @limit
        """;

    public async Task<IReadOnlyList<DossierListItem>> ListAsync(Guid applicantId, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return [.. await conn.QueryAsync<DossierListItem>(new CommandDefinition(ListSql, new { applicantId, limit }, cancellationToken: ct))];
    }

    // The timeline's columns, once: by dossier id here, by the applicant's dossier in PageAsync's batch.
    const string HistorySelect = """
        SELECT h.seq, h.at, h.action, h.from_status, h.to_status, h.agency_code, a.name AS agency_name, h.note
          FROM portal.dossier_history h LEFT JOIN portal.agency a ON a.code = h.agency_code
        """;

    const string HistorySql = HistorySelect + " WHERE h.dossier_id = @id ORDER BY h.seq";

    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(Guid dossierId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return [.. await conn.QueryAsync<HistoryEntry>(new CommandDefinition(HistorySql, new { id = dossierId }, cancellationToken: ct))];
    }

    const string DueBatchSql = CalendarStore.LookupSql + ";\n" + ClockLedgerStore.SegmentsSql + ";\n" + RuleSql + ";\n" + ClockLedgerStore.ExtensionOfDossierSql;

    /// <summary>The due date from the clock ledger, explained, with the time left in words; null before submission.</summary>
    public async Task<DueInfo?> DueAsync(Dossier dossier, CancellationToken ct)
    {
        if (dossier.IsDraft) return null;
        IReadOnlyList<ClockSegment> segments;
        ProcessingTime time;
        Extension? extension;
        (long Version, string? Profile) calendarKey;
        // The calendar's version and profile, the segments, the processing time and the extension in one round trip.
        await using (var conn = await db.OpenConnectionAsync(ct))
        await using (var batch = await conn.QueryMultipleAsync(new CommandDefinition(DueBatchSql,
            new { dossierId = dossier.Id, dossier.VersionId, agency = dossier.AgencyCode }, cancellationToken: ct)))
        {
            calendarKey = await batch.ReadSingleAsync<(long, string?)>();
            segments = await ClockLedgerStore.ReadSegmentsAsync(batch);
            if (segments.Count == 0) return dossier.DueAt is { } due ? new DueInfo(due, [], "") : null;
            time = await batch.ReadSingleAsync<ProcessingTime>();
            extension = await ClockLedgerStore.ReadExtensionAsync(batch);
        }
        // Only after the connection is back in the pool: a calendar not yet cached is built on connections of its own,
        // and holding this one while waiting for them let a burst of page views (more than the pool's size at once)
        // hold every connection until the pool's timeout failed them all (docs/PERFORMANCE.md, citizen dossiers).
        var calendar = await calendars.CalendarAsync(calendarKey.Version, calendarKey.Profile, dossier.AgencyCode);
        var rule = time.ToRule();
        var ledger = new ClockLedger(rule, null, segments, extension);
        var now = clock.GetUtcNow();
        var summary = ledger.Compute(calendar, now);
        var lines = calendar.Explain(calendar.Due(segments[0].Start, rule)).Lines().ToList();
        if (summary.CurrentDue != summary.OriginalDue)
            lines.Add($"Hạn được lùi tới {LegalTime.Local(summary.CurrentDue):HH:mm dd/MM/yyyy} vì thời gian chờ bổ sung giấy tờ hoặc thực hiện nghĩa vụ tài chính không tính vào thời hạn.");
        if (summary.ExtendedDue is { } extended)
            lines.Add($"Cơ quan giải quyết đã xin lỗi và hẹn lại ngày trả kết quả: {LegalTime.Local(extended):HH:mm dd/MM/yyyy}.");
        return new DueInfo(summary.EffectiveDue, lines, LeftText(summary.Left, calendar.DayTicks, summary.Finished is not null));
    }

    /// <summary>"Còn 2 ngày 3 giờ làm việc" / "Quá hạn 1 ngày 2 giờ làm việc" (UX.md §2.9: words, never colour alone).</summary>
    public static string LeftText(TimeSpan left, long dayTicks, bool finished)
    {
        if (finished) return "";
        var ticks = Math.Abs(left.Ticks);
        var days = ticks / dayTicks;
        var hours = (int)Math.Round(TimeSpan.FromTicks(ticks % dayTicks).TotalHours, MidpointRounding.AwayFromZero);
        var amount = (days, hours) switch
        {
            (0, 0) => "dưới 1 giờ làm việc",
            (0, _) => $"{hours} giờ làm việc",
            (_, 0) => $"{days} ngày làm việc",
            _ => $"{days} ngày {hours} giờ làm việc",
        };
        return left.Ticks >= 0 ? $"Còn {amount}" : $"Quá hạn {amount}";
    }

    const string LookupSql = """
        SELECT d.id, d.code, d.status, v.name AS procedure_name, a.name AS agency_name, d.submitted_at, d.due_at
          FROM portal.dossiers d
          JOIN portal.procedure_version v ON v.id = d.version_id
          JOIN portal.agency a ON a.id = d.receiving_agency_id
         WHERE d.code = @code AND (d.lookup_phone = @secret OR d.lookup_id_number = @secret)
        """;

    /// <summary>
    /// The public lookup: the code and a second factor (the phone number, CCCD or tax code given in the dossier).
    /// Wrong code and wrong secret give the same null, so the code alone reveals nothing.
    /// </summary>
    public async Task<LookupResult?> LookupAsync(string code, string secret, CancellationToken ct)
    {
        code = code.Trim().ToUpperInvariant();
        var digits = Logins.Phone(secret) ?? InputText.Digits(secret);
        if (!DossierCode.LooksValid(code) || digits.Length < 10) return null;
        (Guid Id, string Code, short Status, string ProcedureName, string AgencyName, DateTimeOffset SubmittedAt, DateTimeOffset? DueAt)? row;
        // Closed before HistoryAsync takes its own connection: never hold one pooled connection while waiting for another.
        await using (var conn = await db.OpenConnectionAsync(ct))
            row = await conn.QuerySingleOrDefaultAsync<(Guid Id, string Code, short Status, string ProcedureName, string AgencyName, DateTimeOffset SubmittedAt, DateTimeOffset? DueAt)?>(
                new CommandDefinition(LookupSql, new { code, secret = digits }, cancellationToken: ct));
        if (row is not { } r) return null;
        return new LookupResult
        {
            Code = r.Code, Status = r.Status, ProcedureName = r.ProcedureName, AgencyName = r.AgencyName,
            SubmittedAt = r.SubmittedAt, DueAt = r.DueAt, History = await HistoryAsync(r.Id, ct),
        };
    }
}
