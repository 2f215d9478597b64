using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using Portal.Core.Deadlines;
using Portal.Core.Notifications;

namespace Portal.Core.Identity;

/// <summary>A citizen or organisation account (portal.applicants).</summary>
public sealed record Applicant
{
    public Guid Id { get; init; }
    public string Kind { get; init; } = "";
    public string FullName { get; init; } = "";
    public DateOnly? BirthDate { get; init; }
    public string? IdNumber { get; init; }
    public string? TaxCode { get; init; }
    public string? Representative { get; init; }
    public string Address { get; init; } = "";
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? PasswordHash { get; init; }
    public int FailedSignIns { get; init; }
    public DateTimeOffset? LockedUntil { get; init; }
    public Guid SecurityStamp { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    public bool IsOrganisation => Kind == ApplicantKinds.Organisation;

    /// <summary>The details as the edit form shows them.</summary>
    public ApplicantDetails Details => new()
    {
        Kind = Kind, FullName = FullName, BirthDate = BirthDate is { } b ? ApplicantDetails.FormatDate(b) : "",
        IdNumber = IdNumber ?? "", TaxCode = TaxCode ?? "", Representative = Representative ?? "", Address = Address,
    };
}

public abstract record ApplicantSignIn
{
    public sealed record Success(Applicant Applicant) : ApplicantSignIn;
    public sealed record Failed : ApplicantSignIn;
    public sealed record LockedOut(DateTimeOffset Until) : ApplicantSignIn;
}

public sealed record ApiToken
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string Prefix { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }
}

/// <summary>A token just created: <see cref="Token"/> is the only copy of the plaintext, shown to its owner once.</summary>
public sealed record CreatedApiToken(Guid Id, string Token, string Prefix);

/// <summary>
/// Citizen and organisation accounts: registration with an e-mail and/or phone number and a password, sign-in with
/// lockout, the security stamp that ends sessions, password reset by e-mail, profile details and personal API tokens.
/// How someone signs in lives in portal.applicant_logins, apart from the account: VNeID (OpenID Connect) will link as
/// one more row, provider 'vneid' with key = the OIDC subject, and an account made through VNeID has password_hash NULL
/// (it cannot sign in with a password until it sets one through a reset).
/// </summary>
public sealed class Applicants(NpgsqlDataSource db, TimeProvider clock)
{
    public const int MaxFailures = StaffAccounts.MaxFailures;
    public static readonly TimeSpan LockoutTime = StaffAccounts.LockoutTime;
    public static readonly TimeSpan ResetTokenLifetime = TimeSpan.FromHours(1);
    public const string ResetPath = "/tai-khoan/dat-lai-mat-khau";
    public const string TokenPrefix = "pt_";
    public const int MaxTokenNameLength = 100;

    static readonly PasswordHasher<Applicant> Hasher = new();
    static readonly string DummyHash = Hasher.HashPassword(new Applicant(), Guid.NewGuid().ToString());

    const string Columns = """
        a.id, a.kind, a.full_name, a.birth_date, a.id_number, a.tax_code, a.representative, a.address, a.email, a.phone,
        a.password_hash, a.failed_sign_ins, a.locked_until, a.security_stamp, a.created_at
        """;

    // ---- Registration ------------------------------------------------------------------------------------------

    const string InsertSql = """
        INSERT INTO portal.applicants (id, kind, full_name, birth_date, id_number, tax_code, representative, address,
                                       email, phone, password_hash, created_at)
        VALUES (@id, @kind, @fullName, @birthDate, @idNumber, @taxCode, @representative, @address,
                @email, @phone, @hash, @at)
        """;

    // ON CONFLICT DO NOTHING rather than a check first: two registrations racing for one address cannot both win.
    const string InsertLoginSql = """
        INSERT INTO portal.applicant_logins (provider, key, applicant_id, created_at)
        VALUES (@provider, @key, @id, @at)
        ON CONFLICT (provider, key) DO NOTHING
        """;

