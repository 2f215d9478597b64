using System.Security.Cryptography;
using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Portal.Core.BackOffice;
using Portal.Core.Deadlines;
using Portal.Core.Documents;
using Portal.Core.Dossiers;
using Portal.Core.Identity;
using Portal.Core.Notifications;
using Portal.Core.Signatures;

namespace Portal.Core.CertifiedCopies;

/// <summary>Where the copies point: the public address the QR code and the e-mail link start with (Portal:PublicUrl).</summary>
public sealed record CertifiedCopySettings(string PublicUrl);

/// <summary>A copy that cannot be issued now, with the reason the officer sees (Vietnamese).</summary>
public sealed class CopyIssueException(string message) : Exception(message);

/// <summary>A copy as the public verification page shows it (/xac-thuc/{code}).</summary>
public sealed record IssuedCopy
{
    public string Code { get; init; } = "";
    public string AgencyName { get; init; } = "";
    public int BookNo { get; init; }
    public short BookYear { get; init; }
    public string SignerName { get; init; } = "";
    public string SignerTitle { get; init; } = "";
    public string Sha256 { get; init; } = "";
    public long Size { get; init; }
    public int Pages { get; init; }
    public short Copies { get; init; }
    public DateTimeOffset IssuedAt { get; init; }
    public string BookNumber => CertificationBook.Number(BookNo, BookYear);
}

