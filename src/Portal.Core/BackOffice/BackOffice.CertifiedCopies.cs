using Dapper;
using Npgsql;
using Portal.Core.CertifiedCopies;
using Portal.Core.Deadlines;
using Portal.Core.Documents;
using Portal.Core.Dossiers;

namespace Portal.Core.BackOffice;

/// <summary>The electronic certified copy of a dossier as staff see it on the dossier page (DOMAIN.md §8).</summary>
public sealed record OfficeCopy
{
    public required short Line { get; init; }
    public required string DocumentName { get; init; }
    public required int? CopyCount { get; init; }
    public required IReadOnlyList<OfficeFile> Scans { get; init; }
    /// <summary>The issue request or the issued copy, once approved.</summary>
    public required CopyRequest? Request { get; init; }
    /// <summary>Whether this user may attach scans and set the number of copies now.</summary>
    public required bool CanEdit { get; init; }

    public int Pages => Scans.Sum(s => s.Pages ?? 1);
    public long? Fee => Scans.Count > 0 && CopyCount is >= 1 and <= CopyFee.MaxCopies ? CopyFee.For(Pages, CopyCount.Value) : null;
}

public sealed record CopyRequest
{
    public string Status { get; init; } = "";
    public int Pages { get; init; }
    public short Copies { get; init; }
    public long FeeVnd { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public int Attempts { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public string? Code { get; init; }
    public string? BookNumber { get; init; }
    public DateTimeOffset? IssuedAt { get; init; }
    public string? SignerName { get; init; }
}

public sealed partial class BackOffice
{
    /// <summary>The largest scan an officer may attach (the citizen's limit is the procedure's, 20 MB by default).</summary>
    public const long MaxScanBytes = 20L * 1024 * 1024;

    // Who attaches the scans and the number of copies: the counter, and whoever holds the dossier before approval.
    static readonly string[] CopyEditors = ["receiving-officer", "specialist", "head-of-division", "agency-leader"];

    const string ScansSql = """
        SELECT count(*)::int AS files, coalesce(sum(coalesce(f.pages, 1)), 0)::int AS pages,
               (SELECT name FROM portal.procedure_document WHERE version_id = @versionId AND line_no = @line) AS document_name,
               EXISTS (SELECT 1 FROM portal.certified_copies WHERE dossier_id = @id AND status IN ('pending', 'issued')) AS open
          FROM portal.dossier_files f
         WHERE f.dossier_id = @id AND f.line_no = @line AND f.removed_at IS NULL
        """;

    const string RequestCopySql = """
        INSERT INTO portal.certified_copies (id, dossier_id, status, pages, copies, fee_vnd, requested_at, requested_by)
        VALUES (@copyId, @id, 'pending', @pages, @copies, @fee, @now, @actor)
        """;

    /// <summary>
    /// Approval of a certified copy (R-I4: signing is refused while a copy is unscanned): the scans and the number of
    /// copies must be there; the fee is fixed now (R-I5) and the copy queued for the job, in the approval's transaction.
    /// </summary>
    async Task<ActionOutcome> RequestCertifiedCopyAsync(Context c)
    {
        var d = c.D;
        var scans = await c.Conn.QuerySingleAsync<(int Files, int Pages, string? DocumentName, bool Open)>(new CommandDefinition(ScansSql,
            new { id = d.Id, line = d.CertifiedCopyLine, d.VersionId }, c.Tx, cancellationToken: c.Ct));
        if (scans.Open) return new ActionOutcome.Refused($"Bản sao của hồ sơ {d.Code} đã được phê duyệt; hệ thống đang cấp hoặc đã cấp bản sao.");
        if (scans.Files == 0)
            return new ActionOutcome.Refused($"Hồ sơ chưa có bản quét của bản chính (“{scans.DocumentName}”). Hãy tải bản quét lên ở mục "
                + "“Bản sao điện tử chứng thực” của hồ sơ, đối chiếu với bản chính, rồi phê duyệt.");
        if (d.Answers.CopyCount is not (>= 1 and <= CopyFee.MaxCopies) || d.Answers.CopyCount is not { } copies)
            return new ActionOutcome.Refused("Hồ sơ chưa có số bản sao cần chứng thực. Hãy ghi số bản sao ở mục “Bản sao điện tử chứng thực” rồi phê duyệt.");
        var fee = CopyFee.For(scans.Pages, copies);
        await c.Conn.ExecuteAsync(new CommandDefinition(RequestCopySql, new
        {
            copyId = Guid.CreateVersion7(), id = d.Id, pages = scans.Pages, copies = (short)copies, fee, now = c.Now, actor = c.Actor,
        }, c.Tx, cancellationToken: c.Ct));
        return new ActionOutcome.Done(d.Status, $"Đã phê duyệt bản sao của hồ sơ {d.Code} ({CopyFee.Explain(scans.Pages, copies)}). "
            + "Hệ thống đang lấy số chứng thực, ký số và trả bản sao điện tử cho người nộp; việc này thường xong trong vòng một phút.");
    }

    /// <summary>
    /// Locks the dossier and checks that the user may change its copy request now: visible (else not found), a
    /// certified-copy procedure, held by the user's unit, one of the editing roles, the version the user saw, before
    /// approval. Null when all is well.
    /// </summary>
    async Task<(Row? D, ActionOutcome? Stop)> CopyGateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, StaffUser user, string code,
        int? expectedVersion, CancellationToken ct)
    {
        var d = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(RowSelect + " WHERE d.code = @code AND d.status > 0 FOR UPDATE OF d",
            new { code }, tx, cancellationToken: ct));
        if (d is null) return (null, new ActionOutcome.NotFound());
        var scope = await ScopeAsync(conn, tx, user, ct);
        if (!await VisibleAsync(conn, tx, d, scope, ct)) return (null, new ActionOutcome.NotFound());
        if (d.CertifiedCopyLine is null) return (null, new ActionOutcome.NotFound());
        if (user.IsSupervisor || !user.HasAny(CopyEditors))
            return (null, new ActionOutcome.Forbidden("Vai trò của bạn không được tải bản quét hay ghi số bản sao. Việc này dành cho cán bộ tiếp nhận và người xử lý hồ sơ."));
        if (!scope.Covers(d.Holder))
            return (null, new ActionOutcome.Refused($"Hồ sơ đang do {d.HolderName ?? d.ReceivingName} giữ; đơn vị của bạn không thao tác được trên hồ sơ này lúc này."));
        if (expectedVersion is { } seen && seen != d.RowVersion)
            return (null, new ActionOutcome.Conflict($"Hồ sơ {d.Code} vừa được cập nhật. Thao tác của bạn chưa được ghi; hãy tải lại trang rồi làm lại."));
        if (d.Status is not (DossierStatus.Submitted or DossierStatus.Received or DossierStatus.Processing) || d.ApprovedAt is not null)
            return (null, new ActionOutcome.Refused("Chỉ thay đổi bản quét và số bản sao trước khi bản sao được phê duyệt."));
        return (d, null);
    }