    /// <summary>Creates the account, or returns every problem (nothing saved). A login already taken is a problem on its field.</summary>
    public async Task<(Applicant? Applicant, IReadOnlyList<(string Field, string Message)> Problems)> RegisterAsync(
        Registration registration, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var problems = registration.Validate(LegalTime.DateOf(now));
        if (problems.Count > 0) return (null, problems);

        var details = registration.Details.Normalised();
        var email = registration.Email.Trim() == "" ? null : Logins.Email(registration.Email);
        var phone = registration.Phone.Trim() == "" ? null : Logins.Phone(registration.Phone);
        var id = Guid.CreateVersion7();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(InsertSql, new
        {
            id, kind = details.Kind, fullName = details.FullName,
            birthDate = details.IsOrganisation ? null : ApplicantDetails.ParseDate(details.BirthDate),
            idNumber = details.IsOrganisation ? null : details.IdNumber,
            taxCode = details.IsOrganisation ? details.TaxCode : null,
            representative = details.IsOrganisation ? details.Representative : null,
            address = details.Address, email, phone,
            hash = Hasher.HashPassword(new Applicant(), registration.Password), at = now.UtcDateTime,
        }, tx, cancellationToken: ct));
        var taken = new List<(string, string)>();
        if (email is not null && !await AddLoginAsync(conn, tx, Logins.EmailProvider, email, id, now, ct))
            taken.Add(("email", "Email này đã được dùng để đăng ký. Hãy đăng nhập hoặc đặt lại mật khẩu."));
        if (phone is not null && !await AddLoginAsync(conn, tx, Logins.PhoneProvider, phone, id, now, ct))
            taken.Add(("phone", "Số điện thoại này đã được dùng để đăng ký. Hãy đăng nhập hoặc đặt lại mật khẩu."));
        if (taken.Count > 0) return (null, taken);          // disposing the transaction rolls back the new row
        await tx.CommitAsync(ct);
        return (await FindAsync(id, ct), []);
    }

    static async Task<bool> AddLoginAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string provider, string key, Guid id,
        DateTimeOffset now, CancellationToken ct) =>
        await conn.ExecuteAsync(new CommandDefinition(InsertLoginSql, new { provider, key, id, at = now.UtcDateTime }, tx, cancellationToken: ct)) == 1;

    // ---- Reading -----------------------------------------------------------------------------------------------

    const string FindSql = $"""
        SELECT {Columns}
          FROM portal.applicants a
         WHERE a.id = @id
        """;

    public async Task<Applicant?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Applicant>(new CommandDefinition(FindSql, new { id }, cancellationToken: ct));
    }

    const string FindByLoginSql = $"""
        SELECT {Columns}
          FROM portal.applicant_logins l
          JOIN portal.applicants a ON a.id = l.applicant_id
         WHERE l.provider = @provider AND l.key = @key
        """;

    /// <summary>The account an e-mail address or phone number signs in to, however it was typed.</summary>
    public async Task<Applicant?> FindByLoginAsync(string login, CancellationToken ct)
    {
        if (Logins.Parse(login) is not { } parsed) return null;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Applicant>(new CommandDefinition(FindByLoginSql,
            new { provider = parsed.Provider, key = parsed.Key }, cancellationToken: ct));
    }

    // ---- Sign-in and sessions ----------------------------------------------------------------------------------

    const string FailureSql = """
        UPDATE portal.applicants
           SET failed_sign_ins = failed_sign_ins + 1,
               locked_until = CASE WHEN failed_sign_ins + 1 >= @max THEN @until ELSE locked_until END
         WHERE id = @id
        RETURNING locked_until
        """;

    const string SuccessSql = "UPDATE portal.applicants SET failed_sign_ins = 0, locked_until = NULL WHERE id = @id";

    /// <summary>Sign-in with whichever login the person typed (e-mail or phone number) and the password.</summary>
    public async Task<ApplicantSignIn> SignInAsync(string login, string password, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var account = await FindByLoginAsync(login, ct);
        if (account?.PasswordHash is not { } hash)
        {
            // Same work as a real check, so that timing does not reveal which logins exist.
            Hasher.VerifyHashedPassword(new Applicant(), DummyHash, password);
            return new ApplicantSignIn.Failed();
        }
        if (account.LockedUntil is { } until && until > now) return new ApplicantSignIn.LockedOut(until);
        await using var conn = await db.OpenConnectionAsync(ct);
        if (Hasher.VerifyHashedPassword(account, hash, password) == PasswordVerificationResult.Failed)
        {
            var locked = await conn.ExecuteScalarAsync<DateTime?>(new CommandDefinition(FailureSql,
                new { id = account.Id, max = MaxFailures, until = (now + LockoutTime).UtcDateTime }, cancellationToken: ct));
            return locked is { } l && l > now.UtcDateTime
                ? new ApplicantSignIn.LockedOut(new DateTimeOffset(l, TimeSpan.Zero))
                : new ApplicantSignIn.Failed();
        }
        await conn.ExecuteAsync(new CommandDefinition(SuccessSql, new { id = account.Id }, cancellationToken: ct));
        return new ApplicantSignIn.Success(account with { FailedSignIns = 0, LockedUntil = null });
    }

    const string StampSql = "SELECT security_stamp FROM portal.applicants WHERE id = @id";

    /// <summary>The account's current stamp; a session issued with another stamp (password changed, "sign out everywhere") is over.</summary>
    public async Task<Guid?> SecurityStampAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(StampSql, new { id }, cancellationToken: ct));
    }

    const string NewStampSql = "UPDATE portal.applicants SET security_stamp = gen_random_uuid() WHERE id = @id";

    /// <summary>Ends every session of the account (API tokens stay: they are revoked one by one on the account page).</summary>
    public async Task SignOutEverywhereAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(NewStampSql, new { id }, cancellationToken: ct));
    }

    // ---- Passwords ---------------------------------------------------------------------------------------------

    // A new password also ends every other session (new stamp) and lifts a lockout.
    const string SetPasswordSql = """
        UPDATE portal.applicants
           SET password_hash = @hash, security_stamp = gen_random_uuid(), failed_sign_ins = 0, locked_until = NULL
         WHERE id = @id
        """;

    /// <summary>Sets the password without asking for the old one (reset links, the demo command); ends other sessions.</summary>
    public async Task<IReadOnlyList<string>> SetPasswordAsync(Guid id, string password, CancellationToken ct)
    {
        var problems = Passwords.Problems(password);
        if (problems.Count > 0) return problems;
        await using var conn = await db.OpenConnectionAsync(ct);
        await SetPasswordAsync(conn, null, id, password, ct);
        return [];
    }

    static Task SetPasswordAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid id, string password, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(SetPasswordSql,
            new { id, hash = Hasher.HashPassword(new Applicant(), password) }, tx, cancellationToken: ct));

    /// <summary>Changes the password when the current one is right; the caller re-issues its own session (the stamp changed).</summary>
    public async Task<IReadOnlyList<(string Field, string Message)>> ChangePasswordAsync(Guid id, string currentPassword,
        string newPassword, CancellationToken ct)
    {
        var problems = new List<(string, string)>();
        var account = await FindAsync(id, ct);
        if (string.IsNullOrEmpty(currentPassword)) problems.Add(("currentPassword", "Nhập mật khẩu hiện tại."));
        else if (account?.PasswordHash is not { } hash
                 || Hasher.VerifyHashedPassword(account, hash, currentPassword) == PasswordVerificationResult.Failed)
            problems.Add(("currentPassword", "Mật khẩu hiện tại không đúng."));
        problems.AddRange(Passwords.Problems(newPassword).Select(p => ("newPassword", p)));
        if (problems.Count > 0) return problems;
        await SetPasswordAsync(id, newPassword, ct);
        return [];
    }

    const string InsertResetSql = """
        INSERT INTO portal.password_reset_tokens (token_sha256, applicant_id, created_at, expires_at)
        VALUES (@hash, @id, @now, @expires)
        """;

    /// <summary>
    /// Sends a reset link to the account's e-mail when <paramref name="login"/> belongs to an account; otherwise does
    /// nothing. Callers answer the same either way, so the form does not tell who has an account. An account with only
    /// a phone number gets nothing yet (SMS delivery is a later issue); the page tells such people to call the hotline.
    /// <paramref name="baseUrl"/> is the portal's public address: take it from configuration, not from the request's
    /// Host header, or a forged header would send people a link to someone else's site.
    /// </summary>
    public async Task RequestResetAsync(string login, string baseUrl, CancellationToken ct)
    {
        var account = await FindByLoginAsync(login, ct);
        if (account?.Email is not { } email) return;
        var now = clock.GetUtcNow();
        var token = NewSecret();
        var link = $"{baseUrl.TrimEnd('/')}{ResetPath}?ma={token}";
        var expires = now + ResetTokenLifetime;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(InsertResetSql,
            new { hash = Sha256Hex(token), id = account.Id, now = now.UtcDateTime, expires = expires.UtcDateTime }, tx, cancellationToken: ct));
        var until = expires.ToOffset(LegalTime.Offset).ToString("HH:mm dd/MM/yyyy");
        await Outbox.EnqueueAsync(conn, tx, new OutboxMessage("password-reset", email, "Đặt lại mật khẩu tài khoản dịch vụ công",
            $"""
            Xin chào {account.FullName},

            Chúng tôi nhận được yêu cầu đặt lại mật khẩu cho tài khoản dịch vụ công của bạn. Mở liên kết sau để đặt mật khẩu mới:

            {link}

            Liên kết dùng được một lần và hết hạn lúc {until}. Nếu bạn không yêu cầu, hãy bỏ qua thư này: mật khẩu của bạn không thay đổi.
            """)
        {
            Data = new Dictionary<string, string> { ["name"] = account.FullName, ["link"] = link, ["expires"] = until },
        }, now);
        await tx.CommitAsync(ct);
    }

    const string ResetValidSql = """
        SELECT EXISTS (SELECT 1 FROM portal.password_reset_tokens
                        WHERE token_sha256 = @hash AND used_at IS NULL AND expires_at > @now)
        """;

    /// <summary>Whether a reset link still works (the page says so before asking for a new password).</summary>
    public async Task<bool> ResetTokenValidAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token)) return false;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(ResetValidSql,
            new { hash = Sha256Hex(token), now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }

    // Marking the token used is the check: of two requests with one token, only one gets a row back.
    const string UseResetSql = """
        UPDATE portal.password_reset_tokens
           SET used_at = @now
         WHERE token_sha256 = @hash AND used_at IS NULL AND expires_at > @now
        RETURNING applicant_id
        """;

    // Older links of the same account stop working too: the newest password is the one that counts.
    const string RetireResetsSql = """
        UPDATE portal.password_reset_tokens SET used_at = @now WHERE applicant_id = @id AND used_at IS NULL
        """;

    public const string ResetLinkExpired = "Liên kết đặt lại mật khẩu đã hết hạn hoặc đã được dùng. Hãy yêu cầu một liên kết mới.";

    /// <summary>Sets a new password through a reset link: the link is used up, other sessions end, a lockout is lifted.</summary>
    public async Task<IReadOnlyList<(string Field, string Message)>> ResetAsync(string? token, string newPassword, CancellationToken ct)
    {
        var problems = Passwords.Problems(newPassword);
        if (problems.Count > 0) return problems.Select(p => ("password", p)).ToList();
        if (string.IsNullOrEmpty(token)) return [("password", ResetLinkExpired)];
        var now = clock.GetUtcNow().UtcDateTime;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var id = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(UseResetSql, new { hash = Sha256Hex(token), now }, tx, cancellationToken: ct));
        if (id is not { } applicantId) return [("password", ResetLinkExpired)];
        await SetPasswordAsync(conn, tx, applicantId, newPassword, ct);
        await conn.ExecuteAsync(new CommandDefinition(RetireResetsSql, new { id = applicantId, now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return [];
    }

    // ---- Profile -----------------------------------------------------------------------------------------------

    // The kind is fixed at registration (the CHECK constraints tie the fields to it). Logins are not edited here:
    // changing one needs proof that the new address or number belongs to the person (a later issue).
    const string UpdateSql = """
        UPDATE portal.applicants
           SET full_name = @fullName, birth_date = @birthDate, id_number = @idNumber, tax_code = @taxCode,
               representative = @representative, address = @address
         WHERE id = @id
        """;

    public async Task<IReadOnlyList<(string Field, string Message)>> UpdateDetailsAsync(Guid id, ApplicantDetails details, CancellationToken ct)
    {
        var account = await FindAsync(id, ct) ?? throw new InvalidOperationException($"No applicant {id}");
        var d = (details with { Kind = account.Kind }).Normalised();
        var problems = d.Validate(LegalTime.Today(clock));
        if (problems.Count > 0) return problems;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(UpdateSql, new
        {
            id, fullName = d.FullName,
            birthDate = d.IsOrganisation ? null : ApplicantDetails.ParseDate(d.BirthDate),
            idNumber = d.IsOrganisation ? null : d.IdNumber,
            taxCode = d.IsOrganisation ? d.TaxCode : null,
            representative = d.IsOrganisation ? d.Representative : null,
            address = d.Address,
        }, cancellationToken: ct));
        return [];
    }

    // ---- API tokens --------------------------------------------------------------------------------------------

    public static string? TokenNameProblem(string? name)
    {
        var clean = InputText.Clean(name);
        if (clean == "") return "Đặt tên cho mã truy cập, ví dụ Phần mềm kế toán.";
        if (clean.Length > MaxTokenNameLength) return $"Tên mã truy cập dài tối đa {MaxTokenNameLength} ký tự.";
        return null;
    }

    const string InsertTokenSql = """
        INSERT INTO portal.api_tokens (id, applicant_id, name, token_sha256, prefix, created_at)
        VALUES (@id, @applicantId, @name, @hash, @prefix, @now)
        """;

    /// <summary>A new personal API token; the plaintext is returned here and never stored (only its SHA-256).</summary>
    public async Task<CreatedApiToken> CreateTokenAsync(Guid applicantId, string name, CancellationToken ct)
    {
        if (TokenNameProblem(name) is { } problem) throw new ArgumentException(problem, nameof(name));
        var token = TokenPrefix + NewSecret();
        var prefix = token[..(TokenPrefix.Length + 6)];       // enough to tell one's tokens apart, far too little to guess
        var id = Guid.CreateVersion7();
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(InsertTokenSql, new
        {
            id, applicantId, name = InputText.Clean(name), hash = Sha256Hex(token), prefix, now = clock.GetUtcNow().UtcDateTime,
        }, cancellationToken: ct));
        return new CreatedApiToken(id, token, prefix);
    }

    const string TokensSql = """
        SELECT id, name, prefix, created_at, last_used_at
          FROM portal.api_tokens
         WHERE applicant_id = @applicantId AND revoked_at IS NULL
         ORDER BY created_at DESC, id DESC
        """;

    /// <summary>The account's tokens still in force, newest first.</summary>
    public async Task<IReadOnlyList<ApiToken>> TokensAsync(Guid applicantId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<ApiToken>(new CommandDefinition(TokensSql, new { applicantId }, cancellationToken: ct))).AsList();
    }

    const string RevokeTokenSql = """
        UPDATE portal.api_tokens SET revoked_at = @now
         WHERE id = @tokenId AND applicant_id = @applicantId AND revoked_at IS NULL
        """;

    /// <summary>Revokes one of the applicant's own tokens; false when there is no such token in force (or it is someone else's).</summary>
    public async Task<bool> RevokeTokenAsync(Guid applicantId, Guid tokenId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(RevokeTokenSql,
            new { applicantId, tokenId, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct)) == 1;
    }

    // One round trip per API request. last_used_at is written at most once a minute per token, so a busy client does
    // not turn every read into a write.
    const string AuthenticateTokenSql = $"""
        WITH t AS (
            SELECT id, applicant_id, last_used_at
              FROM portal.api_tokens
             WHERE token_sha256 = @hash AND revoked_at IS NULL
        ), touched AS (
            UPDATE portal.api_tokens u SET last_used_at = @now
              FROM t
             WHERE u.id = t.id AND (t.last_used_at IS NULL OR t.last_used_at < @stale)
        )
        SELECT {Columns}
          FROM t
          JOIN portal.applicants a ON a.id = t.applicant_id
        """;

    /// <summary>The applicant a bearer token belongs to, or null when it is unknown or revoked.</summary>
    public async Task<Applicant?> AuthenticateTokenAsync(string token, CancellationToken ct)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 100) return null;
        var now = clock.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Applicant>(new CommandDefinition(AuthenticateTokenSql, new
        {
            hash = Sha256Hex(token), now = now.UtcDateTime, stale = (now - TimeSpan.FromMinutes(1)).UtcDateTime,
        }, cancellationToken: ct));
    }

    // ---- Secrets -----------------------------------------------------------------------------------------------

    /// <summary>32 random bytes, base64url (43 characters, safe in a URL and a header).</summary>
    internal static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Sha256Hex(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
