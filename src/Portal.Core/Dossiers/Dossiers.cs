using System.Text.Json;
using Dapper;
using Npgsql;
using Portal.Core.CertifiedCopies;
using Portal.Core.Deadlines;
using Portal.Core.Documents;
using Portal.Core.Notifications;
using Portal.Core.Signatures;

namespace Portal.Core.Dossiers;

/// <summary>Site-wide upload and draft rules; a procedure version may override the sizes and allow ZIP.</summary>
public sealed record DossierRules
{
    public long MaxFileBytes { get; init; } = 20L * 1024 * 1024;
    public long MaxDossierBytes { get; init; } = 100L * 1024 * 1024;
    public TimeSpan DraftLifetime { get; init; } = TimeSpan.FromDays(30);
}

public abstract record UploadOutcome
{
    public sealed record Accepted(DossierFile File) : UploadOutcome;
    public sealed record Refused(string Message) : UploadOutcome;
}

public abstract record SubmitOutcome
{
    /// <summary>Submitted now, or earlier by the same draft or the same idempotency key (Repeated).</summary>
    public sealed record Submitted(Guid Id, string Code, DateTimeOffset SubmittedAt, DateTimeOffset? DueAt, bool Repeated) : SubmitOutcome;
    public sealed record Incomplete(IReadOnlyList<FieldError> Problems) : SubmitOutcome;
    public sealed record NotFound : SubmitOutcome;
}