    /// <summary>
    /// The counter officer (or whoever holds the dossier before approval) attaches a scan of the original: stored while
    /// hashed, refused under 200 dpi or when not a PDF, JPEG or PNG, with the words the citizen's upload uses.
    /// </summary>
    public async Task<ActionOutcome> AddScanAsync(StaffUser user, string code, string fileName, Stream content, int? expectedVersion, CancellationToken ct)
    {
        var name = FileNames.Sanitise(fileName);
        // Stored and measured before a connection is taken: a slow upload never holds the dossier's lock.
        var saved = await files.SaveAsync(content, MaxScanBytes, ct);
        if (saved is StoreOutcome.TooLarge)
            return new ActionOutcome.Invalid([new("scan", $"Tệp \"{name}\" lớn hơn 20 MB — hãy quét ở 200–300 dpi, chia nhỏ tệp hoặc nén ảnh rồi tải lên lại.")]);
        var file = ((StoreOutcome.Saved)saved).File;
        if (file.Type == FileType.Empty) return new ActionOutcome.Invalid([new("scan", $"Tệp \"{name}\" rỗng. Hãy chọn lại tệp.")]);
        var verdict = ScanUpload.Check(name, file.Type, await files.ReadAllAsync(file.Sha256, ct), ct);
        if (verdict is ScanUpload.Verdict.Refused refused) return new ActionOutcome.Invalid([new("scan", refused.Message)]);
        var scan = (ScanUpload.Verdict.Accepted)verdict;

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var (d, stop) = await CopyGateAsync(conn, tx, user, code, expectedVersion, ct);
        if (stop is not null) return stop;
        var now = clock.GetUtcNow();
        await FileStore.RecordAsync(conn, tx, file, now);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO portal.dossier_files (dossier_id, line_no, file_name, sha256, size, media_type, uploaded_at, uploaded_by, pages, scan_dpi)
            VALUES (@id, @line, @name, @sha, @size, @mediaType, @now, @actor, @pages, @dpi)
            """, new
        {
            id = d!.Id, line = d.CertifiedCopyLine, name, sha = file.Sha256, size = file.Size, mediaType = file.Type.MediaType, now,
            actor = user.Actor, pages = scan.Pages, dpi = scan.Dpi,
        }, tx, cancellationToken: ct));
        await TouchAsync(conn, tx, d.Id, now, ct);
        var dpiText = scan.Dpi is { } dpi ? $", {dpi} dpi" : "";
        await HistoryAsync(conn, tx, d.Id, now, user.Actor, new("add-scan", d.Status, d.Status, d.HolderCodeOrReceiving,
            $"{name} ({scan.Pages} trang{dpiText})") { Step = d.Step }, ct);
        await tx.CommitAsync(ct);
        return new ActionOutcome.Done(d.Status, $"Đã tải lên bản quét {name}: {scan.Pages} trang{dpiText}.");
    }

    /// <summary>Removes a scan attached by mistake (the row stays, with removed_at, for the history).</summary>
    public async Task<ActionOutcome> RemoveScanAsync(StaffUser user, string code, Guid fileId, int? expectedVersion, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var (d, stop) = await CopyGateAsync(conn, tx, user, code, expectedVersion, ct);
        if (stop is not null) return stop;
        var now = clock.GetUtcNow();
        var name = await conn.ExecuteScalarAsync<string?>(new CommandDefinition("""
            UPDATE portal.dossier_files SET removed_at = @now
             WHERE id = @fileId AND dossier_id = @id AND line_no = @line AND removed_at IS NULL
            RETURNING file_name
            """, new { fileId, id = d!.Id, line = d.CertifiedCopyLine, now }, tx, cancellationToken: ct));
        if (name is null) return new ActionOutcome.NotFound();
        await TouchAsync(conn, tx, d.Id, now, ct);
        await HistoryAsync(conn, tx, d.Id, now, user.Actor, new("remove-scan", d.Status, d.Status, d.HolderCodeOrReceiving, name) { Step = d.Step }, ct);
        await tx.CommitAsync(ct);
        return new ActionOutcome.Done(d.Status, $"Đã gỡ bản quét {name}.");
    }

    /// <summary>The number of copies asked for ("Số bản sao", 1–50), kept in the dossier's answers like the citizen's.</summary>
    public async Task<ActionOutcome> SetCopyCountAsync(StaffUser user, string code, string? copies, int? expectedVersion, CancellationToken ct)
    {
        if (!int.TryParse(copies?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            || n is < 1 or > CopyFee.MaxCopies)
            return new ActionOutcome.Invalid([new("copyCount", $"Nhập số bản sao cần chứng thực, là số từ 1 đến {CopyFee.MaxCopies}.")]);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var (d, stop) = await CopyGateAsync(conn, tx, user, code, expectedVersion, ct);
        if (stop is not null) return stop;
        var now = clock.GetUtcNow();
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE portal.dossiers SET answers = jsonb_set(answers, '{copyCount}', to_jsonb(@n)), updated_at = @now, row_version = row_version + 1
             WHERE id = @id
            """, new { id = d!.Id, n, now }, tx, cancellationToken: ct));
        await HistoryAsync(conn, tx, d.Id, now, user.Actor, new("copy-count", d.Status, d.Status, d.HolderCodeOrReceiving, $"Số bản sao: {n}") { Step = d.Step }, ct);
        await tx.CommitAsync(ct);
        return new ActionOutcome.Done(d.Status, $"Đã ghi số bản sao: {n}.");
    }

    const string CopyViewSql = """
        SELECT c.status, c.pages, c.copies, c.fee_vnd, c.requested_at, c.attempts, c.last_error, c.next_attempt_at, c.code,
               CASE WHEN c.book_no IS NOT NULL THEN c.book_no || '/' || c.book_year || '/' || @suffix END AS book_number,
               c.issued_at, c.signer_name
          FROM portal.certified_copies c
         WHERE c.dossier_id = @id
         ORDER BY c.requested_at DESC
         LIMIT 1
        """;

    async Task<OfficeCopy?> CopyViewAsync(NpgsqlConnection conn, Row d, IReadOnlyList<OfficeFile> files, StaffUser user, StaffScope scope, CancellationToken ct)
    {
        if (d.CertifiedCopyLine is not { } line) return null;
        var request = await conn.QuerySingleOrDefaultAsync<CopyRequest>(new CommandDefinition(CopyViewSql,
            new { id = d.Id, suffix = CertificationBook.Suffix }, cancellationToken: ct));
        var name = await conn.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT name FROM portal.procedure_document WHERE version_id = @VersionId AND line_no = @line", new { d.VersionId, line }, cancellationToken: ct));
        return new OfficeCopy
        {
            Line = line, DocumentName = name ?? "", CopyCount = d.Answers.CopyCount, Scans = [.. files.Where(f => f.LineNo == line)],
            Request = request is { Status: "cancelled" } ? null : request,
            CanEdit = !user.IsSupervisor && user.HasAny(CopyEditors) && scope.Covers(d.Holder) && d.ApprovedAt is null
                      && d.Status is DossierStatus.Submitted or DossierStatus.Received or DossierStatus.Processing,
        };
    }

    static readonly StaffUser SystemUser = new(Guid.Empty, "system", "Hệ thống", [], null);

    /// <summary>
    /// The certified-copies job's part of the back office: the signed copy becomes the dossier's result ("-KQn") and
    /// the dossier is done (status 9, ready to return), exactly as the officer's "add-result" and "done" would do it,
    /// in the job's transaction. The job sends its own notice, so "done" sends none. Refused when the dossier is no
    /// longer approved and in processing (someone sent it back meanwhile).
    /// </summary>
    public async Task<ActionOutcome> CompleteCertifiedCopyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid dossierId, Guid versionId,
        WorkingCalendar calendar, ResultFile file, string title, CancellationToken ct)
    {
        Row? d;
        Catalogue.ProcessingTime time;
        List<WorkflowStep> stored;
        IReadOnlyList<ClockSegment> segments;
        Extension? extension;
        await using (var batch = await conn.QueryMultipleAsync(new CommandDefinition(ActBatchSql,
            new { dossierId, versionId, agency = (string?)null }, tx, cancellationToken: ct)))
        {
            d = await batch.ReadSingleOrDefaultAsync<Row>();
            _ = await batch.ReadAsync<(Guid, string)>();
            time = await batch.ReadSingleAsync<Catalogue.ProcessingTime>();
            stored = (await batch.ReadAsync<WorkflowStep>()).ToList();
            segments = await ClockLedgerStore.ReadSegmentsAsync(batch);
            extension = await ClockLedgerStore.ReadExtensionAsync(batch);
        }
        if (d is null) return new ActionOutcome.NotFound();
        if (d.Status != DossierStatus.Processing || d.ApprovedAt is null)
            return new ActionOutcome.Refused($"Hồ sơ {d.Code} không còn ở trạng thái đã phê duyệt, đang xử lý (trạng thái hiện tại: “{DossierStatus.Name(d.Status)}”).");
        var legal = time.ToRule();
        var steps = stored.Count > 0 ? stored : DefaultWorkflow(legal, d);
        var c = new Context
        {
            Conn = conn, Tx = tx, D = d, User = SystemUser with { AgencyCode = d.HolderCodeOrReceiving }, Scope = new StaffScope([], [], true),
            Legal = legal, Steps = steps, Ledger = new ClockLedger(legal, Workflow.Budgets(steps, d.ReceivingCode), segments, extension),
            Calendar = calendar, Now = clock.GetUtcNow(), LookupBase = "", Ct = ct, ActorOverride = "system",
        };
        var added = await AddResultAsync(c, new ActionInput { Title = title }, file, signedByAgency: true);
        if (added is not ActionOutcome.Done) return added;
        return await DoneAsync(c, notify: false);
    }
}
