using System.Security.Cryptography.X509Certificates;
using Dapper;
using Npgsql;

namespace Portal.Core.Signatures;

/// <summary>
/// Validation reports and the administrators' trust-store additions in PostgreSQL, and the verifier built from them.
/// The verifier is cached per node by <c>portal.trust_state.version</c>, bumped in the transaction of every change.
/// </summary>
public sealed class SignatureStore(NpgsqlDataSource db, SignaturePolicy policy, TimeProvider clock, TrustStore? configured = null,
    CmsEvidence? revocationCache = null)
{
    // Anchors and intermediates from configuration (the demo's PKI, a test's PKI) on top of the shipped store.
    readonly TrustStore baseStore = configured ?? TrustStore.Default();
    readonly SemaphoreSlim gate = new(1, 1);
    (long Version, SignatureVerifier Verifier)? cached;

    public sealed record TrustCertificate
    {
        public string Sha256 { get; init; } = "";
        public string Role { get; init; } = "";
        public string Subject { get; init; } = "";
        public DateTimeOffset NotBefore { get; init; }
        public DateTimeOffset NotAfter { get; init; }
        public byte[] Der { get; init; } = [];
        public string Note { get; init; } = "";
        public string AddedBy { get; init; } = "";
        public DateTimeOffset AddedAt { get; init; }
        public string? RemovedBy { get; init; }
        public DateTimeOffset? RemovedAt { get; init; }
    }

    /// <summary>The verifier for the current trust store.</summary>
    public async Task<SignatureVerifier> VerifierAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var version = await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT version FROM portal.trust_state", cancellationToken: ct));
        if (cached is { } c && c.Version == version) return c.Verifier;
        await gate.WaitAsync(ct);
        try
        {
            if (cached is { } again && again.Version == version) return again.Verifier;
            var extra = await ActiveCertificatesAsync(conn, ct);
            var trust = new TrustStore(
                baseStore.Anchors.Concat(extra.Where(e => e.Role == "anchor").Select(e => X509CertificateLoader.LoadCertificate(e.Der))),
                baseStore.Intermediates.Concat(extra.Where(e => e.Role == "intermediate").Select(e => X509CertificateLoader.LoadCertificate(e.Der))));
            var verifier = new SignatureVerifier(trust, policy, clock, revocationCache);
            cached = (version, verifier);
            return verifier;
        }
        finally { gate.Release(); }
    }

    const string ActiveSql = """
        SELECT sha256, role, subject, not_before, not_after, der, note, added_by, added_at, removed_by, removed_at
        FROM portal.trust_certificates WHERE removed_at IS NULL ORDER BY added_at
        """;

    static async Task<List<TrustCertificate>> ActiveCertificatesAsync(NpgsqlConnection conn, CancellationToken ct) =>
        [.. await conn.QueryAsync<TrustCertificate>(new CommandDefinition(ActiveSql, cancellationToken: ct))];

    const string AllSql = """
        SELECT sha256, role, subject, not_before, not_after, der, note, added_by, added_at, removed_by, removed_at
        FROM portal.trust_certificates ORDER BY added_at DESC
        """;

    /// <summary>Every administrator addition, removed ones included (for the audit on the admin page).</summary>
    public async Task<IReadOnlyList<TrustCertificate>> CertificatesAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return [.. await conn.QueryAsync<TrustCertificate>(new CommandDefinition(AllSql, cancellationToken: ct))];
    }

    const string AddSql = """
        INSERT INTO portal.trust_certificates (sha256, role, subject, not_before, not_after, der, note, added_by, added_at)
        VALUES (@Sha256, @Role, @Subject, @NotBefore, @NotAfter, @Der, @Note, @AddedBy, @AddedAt)
        ON CONFLICT (sha256) DO UPDATE SET role = excluded.role, note = excluded.note, added_by = excluded.added_by,
            added_at = excluded.added_at, removed_by = NULL, removed_at = NULL
        """;

    /// <summary>
    /// Adds an anchor or intermediate. Returns the problems with the certificate (Vietnamese) and saves nothing if
    /// there are any; the role and the note (where it came from) are the caller's to ask for.
    /// </summary>
    public async Task<IReadOnlyList<string>> AddCertificateAsync(X509Certificate2 cert, string role, string note, string actor, CancellationToken ct)
    {
        if (role is not ("anchor" or "intermediate")) throw new ArgumentException($"Unknown trust role {role}.", nameof(role));
        if (string.IsNullOrWhiteSpace(note)) throw new ArgumentException("A trust certificate needs a note saying where it came from.", nameof(note));
        var ca = cert.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (ca is not { CertificateAuthority: true })
            return ["Chứng thư này không phải của tổ chức chứng thực (CA), không thể thêm vào kho tin cậy."];

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(AddSql, new
        {
            Sha256 = TrustStore.Fingerprint(cert), Role = role, Subject = cert.Subject,
            NotBefore = new DateTimeOffset(cert.NotBefore.ToUniversalTime()), NotAfter = new DateTimeOffset(cert.NotAfter.ToUniversalTime()),
            Der = cert.RawData, Note = note.Trim(), AddedBy = actor, AddedAt = clock.GetUtcNow(),
        }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition(BumpSql, transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return [];
    }

    const string RemoveSql = """
        UPDATE portal.trust_certificates SET removed_by = @actor, removed_at = @at
        WHERE sha256 = @sha256 AND removed_at IS NULL
        """;

    const string BumpSql = "UPDATE portal.trust_state SET version = version + 1";

    public async Task<bool> RemoveCertificateAsync(string sha256, string actor, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var removed = await conn.ExecuteAsync(new CommandDefinition(RemoveSql, new { sha256, actor, at = clock.GetUtcNow() }, tx, cancellationToken: ct));
        if (removed > 0) await conn.ExecuteAsync(new CommandDefinition(BumpSql, transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return removed > 0;
    }

    const string SaveSql = """
        INSERT INTO portal.signature_reports (file_sha256, file_size, media_type, format, indication, sub_indication, summary,
            purpose, validated_at, validation_time, validator_version, policy_version, trust_store_version, report)
        VALUES (@FileSha256, @FileSize, @MediaType, @Format, @Indication, @SubIndication, @Summary,
            @Purpose, @ValidatedAt, @ValidationTime, @ValidatorVersion, @PolicyVersion, @TrustStoreVersion, @Report::jsonb)
        RETURNING id
        """;

    /// <summary>Stores a report; pass the caller's transaction to store it with the file's metadata (§7).</summary>
    public static async Task<long> SaveReportAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, SignatureReport report, string purpose, CancellationToken ct) =>
        await conn.ExecuteScalarAsync<long>(new CommandDefinition(SaveSql, new
        {
            report.FileSha256, report.FileSize, report.MediaType, report.Format, report.Indication, report.SubIndication,
            Summary = report.Title + ". " + report.Message, Purpose = purpose,
            ValidatedAt = report.ValidatedAt.ToUniversalTime(), ValidationTime = report.ValidationTime.ToUniversalTime(),
            report.ValidatorVersion, report.PolicyVersion, report.TrustStoreVersion, Report = report.ToJson(),
        }, tx, cancellationToken: ct));

    public async Task<long> SaveReportAsync(SignatureReport report, string purpose, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await SaveReportAsync(conn, null, report, purpose, ct);
    }

    const string LatestSql = """
        SELECT report::text FROM portal.signature_reports WHERE file_sha256 = @sha256 ORDER BY validated_at DESC, id DESC LIMIT 1
        """;

    public async Task<SignatureReport?> LatestReportAsync(string sha256, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var json = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(LatestSql, new { sha256 }, cancellationToken: ct));
        return json is null ? null : SignatureReport.FromJson(json);
    }
}