/// <summary>
/// Dossiers from the first draft to submission, always for one applicant: every read and write names the applicant
/// and a dossier of somebody else is simply not found (no difference between "not yours" and "does not exist").
/// </summary>
public sealed partial class Dossiers(NpgsqlDataSource db, FileStore files, SignatureStore signatures, CalendarStore calendars,
    TimeProvider clock, DossierRules rules)
{
    public DossierRules Rules => rules;
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // The answers column (jsonb, read as text) maps straight onto Dossier.Answers.
    static Dossiers() => SqlMapper.AddTypeHandler(new AnswersHandler());

    sealed class AnswersHandler : SqlMapper.TypeHandler<DossierAnswers>
    {
        public override DossierAnswers Parse(object value) => JsonSerializer.Deserialize<DossierAnswers>((string)value, Json) ?? new();
        public override void SetValue(System.Data.IDbDataParameter parameter, DossierAnswers? value) =>
            parameter.Value = JsonSerializer.Serialize(value, Json);
    }

    public static string Actor(Guid applicantId) => $"applicant:{applicantId}";

    // ---- drafts ----

    const string StartSql = """
        INSERT INTO portal.dossiers (applicant_id, procedure_id, version_id, receiving_agency_id, answers, created_at, updated_at, expires_at)
        SELECT @applicantId, p.id, v.id, v.agency_id, @answers::jsonb, @now, @now, @expires
          FROM portal.procedure p
          JOIN portal.procedure_version v ON v.procedure_id = p.id
         WHERE p.code = @procedureCode AND v.online_level <> 'none'
           AND v.effective_from <= @today AND (v.effective_to IS NULL OR v.effective_to > @today)
        RETURNING id
        """;

    /// <summary>Starts a draft for a procedure offered online today, prefilled with the applicant's details; null if not offered.</summary>
    public async Task<Guid?> StartAsync(Guid applicantId, string procedureCode, ApplicantAnswers? prefill, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        var answers = new DossierAnswers { Applicant = prefill };
        return await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(StartSql, new
        {
            applicantId, procedureCode, answers = JsonSerializer.Serialize(answers, Json), now, expires = now + rules.DraftLifetime,
            today = LegalTime.DateOf(now),
        }, cancellationToken: ct));
    }

    const string ProfileSql = """
        SELECT kind, full_name, to_char(birth_date, 'DD/MM/YYYY') AS birth_date, coalesce(id_number, '') AS id_number,
               coalesce(tax_code, '') AS tax_code, coalesce(representative, '') AS representative, address,
               coalesce(phone, '') AS phone, coalesce(email, '') AS email
          FROM portal.applicants WHERE id = @applicantId
        """;

    /// <summary>The account's details as the first answers of a new draft (UX.md §2.2: never ask twice).</summary>
    public async Task<ApplicantAnswers?> ProfileAnswersAsync(Guid applicantId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var answers = await conn.QuerySingleOrDefaultAsync<ApplicantAnswers>(new CommandDefinition(ProfileSql, new { applicantId }, cancellationToken: ct));
        return answers is null ? null : answers with { BirthDate = answers.BirthDate ?? "" };
    }

    const string DraftsForSql = """
        SELECT d.id, d.status, d.code, p.code AS procedure_code, v.name AS procedure_name, d.current_step, d.updated_at,
               d.expires_at, d.submitted_at, d.due_at
          FROM portal.dossiers d
          JOIN portal.procedure p ON p.id = d.procedure_id
          JOIN portal.procedure_version v ON v.id = d.version_id
         WHERE d.applicant_id = @applicantId AND p.code = @procedureCode AND d.status = 0
         ORDER BY d.updated_at DESC
        """;

    /// <summary>The applicant's drafts for one procedure ("Bạn có hồ sơ đang soạn — Tiếp tục", UX.md §2.1).</summary>
    public async Task<IReadOnlyList<DossierListItem>> DraftsForAsync(Guid applicantId, string procedureCode, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return [.. await conn.QueryAsync<DossierListItem>(new CommandDefinition(DraftsForSql, new { applicantId, procedureCode }, cancellationToken: ct))];
    }

    const string LoadSql = """
        SELECT d.id, d.applicant_id, d.status, d.sub_state, d.code, d.channel, d.version_id, p.code AS procedure_code,
               v.name AS procedure_name, v.online_level, a.code AS agency_code, a.name AS agency_name,
               a.address AS agency_address, a.phone AS agency_phone, d.answers::text AS answers, d.current_step,
               d.row_version, d.created_at, d.updated_at, d.expires_at, d.submitted_at, d.due_at,
               coalesce(v.max_file_bytes, @maxFileBytes) AS max_file_bytes,
               coalesce(v.max_dossier_bytes, @maxDossierBytes) AS max_dossier_bytes, v.allow_zip, v.certified_copy_line
          FROM portal.dossiers d
          JOIN portal.procedure p ON p.id = d.procedure_id
          JOIN portal.procedure_version v ON v.id = d.version_id
          JOIN portal.agency a ON a.id = d.receiving_agency_id
         WHERE d.applicant_id = @applicantId AND (d.id = @id OR d.code = @code)
        """;

    // The documents and files are read in the same round trip as the dossier (one batch of three statements, each
    // finding the dossier again by its indexes), rather than in two more once the row is back.
    const string ThisDossier = "SELECT d.id FROM portal.dossiers d WHERE d.applicant_id = @applicantId AND (d.id = @id OR d.code = @code)";

    const string DocumentsSql = $"""
        SELECT line_no, name, required, must_be_signed, originals, copies
          FROM portal.procedure_document
         WHERE version_id IN (SELECT d.version_id FROM portal.dossiers d WHERE d.id IN ({ThisDossier}))
         ORDER BY line_no
        """;

    const string FilesSql = $"""
        SELECT f.id, f.line_no, f.file_name, f.sha256, f.size, f.media_type, f.signature_report_id, f.uploaded_at,
               r.indication, r.summary AS signature_summary, f.pages, f.scan_dpi
          FROM portal.dossier_files f
          LEFT JOIN portal.signature_reports r ON r.id = f.signature_report_id
         WHERE f.dossier_id IN ({ThisDossier}) AND f.removed_at IS NULL
         ORDER BY f.uploaded_at, f.id
        """;

    const string LoadBatchSql = LoadSql + ";\n" + DocumentsSql + ";\n" + FilesSql;
    const string LockBatchSql = LoadSql + " FOR UPDATE OF d;\n" + DocumentsSql + ";\n" + FilesSql;

    /// <summary>The applicant's dossier by id (drafts) or code; null when there is none of theirs.</summary>
    public async Task<Dossier?> LoadAsync(Guid applicantId, Guid? id, string? code, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await LoadAsync(conn, null, applicantId, id, code, ct);
    }

    async Task<Dossier?> LoadAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid applicantId, Guid? id, string? code, CancellationToken ct)
    {
        // Under a transaction the first statement locks the row, so the documents and files read after it are those of
        // the locked dossier.
        await using var batch = await conn.QueryMultipleAsync(new CommandDefinition(tx is null ? LoadBatchSql : LockBatchSql,
            new { applicantId, id = id ?? Guid.Empty, code = code ?? "", rules.MaxFileBytes, rules.MaxDossierBytes }, tx, cancellationToken: ct));
        return await ReadDossierAsync(batch);
    }

    static async Task<Dossier?> ReadDossierAsync(SqlMapper.GridReader batch)
    {
        var dossier = await batch.ReadSingleOrDefaultAsync<Dossier>();
        if (dossier is null) return null;
        var documents = await batch.ReadAsync<DocumentSlot>();
        var stored = (await batch.ReadAsync<DossierFile>()).ToList();
        return dossier with
        {
            Documents = [.. documents.Select(d => d with
            {
                Files = [.. stored.Where(f => f.LineNo == d.LineNo)],
                // §8.1: an online request still needs the original presented; its scans go in the copy document.
                PresentedAtCounter = dossier.IsCertifiedCopy && d.Originals > 0 && d.Copies == 0,
                Required = d.Required && !(dossier.IsCertifiedCopy && d.Originals > 0 && d.Copies == 0),
            })],
        };
    }

    // The applicant's timeline leaves out the back office's internal steps (a draft apology before its leader approves it).
    const string PageHistorySql = HistorySelect + " WHERE h.dossier_id IN (" + ThisDossier + ") AND h.action <> 'draft-apology' ORDER BY h.seq";
    const string PageRequestsSql = RequestsSelect + " WHERE dossier_id IN (" + ThisDossier + ") ORDER BY requested_at";

    const string PageBatchSql = LoadBatchSql + ";\n" + PageHistorySql + ";\n" + PageRequestsSql;

    /// <summary>
    /// Everything the owner's dossier page shows but the due date, in one round trip: the dossier with its documents
    /// and files, the timeline and the supplement requests. Null when there is none of theirs.
    /// </summary>
    public async Task<(Dossier Dossier, IReadOnlyList<HistoryEntry> History, IReadOnlyList<SupplementRequest> Requests)?> PageAsync(
        Guid applicantId, string code, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var batch = await conn.QueryMultipleAsync(new CommandDefinition(PageBatchSql,
            new { applicantId, id = Guid.Empty, code, rules.MaxFileBytes, rules.MaxDossierBytes }, cancellationToken: ct));
        var dossier = await ReadDossierAsync(batch);
        if (dossier is null) return null;
        var history = (await batch.ReadAsync<HistoryEntry>()).ToList();
        var requests = (await batch.ReadAsync<RequestRow>()).Select(Request).ToList();
        return (dossier, history, requests);
    }

    const string SaveAnswersSql = """
        UPDATE portal.dossiers
           SET answers = @answers::jsonb, current_step = @step, row_version = row_version + 1, updated_at = @now, expires_at = @expires,
               expiry_reminded_at = NULL
         WHERE id = @id AND applicant_id = @applicantId AND status = 0 AND row_version = @rowVersion
        RETURNING row_version
        """;

    /// <summary>
    /// Saves a draft's answers with the row version the page was rendered from. Null when the draft changed in the
    /// meantime (another tab) or is no longer a draft; the caller shows the person what they typed and asks again.
    /// </summary>
    public async Task<int?> SaveAnswersAsync(Guid applicantId, Guid id, int rowVersion, DossierAnswers answers, string nextStep, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<int?>(new CommandDefinition(SaveAnswersSql, new
        {
            id, applicantId, rowVersion, answers = JsonSerializer.Serialize(answers, Json), step = nextStep, now,
            expires = now + rules.DraftLifetime,
        }, cancellationToken: ct));
    }

    const string DeleteDraftSql = """
        DELETE FROM portal.dossier_files WHERE dossier_id = (SELECT id FROM portal.dossiers WHERE id = @id AND applicant_id = @applicantId AND status = 0);
        DELETE FROM portal.dossiers WHERE id = @id AND applicant_id = @applicantId AND status = 0;
        """;

    /// <summary>Deletes a draft the applicant no longer wants (stored file bytes are left to housekeeping).</summary>
    public async Task<bool> DeleteDraftAsync(Guid applicantId, Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(DeleteDraftSql, new { id, applicantId }, cancellationToken: ct)) > 0;
    }

    // ---- files ----

    /// <summary>The file types a dossier (and a result document) may hold.</summary>
    public static readonly FileType[] Accepted = [FileType.Pdf, FileType.Jpeg, FileType.Png, FileType.Docx, FileType.Xlsx, FileType.Odt, FileType.Cms];

    const string AddFileSql = """
        INSERT INTO portal.dossier_files (dossier_id, line_no, file_name, sha256, size, media_type, signature_report_id, uploaded_at,
                                          uploaded_by, pages, scan_dpi)
        VALUES (@dossierId, @lineNo, @fileName, @Sha256, @Size, @mediaType, @reportId, @now, @actor, @pages, @scanDpi)
        RETURNING id;
        UPDATE portal.dossiers SET updated_at = @now, expires_at = CASE WHEN status = 0 THEN @expires END, expiry_reminded_at = NULL
         WHERE id = @dossierId;
        """;

    /// <summary>
    /// Streams one file into a document of the applicant's draft: stored while hashed, type from magic bytes, size
    /// limits, PDF and CMS signatures verified. A refusal keeps every other file and answer as they were.
    /// </summary>
    public async Task<UploadOutcome?> UploadAsync(Guid applicantId, Guid dossierId, short lineNo, string fileName, Stream content, CancellationToken ct)
    {
        var dossier = await LoadAsync(applicantId, dossierId, null, ct);
        if (dossier is null || dossier.Documents.All(d => d.LineNo != lineNo)) return null;
        if (dossier.Status is not (DossierStatus.Draft or DossierStatus.AwaitingSupplement))
            return new UploadOutcome.Refused("Hồ sơ đã được gửi nên không thể thêm tệp. Hãy xem trạng thái hồ sơ trong mục Hồ sơ của tôi.");
        var name = FileNames.Sanitise(fileName);
        var saved = await files.SaveAsync(content, dossier.MaxFileBytes, ct);
        if (saved is StoreOutcome.TooLarge)
            return new UploadOutcome.Refused($"Tệp \"{name}\" lớn hơn {Size(dossier.MaxFileBytes)} — hãy chia nhỏ hoặc giảm độ phân giải rồi tải lên lại.");
        var file = ((StoreOutcome.Saved)saved).File;
        if (file.Type == FileType.Empty) return new UploadOutcome.Refused($"Tệp \"{name}\" rỗng. Hãy chọn lại tệp.");
        ScanUpload.Verdict.Accepted? scan = null;
        if (lineNo == dossier.CertifiedCopyLine)
        {
            // The scans of the original: PDF, JPEG or PNG of at least 200 dpi, checked now rather than at approval.
            switch (ScanUpload.Check(name, file.Type, await files.ReadAllAsync(file.Sha256, ct), ct))
            {
                case ScanUpload.Verdict.Refused refused: return new UploadOutcome.Refused(refused.Message);
                case ScanUpload.Verdict.Accepted accepted: scan = accepted; break;
            }
        }
        else if (!Accepted.Contains(file.Type) && !(dossier.AllowZip && file.Type == FileType.Zip))
            return new UploadOutcome.Refused(
                $"Tệp \"{name}\" là {file.Type.Label}. Tệp phải là PDF, JPG, PNG, Word (.docx), Excel (.xlsx) hoặc OpenDocument (.odt)"
                + (dossier.AllowZip ? " hoặc ZIP." : "."));

        SignatureReport? report = null;
        if (file.Type == FileType.Pdf || file.Type == FileType.Cms)
        {
            var verifier = await signatures.VerifierAsync(ct);
            if (file.Size <= verifier.Policy.MaxFileBytes)
            {
                var bytes = await files.ReadAllAsync(file.Sha256, ct);
                if (file.Type == FileType.Pdf && !Opens(bytes, ct))
                    return new UploadOutcome.Refused($"Tệp PDF \"{name}\" bị hỏng, không mở được. Hãy mở lại tệp trên máy, lưu hoặc xuất lại thành PDF rồi tải lên.");
                try { report = verifier.Verify(bytes, ct: ct); }
                catch (UnsupportedDocumentException) { report = null; }
                // A file staff could not open, or a signature without what it signs, is no document: say so now.
                if (report is null || report is { Format: "cms-detached" })
                    return new UploadOutcome.Refused($"Tệp \"{name}\" là chữ ký rời (.p7s) không kèm nội dung. Hãy tải lên tệp PDF đã ký, hoặc tệp .p7m.");
                if (report is { Format: "pdf", Indication: "TOTAL_FAILED", SubIndication: "FORMAT_FAILURE", Signatures.Count: 0 })
                    return new UploadOutcome.Refused($"Tệp PDF \"{name}\" bị hỏng, không mở được. Hãy mở lại tệp trên máy, lưu hoặc xuất lại thành PDF rồi tải lên.");
            }
        }

        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // The dossier row is locked so that two uploads at once cannot both slip under the dossier limit.
        var used = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            SELECT coalesce((SELECT sum(size) FROM portal.dossier_files WHERE dossier_id = d.id AND removed_at IS NULL), 0)
              FROM portal.dossiers d WHERE d.id = @dossierId AND d.applicant_id = @applicantId FOR UPDATE
            """, new { dossierId, applicantId }, tx, cancellationToken: ct));
        // The same content in the same document again (a double click, an API client retrying its PUT): one file.
        if (dossier.Documents.Single(d => d.LineNo == lineNo).Files.FirstOrDefault(f => f.Sha256 == file.Sha256) is { } same)
            return new UploadOutcome.Accepted(same);
        if (used + file.Size > dossier.MaxDossierBytes)
            return new UploadOutcome.Refused(
                $"Tổng dung lượng hồ sơ không được quá {Size(dossier.MaxDossierBytes)} (đã dùng {Size(used)}). Hãy giảm dung lượng tệp \"{name}\" hoặc xóa bớt tệp không cần.");
        await FileStore.RecordAsync(conn, tx, file, now);
        long? reportId = report is null ? null : await SignatureStore.SaveReportAsync(conn, tx, report, "upload", ct);
        var id = await conn.ExecuteScalarAsync<Guid>(new CommandDefinition(AddFileSql, new
        {
            dossierId, lineNo, fileName = name, file.Sha256, file.Size, mediaType = file.Type.MediaType, reportId, now,
            actor = Actor(applicantId), expires = now + rules.DraftLifetime, pages = scan?.Pages, scanDpi = scan?.Dpi,
        }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new UploadOutcome.Accepted(new DossierFile
        {
            Id = id, LineNo = lineNo, FileName = name, Sha256 = file.Sha256, Size = file.Size, MediaType = file.Type.MediaType,
            SignatureReportId = reportId, Indication = report?.Indication,
            SignatureSummary = report is null ? null : report.Title + ". " + report.Message, UploadedAt = now,
            Pages = scan?.Pages, ScanDpi = scan?.Dpi,
        });
    }

    /// <summary>Whether a PDF has a readable structure and at least one page (what staff need to open it).</summary>
    static bool Opens(byte[] pdf, CancellationToken ct)
    {
        try { return Portal.Core.Signatures.Pdf.PdfFile.Open(pdf, ct).Pages().Count > 0; }
        // The reader has limits on nesting and sizes; anything it cannot follow is a file staff could not open either,
        // and a message beats a 500.
        catch (Exception e) when (e is not OperationCanceledException) { return false; }
    }

    const string RemoveFileSql = """
        UPDATE portal.dossier_files f SET removed_at = @now
          FROM portal.dossiers d
         WHERE f.id = @fileId AND f.dossier_id = d.id AND d.id = @dossierId AND d.applicant_id = @applicantId
           AND d.status IN (0, 5) AND f.removed_at IS NULL
        """;

    public async Task<bool> RemoveFileAsync(Guid applicantId, Guid dossierId, Guid fileId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(RemoveFileSql,
            new { applicantId, dossierId, fileId, now = clock.GetUtcNow() }, cancellationToken: ct)) > 0;
    }

    const string FileSql = """
        SELECT f.sha256, f.file_name, f.media_type, f.size
          FROM portal.dossier_files f JOIN portal.dossiers d ON d.id = f.dossier_id
         WHERE f.id = @fileId AND d.applicant_id = @applicantId
        """;

    /// <summary>A file of the applicant's dossiers for download (removed ones too: they are in the history); null for anybody else's.</summary>
    public async Task<(string Sha256, string FileName, string MediaType, long Size)?> FileAsync(Guid applicantId, Guid fileId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<(string, string, string, long)?>(new CommandDefinition(FileSql,
            new { applicantId, fileId }, cancellationToken: ct));
    }

    public Stream OpenFile(string sha256) => files.OpenRead(sha256);

    public static string Size(long bytes) => bytes switch
    {
        >= 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MB".Replace('.', ','),
        >= 1024 => $"{bytes / 1024.0:0} KB",
        _ => $"{bytes} byte",
    };
}