/// <summary>
/// Electronic certified copies (DOMAIN.md §8): after the certifying officer's approval (BackOffice "approve", which
/// queues the copy), <see cref="IssuePendingAsync"/> — the certified-copies job — builds each copy, numbers it in the
/// agency's electronic-copy book, signs it with the agency's key (PAdES, incremental), stores it, makes it the dossier's
/// result and closes the dossier as the back office would, and tells the citizen; all in one transaction per copy, so
/// a failure consumes no number and leaves the copy pending with its error.
/// </summary>
public sealed class CertifiedCopies(NpgsqlDataSource db, TimeProvider clock, Portal.Core.BackOffice.BackOffice office, FileStore files,
    CalendarStore calendars, SigningKeys keys, PadesSigner signer, SignatureStore signatures, FormSite site, CertifiedCopySettings settings,
    ILogger<CertifiedCopies>? log = null)
{
    static CertifiedCopies() => System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(Dossiers.Dossiers).TypeHandle);

    readonly ILogger logger = (ILogger?)log ?? NullLogger.Instance;
    // Keys are loaded once per agency; a missing key is looked up again next time (the operator may add it).
    readonly ConcurrentDictionary<string, SigningKey> signingKeys = new(StringComparer.Ordinal);

    public const string ResultTitle = "Bản sao điện tử chứng thực từ bản chính";
    const int Batch = 50;

    sealed record Due(Guid Id, Guid DossierId, Guid VersionId, string AgencyCode);

    const string DueSql = """
        SELECT c.id, c.dossier_id, d.version_id, a.code AS agency_code
          FROM portal.certified_copies c
          JOIN portal.dossiers d ON d.id = c.dossier_id
          JOIN portal.agency a ON a.id = d.receiving_agency_id
         WHERE c.status = 'pending' AND (c.next_attempt_at IS NULL OR c.next_attempt_at <= @now)
         ORDER BY c.requested_at
         LIMIT @limit
        """;

    /// <summary>
    /// Issues every copy that is due, each in its own transaction; returns how many were issued. Several workers may
    /// run this at once: each copy is claimed with SKIP LOCKED, and the book's row lock orders their numbers.
    /// </summary>
    public async Task<int> IssuePendingAsync(CancellationToken ct)
    {
        var issued = 0;
        var tried = new HashSet<Guid>();
        while (true)
        {
            List<Due> due;
            await using (var conn = await db.OpenConnectionAsync(ct))
                due = [.. await conn.QueryAsync<Due>(new CommandDefinition(DueSql, new { now = clock.GetUtcNow(), limit = Batch }, cancellationToken: ct))];
            // A copy another worker holds, or one that failed in this run, is not tried twice in one run.
            var fresh = due.Where(d => tried.Add(d.Id)).ToList();
            if (fresh.Count == 0) return issued;
            foreach (var copy in fresh)
                if (await IssueAsync(copy, ct)) issued++;
        }
    }

    // Claimed only if still pending and due and not held by another worker (STYLE.md example 13: SKIP LOCKED).
    const string ClaimSql = """
        SELECT id, pages, copies, fee_vnd, requested_by, attempts
          FROM portal.certified_copies
         WHERE id = @id AND status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= @now)
           FOR UPDATE SKIP LOCKED
        """;

    sealed record Claim
    {
        public Guid Id { get; init; }
        public int Pages { get; init; }
        public short Copies { get; init; }
        public long FeeVnd { get; init; }
        public string RequestedBy { get; init; } = "";
        public int Attempts { get; init; }
    }

    // The dossier is locked before the book, so the book's lock (which serialises an agency's issues) is never held
    // while waiting for an officer's action on the dossier.
    const string DossierSql = """
        SELECT d.code, d.status, d.approved_at, d.answers::text AS answers, v.certified_copy_line,
               coalesce(h.code, r.code) AS agency_code, coalesce(h.name, r.name) AS agency_name,
               s.display_name AS signer_name, s.roles AS signer_roles
          FROM portal.dossiers d
          JOIN portal.procedure_version v ON v.id = d.version_id
          JOIN portal.agency r ON r.id = d.receiving_agency_id
          LEFT JOIN portal.agency h ON h.id = d.holder_agency_id
          LEFT JOIN portal.staff_accounts s ON s.login = @login
         WHERE d.id = @dossierId
           FOR UPDATE OF d
        """;

    sealed record Work
    {
        public string Code { get; init; } = "";
        public short Status { get; init; }
        public DateTimeOffset? ApprovedAt { get; init; }
        public DossierAnswers Answers { get; init; } = new();
        public short? CertifiedCopyLine { get; init; }
        public string AgencyCode { get; init; } = "";
        public string AgencyName { get; init; } = "";
        public string? SignerName { get; init; }
        public string[]? SignerRoles { get; init; }
    }

    const string ScansSql = """
        SELECT file_name, sha256, media_type FROM portal.dossier_files
         WHERE dossier_id = @dossierId AND line_no = @line AND removed_at IS NULL
         ORDER BY uploaded_at, id
        """;

    const string IssuedSql = """
        UPDATE portal.certified_copies
           SET status = 'issued', code = @code, agency_code = @agencyCode, agency_name = @agencyName, book_year = @year, book_no = @no,
               signer_name = @signerName, signer_title = @signerTitle, sha256 = @sha256, size = @size, result_code = @resultCode,
               issued_at = @now, attempts = attempts + 1, last_error = NULL, next_attempt_at = NULL
         WHERE id = @id
        """;

    async Task<bool> IssueAsync(Due due, CancellationToken ct)
    {
        // What needs connections of its own is fetched before this one is taken (never two at once).
        var calendar = await calendars.CalendarAsync(due.AgencyCode, ct);
        var verifier = await signatures.VerifierAsync(ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var claim = await conn.QuerySingleOrDefaultAsync<Claim>(new CommandDefinition(ClaimSql, new { id = due.Id, now }, tx, cancellationToken: ct));
        if (claim is null) return false;
        try
        {
            var w = await conn.QuerySingleAsync<Work>(new CommandDefinition(DossierSql,
                new { due.DossierId, login = claim.RequestedBy.StartsWith("staff:", StringComparison.Ordinal) ? claim.RequestedBy[6..] : null },
                tx, cancellationToken: ct));
            if (w.Status != DossierStatus.Processing || w.ApprovedAt is null)
            {
                // Sent back or stopped after approval: this request is over; a new approval makes a new one.
                await conn.ExecuteAsync(new CommandDefinition("""
                    UPDATE portal.certified_copies SET status = 'cancelled', cancelled_note = @note WHERE id = @id
                    """, new { id = claim.Id, note = $"Hồ sơ không còn ở bước đã phê duyệt (trạng thái “{DossierStatus.Name(w.Status)}”)." },
                    tx, cancellationToken: ct));
                await tx.CommitAsync(ct);
                return false;
            }
            var key = KeyFor(w.AgencyCode)
                ?? throw new CopyIssueException($"Chưa cấu hình khóa ký số cho {w.AgencyName} ({w.AgencyCode}) hay khóa mặc định của cổng "
                    + "(Portal:Signing). Bản sao chưa được cấp và chưa lấy số chứng thực; hệ thống sẽ thử lại sau khi khóa được cấu hình.");
            var scans = new List<ScanFile>();
            foreach (var f in await conn.QueryAsync<(string FileName, string Sha256, string MediaType)>(new CommandDefinition(ScansSql,
                         new { due.DossierId, line = w.CertifiedCopyLine }, tx, cancellationToken: ct)))
            {
                var bytes = await files.ReadAllAsync(f.Sha256, ct);
                scans.Add(new ScanFile(f.FileName, bytes, FileType.Detect(bytes.AsSpan(0, Math.Min(bytes.Length, FileStore.HeadBytes)))));
            }
            if (scans.Count == 0) throw new CopyIssueException("Hồ sơ không còn bản quét nào của bản chính; hãy trả hồ sơ về để tải lại bản quét.");

            var year = LegalTime.DateOf(now).Year;
            var no = await CertificationBook.NextAsync(conn, tx, w.AgencyCode, year, now, ct);
            var code = NewCode();
            var bookNumber = CertificationBook.Number(no, year);
            var signerName = w.SignerName ?? claim.RequestedBy;
            var signerTitle = Title(w.SignerRoles);
            var verifyUrl = $"{settings.PublicUrl.TrimEnd('/')}/xac-thuc/{code}";
            var pdf = CopyPdf.Build(scans, new CopyStatement
            {
                AgencyName = w.AgencyName, ProvinceName = site.ProvinceName, BookNumber = bookNumber, IssuedAt = now,
                SignerName = signerName, SignerTitle = signerTitle, DossierCode = w.Code, Copies = claim.Copies, FeeVnd = claim.FeeVnd,
                VerifyUrl = verifyUrl, VerifyCode = code, DemoMarker = site.DemoMarker,
            });
            var signed = await signer.SignAsync(pdf, key, new SignOptions
            {
                Reason = $"Chứng thực bản sao đúng với bản chính, số chứng thực {bookNumber}", Location = site.ProvinceName,
            }, ct);
            // SIGNATURES.md §11.1 step 9: the output is verified before it is issued, and the report kept.
            var report = verifier.Verify(signed, ct: ct);
            if (report.Indication == "TOTAL_FAILED")
                throw new CopyIssueException($"Chữ ký số trên bản sao không hợp lệ ({report.Message}); bản sao chưa được cấp.");
            var stored = await StoreAsync(conn, tx, signed, now, ct);
            await SignatureStore.SaveReportAsync(conn, tx, report, "issued", ct);

            var fileName = $"ban-sao-chung-thuc-{no}-{year}-{w.Code}.pdf";
            var outcome = await office.CompleteCertifiedCopyAsync(conn, tx, due.DossierId, due.VersionId, calendar,
                new ResultFile(stored, fileName), $"{ResultTitle}, số chứng thực {bookNumber}", ct);
            if (outcome is not ActionOutcome.Done)
                throw new CopyIssueException(outcome is ActionOutcome.Refused r ? r.Message : $"Không hoàn thành được hồ sơ ({outcome.GetType().Name}).");
            var resultCode = await conn.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT code FROM portal.dossier_results WHERE dossier_id = @dossierId ORDER BY n DESC LIMIT 1", new { due.DossierId }, tx, cancellationToken: ct));
            await conn.ExecuteAsync(new CommandDefinition(IssuedSql, new
            {
                id = claim.Id, code, w.AgencyCode, w.AgencyName, year = (short)year, no, signerName, signerTitle, sha256 = stored.Sha256,
                size = stored.Size, resultCode, now,
            }, tx, cancellationToken: ct));
            if (w.Answers.Applicant is { Email: { Length: > 0 } email } applicant)
                await Outbox.EnqueueAsync(conn, tx, Notice(due.DossierId, w, applicant.FullName, email, bookNumber, now, signerName, claim.FeeVnd,
                    verifyUrl, stored.Sha256, fileName), now);
            await tx.CommitAsync(ct);
            logger.LogInformation("Certified copy {Book} issued for {Dossier} ({Sha256})", bookNumber, w.Code, stored.Sha256);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await tx.RollbackAsync(CancellationToken.None);
            await FailedAsync(conn, claim, e, now);
            return false;
        }
    }

    // A failed attempt waits 1, 2, 4 … minutes (at most an hour) before the next: a missing key or a broken scan does
    // not spin the job, and the officer sees the reason meanwhile.
    const string FailedSql = """
        UPDATE portal.certified_copies
           SET attempts = attempts + 1, last_error = @error, next_attempt_at = @next
         WHERE id = @id AND status = 'pending'
        """;

    async Task FailedAsync(NpgsqlConnection conn, Claim claim, Exception e, DateTimeOffset now)
    {
        var message = e is CopyIssueException ? e.Message : $"Lỗi hệ thống khi cấp bản sao ({e.GetType().Name}): {e.Message}";
        if (e is CopyIssueException) logger.LogWarning("Certified copy {Id} not issued: {Reason}", claim.Id, e.Message);
        else logger.LogError(e, "Certified copy {Id} failed", claim.Id);
        var wait = TimeSpan.FromMinutes(Math.Min(60, 1 << Math.Min(claim.Attempts, 6)));
        await conn.ExecuteAsync(new CommandDefinition(FailedSql, new { id = claim.Id, error = message[..Math.Min(message.Length, 2000)], next = now + wait },
            cancellationToken: CancellationToken.None));
    }

    SigningKey? KeyFor(string agencyCode)
    {
        if (signingKeys.TryGetValue(agencyCode, out var cached)) return cached;
        return keys.For(agencyCode) is { } key ? signingKeys.GetOrAdd(agencyCode, key) : null;
    }

    async Task<StoredFile> StoreAsync(NpgsqlConnection conn, NpgsqlTransaction tx, byte[] bytes, DateTimeOffset now, CancellationToken ct)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        var stored = ((StoreOutcome.Saved)await files.SaveAsync(stream, long.MaxValue, ct)).File;
        await FileStore.RecordAsync(conn, tx, stored, now);
        return stored;
    }

    /// <summary>The certifying person's title on the copy: the highest of their roles that signs.</summary>
    static string Title(string[]? roles) =>
        roles?.Contains("agency-leader") == true ? StaffRoles.Labels["agency-leader"]
        : roles?.Contains("head-of-division") == true ? StaffRoles.Labels["head-of-division"]
        : "Người thực hiện chứng thực";

    /// <summary>16 characters of base32 (80 random bits): short enough to type, far too many to guess.</summary>
    public static string NewCode()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        Span<byte> random = stackalloc byte[10];
        RandomNumberGenerator.Fill(random);
        var chars = new char[16];
        ulong bits = 0;
        int have = 0, at = 0;
        foreach (var b in random)
        {
            bits = (bits << 8) | b;
            have += 8;
            while (have >= 5)
            {
                chars[at++] = alphabet[(int)((bits >> (have - 5)) & 31)];
                have -= 5;
            }
        }
        return new string(chars);
    }

    OutboxMessage Notice(Guid dossierId, Work w, string name, string email, string bookNumber, DateTimeOffset now, string signerName, long fee,
        string verifyUrl, string sha256, string fileName)
    {
        var link = $"/ho-so/{w.Code}";
        var body = $"""
            Kính gửi {name},

            Bản sao điện tử chứng thực từ bản chính của hồ sơ {w.Code} đã được cấp.
            Số chứng thực: {bookNumber}, ngày {LegalTime.Local(now):dd/MM/yyyy}; cơ quan chứng thực: {w.AgencyName}; người ký: {signerName}.
            Phí chứng thực: {CopyFee.Vnd(fee)}.

            Bản sao được đính kèm thư này; bạn cũng tải được tại {settings.PublicUrl.TrimEnd('/')}{link} (mục Kết quả).
            Ai nhận bản sao có thể kiểm tra bản sao là thật tại {verifyUrl}.
            """;
        return new OutboxMessage("certified-copy-issued", email, $"Hồ sơ {w.Code}: đã cấp bản sao điện tử chứng thực số {bookNumber}", body)
        {
            DossierId = dossierId,
            Data = new Dictionary<string, string>
            {
                ["code"] = w.Code, ["link"] = link, ["fileSha256"] = sha256, ["fileName"] = fileName, ["bookNumber"] = bookNumber,
                ["verifyUrl"] = verifyUrl,
            },
        };
    }

    // ---- the public verification page ----

    const string FindSql = """
        SELECT c.code, c.agency_name, c.book_no, c.book_year, c.signer_name, c.signer_title, c.sha256, c.size, c.pages, c.copies, c.issued_at
          FROM portal.certified_copies c
         WHERE c.code = @code AND c.status = 'issued'
        """;

    /// <summary>The issued copy with this verification code; null when there is none.</summary>
    public async Task<IssuedCopy?> FindAsync(string code, CancellationToken ct)
    {
        code = code.Trim().ToUpperInvariant();
        if (code.Length != 16 || !code.All(c => c is >= 'A' and <= 'Z' or >= '2' and <= '7')) return null;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<IssuedCopy>(new CommandDefinition(FindSql, new { code }, cancellationToken: ct));
    }

    /// <summary>What comparing a file with an issued copy found: the hash match and our verifier's report of the file.</summary>
    public sealed record Comparison(bool Matches, string Sha256, SignatureReport? Report);

    /// <summary>
    /// Compares a file someone holds with the issued copy: the SHA-256 must be the recorded one (any changed byte
    /// breaks it), and the file's signatures are verified as the public signature check does. Nothing is stored.
    /// </summary>
    public async Task<Comparison> CompareAsync(IssuedCopy copy, ReadOnlyMemory<byte> file, CancellationToken ct)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(file.Span));
        var verifier = await signatures.VerifierAsync(ct);
        SignatureReport? report;
        try { report = verifier.Verify(file, ct: ct); }
        catch (UnsupportedDocumentException) { report = null; }
        return new Comparison(string.Equals(sha, copy.Sha256, StringComparison.Ordinal), sha, report);
    }
}
