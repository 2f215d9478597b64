using Dapper;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace Portal.Core.Identity;

public static class StaffRoles
{
    public const string Administrator = "administrator";

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        ["receiving-officer"] = "Cán bộ tiếp nhận",
        ["specialist"] = "Chuyên viên xử lý",
        ["head-of-division"] = "Lãnh đạo phòng",
        ["agency-leader"] = "Lãnh đạo cơ quan",
        ["result-officer"] = "Cán bộ trả kết quả",
        [Administrator] = "Quản trị hệ thống",
        ["supervisor"] = "Giám sát",
    };
}

public sealed record StaffAccount
{
    public Guid Id { get; init; }
    public string Login { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string PasswordHash { get; init; } = "";
    public string[] Roles { get; init; } = [];
    public string? AgencyCode { get; init; }
    public int FailedSignIns { get; init; }
    public DateTimeOffset? LockedUntil { get; init; }
    public Guid SecurityStamp { get; init; }
}

public abstract record StaffSignIn
{
    public sealed record Success(StaffAccount Account) : StaffSignIn;
    public sealed record Failed : StaffSignIn;
    public sealed record LockedOut(DateTimeOffset Until) : StaffSignIn;
}

/// <summary>Local staff accounts: PBKDF2 hashes (Identity's PasswordHasher), lockout after repeated failures.</summary>
public sealed class StaffAccounts(NpgsqlDataSource db)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockoutTime = TimeSpan.FromMinutes(15);
    public const int MinPasswordLength = 12;

    static readonly PasswordHasher<StaffAccount> Hasher = new();

    public static IReadOnlyList<string> PasswordProblems(string password)
    {
        var problems = new List<string>();
        if (password.Length < MinPasswordLength) problems.Add($"Mật khẩu phải có ít nhất {MinPasswordLength} ký tự.");
        if (!password.Any(char.IsLetter) || !password.Any(char.IsDigit)) problems.Add("Mật khẩu phải có cả chữ và số.");
        return problems;
    }

    // A reset without an e-mail address keeps the one the account has.
    const string CreateSql = """
        INSERT INTO portal.staff_accounts (login, display_name, password_hash, roles, agency_code, email)
        VALUES (@login, @displayName, @hash, @roles, @agencyCode, @email)
        ON CONFLICT (login) DO UPDATE
           SET display_name = EXCLUDED.display_name, password_hash = EXCLUDED.password_hash, roles = EXCLUDED.roles,
               agency_code = EXCLUDED.agency_code, email = coalesce(EXCLUDED.email, staff_accounts.email), failed_sign_ins = 0,
               locked_until = NULL, security_stamp = gen_random_uuid()
        """;

    /// <summary>
    /// Creates the account, or resets it (password, roles) if the login exists. The e-mail address is where reminders
    /// go (deadline reminders, issue 7); without one the account's reminders go to its unit's address.
    /// </summary>
    public async Task<IReadOnlyList<string>> CreateAsync(string login, string displayName, string password,
        IReadOnlyList<string> roles, string? agencyCode, CancellationToken ct, string? email = null)
    {
        login = login.Trim().ToLowerInvariant();
        email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        var problems = PasswordProblems(password).ToList();
        if (!System.Text.RegularExpressions.Regex.IsMatch(login, "^[a-z0-9._@-]{3,64}$"))
            problems.Add("Tên đăng nhập chỉ gồm chữ không dấu, số và . _ @ - (3–64 ký tự).");
        if (string.IsNullOrWhiteSpace(displayName)) problems.Add("Hãy nhập họ tên cán bộ.");
        var unknown = roles.Where(r => !StaffRoles.Labels.ContainsKey(r)).ToList();
        if (unknown.Count > 0) problems.Add($"Vai trò không hợp lệ: {string.Join(", ", unknown)}.");
        if (email is not null && !System.Text.RegularExpressions.Regex.IsMatch(email, @"^[^@\s]+@[^@\s]+$"))
            problems.Add("Địa chỉ email của cán bộ không hợp lệ (ví dụ: ten.can.bo@binhson.gov.vn).");
        if (problems.Count > 0) return problems;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(CreateSql, new
        {
            login, displayName = displayName.Trim(), hash = Hasher.HashPassword(new StaffAccount(), password),
            roles = roles.ToArray(), agencyCode, email,
        }, cancellationToken: ct));
        return [];
    }

    const string FindSql = """
        SELECT id, login, display_name, password_hash, roles, agency_code, failed_sign_ins, locked_until, security_stamp
          FROM portal.staff_accounts WHERE login = @login
        """;

    const string FailureSql = """
        UPDATE portal.staff_accounts
           SET failed_sign_ins = failed_sign_ins + 1,
               locked_until = CASE WHEN failed_sign_ins + 1 >= @max THEN @until ELSE locked_until END
         WHERE id = @id
        RETURNING locked_until
        """;

    const string SuccessSql = "UPDATE portal.staff_accounts SET failed_sign_ins = 0, locked_until = NULL WHERE id = @id";

    public async Task<StaffSignIn> SignInAsync(string login, string password, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var account = await conn.QuerySingleOrDefaultAsync<StaffAccount>(
            new CommandDefinition(FindSql, new { login = login.Trim().ToLowerInvariant() }, cancellationToken: ct));
        if (account is null)
        {
            // Same work as a real check, so that timing does not reveal which logins exist.
            Hasher.VerifyHashedPassword(new StaffAccount(), DummyHash, password);
            return new StaffSignIn.Failed();
        }
        if (account.LockedUntil is { } until && until > now) return new StaffSignIn.LockedOut(until);
        if (Hasher.VerifyHashedPassword(account, account.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            var locked = await conn.ExecuteScalarAsync<DateTime?>(new CommandDefinition(FailureSql,
                new { id = account.Id, max = MaxFailures, until = (now + LockoutTime).ToUniversalTime() }, cancellationToken: ct));
            return locked is { } l && l > now.UtcDateTime
                ? new StaffSignIn.LockedOut(new DateTimeOffset(l, TimeSpan.Zero))
                : new StaffSignIn.Failed();
        }
        await conn.ExecuteAsync(new CommandDefinition(SuccessSql, new { id = account.Id }, cancellationToken: ct));
        return new StaffSignIn.Success(account);
    }

    /// <summary>The account with this login, or null.</summary>
    public async Task<StaffAccount?> FindAsync(string login, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<StaffAccount>(
            new CommandDefinition(FindSql, new { login = login.Trim().ToLowerInvariant() }, cancellationToken: ct));
    }

    const string StampSql = "SELECT security_stamp FROM portal.staff_accounts WHERE id = @id";

    /// <summary>The account's current stamp; a session with another stamp (password reset, account removed) is over.</summary>
    public async Task<Guid?> SecurityStampAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(StampSql, new { id }, cancellationToken: ct));
    }

    static readonly string DummyHash = Hasher.HashPassword(new StaffAccount(), Guid.NewGuid().ToString());
}
