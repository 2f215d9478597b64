using System.Text;
using Dapper;
using Portal.Core.Identity;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Accounts;

// Portal.Core.Identity.Applicants against PostgreSQL: each test makes its own accounts with unique logins.
[Collection("db")]
public sealed class ApplicantsTests(PostgresFixture db)
{
    Applicants Store(TimeProvider? clock = null) => new(db.DataSource, clock ?? TimeProvider.System);

    sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    static Registration Person(string? email, string? phone = null, string name = "Phạm Thị Lan") => new()
    {
        Details = new ApplicantDetails
        {
            Kind = ApplicantKinds.Individual, FullName = name, BirthDate = "5/3/1990", IdNumber = $"0011{Given.Next():00000000}", Address = "Bình Sơn",
        },
        Email = email ?? "", Phone = phone ?? "", Password = Citizens.Password,
    };

    static string UniquePhone() => $"09{Given.Next() % 100_000_000:00000000}";

    [Fact]
    public async Task Registration_stores_logins_and_text_normalised()
    {
        var n = Given.Next();
        var digits = UniquePhone();
        var typedPhone = $"+84 {digits[1..4]}.{digits[4..7]}.{digits[7..]}";
        var (applicant, problems) = await Store().RegisterAsync(
            Person($"  Lan.Pham{n}@Example.VN ", typedPhone, name: " Phạm Thị Lan ".Normalize(NormalizationForm.FormD)), default);

        Assert.Empty(problems);
        Assert.Equal($"lan.pham{n}@example.vn", applicant!.Email);
        Assert.Equal(digits, applicant.Phone);
        Assert.Equal("Phạm Thị Lan".Normalize(NormalizationForm.FormC), applicant.FullName);
        Assert.Equal(new DateOnly(1990, 3, 5), applicant.BirthDate);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var logins = (await conn.QueryAsync<(string, string)>(
            "SELECT provider, key FROM portal.applicant_logins WHERE applicant_id = @id ORDER BY provider", new { id = applicant.Id })).ToList();
        Assert.Equal([("email", $"lan.pham{n}@example.vn"), ("phone", digits)], logins);
        Assert.StartsWith("AQAAAA", await conn.ExecuteScalarAsync<string>("SELECT password_hash FROM portal.applicants WHERE id = @id", new { id = applicant.Id }));
    }

    [Fact]
    public async Task A_taken_email_or_phone_is_refused_with_a_clear_message_and_nothing_is_saved()
    {
        var phone = UniquePhone();
        var (first, _) = await Store().RegisterAsync(Person($"trung{Given.Next()}@example.vn", phone), default);

        var (second, problems) = await Store().RegisterAsync(Person(first!.Email!.ToUpperInvariant(), UniquePhone(), name: "Người Thứ Hai"), default);
        Assert.Null(second);
        Assert.Equal([("email", "Email này đã được dùng để đăng ký. Hãy đăng nhập hoặc đặt lại mật khẩu.")], problems);

        var (third, phoneProblems) = await Store().RegisterAsync(Person($"khac{Given.Next()}@example.vn", phone.Insert(4, " ")), default);
        Assert.Null(third);
        Assert.Equal("phone", Assert.Single(phoneProblems).Field);

        await using var conn = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM portal.applicants WHERE full_name = 'Người Thứ Hai'"));
    }

    [Fact]
    public async Task Sign_in_works_with_the_email_or_the_phone_number_however_typed()
    {
        var phone = UniquePhone();
        var (id, email, password) = await Citizens.CreateAsync(db, email: $"dangnhap{Given.Next()}@example.vn", phone: phone);

        Assert.Equal(id, Assert.IsType<ApplicantSignIn.Success>(await Store().SignInAsync(email.ToUpperInvariant(), password, default)).Applicant.Id);
        Assert.Equal(id, Assert.IsType<ApplicantSignIn.Success>(await Store().SignInAsync($"+84 {phone[1..]}", password, default)).Applicant.Id);
        Assert.IsType<ApplicantSignIn.Failed>(await Store().SignInAsync(email, "sai-mat-khau-123", default));
        Assert.IsType<ApplicantSignIn.Failed>(await Store().SignInAsync($"khongco{Given.Next()}@example.vn", password, default));
        Assert.IsType<ApplicantSignIn.Failed>(await Store().SignInAsync("khong-phai-dang-nhap", password, default));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_fifteen_minutes()
    {
        var (_, login, password) = await Citizens.CreateAsync(db);
        var store = Store();
        for (var i = 1; i < Applicants.MaxFailures; i++)
            Assert.IsType<ApplicantSignIn.Failed>(await store.SignInAsync(login, $"sai-mat-khau-{i}", default));

        var locked = Assert.IsType<ApplicantSignIn.LockedOut>(await store.SignInAsync(login, "sai-mat-khau-5", default));
        Assert.InRange(locked.Until - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        Assert.IsType<ApplicantSignIn.LockedOut>(await store.SignInAsync(login, password, default));   // right password, still locked

        var later = Store(new FixedClock(DateTimeOffset.UtcNow.AddMinutes(16)));
        Assert.IsType<ApplicantSignIn.Success>(await later.SignInAsync(login, password, default));
    }

    [Fact]
    public async Task Signing_out_everywhere_and_changing_the_password_change_the_stamp()
    {
        var (id, _, password) = await Citizens.CreateAsync(db);
        var store = Store();
        var stamp = await store.SecurityStampAsync(id, default);

        await store.SignOutEverywhereAsync(id, default);
        var afterSignOut = await store.SecurityStampAsync(id, default);
        Assert.NotEqual(stamp, afterSignOut);

        Assert.Equal([("currentPassword", "Mật khẩu hiện tại không đúng.")],
            await store.ChangePasswordAsync(id, "sai-mat-khau-123", "mat-khau-moi-2027", default));
        Assert.Empty(await store.ChangePasswordAsync(id, password, "mat-khau-moi-2027", default));
        Assert.NotEqual(afterSignOut, await store.SecurityStampAsync(id, default));
    }

    static async Task<(string Recipient, string Link, string Body)?> LastResetMailAsync(PostgresFixture db, string recipient)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var row = await conn.QuerySingleOrDefaultAsync<(string, string, string)?>("""
            SELECT recipient, data->>'link', body_text FROM portal.outbox_messages
             WHERE kind = 'password-reset' AND recipient = @recipient ORDER BY created_at DESC LIMIT 1
            """, new { recipient });
        return row;
    }

    static string Code(string link) => link[(link.IndexOf("?ma=", StringComparison.Ordinal) + 4)..];

    [Fact]
    public async Task A_reset_link_is_mailed_works_once_ends_sessions_and_lifts_a_lockout()
    {
        var (id, login, password) = await Citizens.CreateAsync(db);
        var store = Store();
        for (var i = 0; i < Applicants.MaxFailures; i++) await store.SignInAsync(login, "sai-mat-khau-1", default);
        var stamp = await store.SecurityStampAsync(id, default);

        await store.RequestResetAsync(login, "https://dichvucong.binhson.gov.vn/", default);

        var (recipient, link, body) = (await LastResetMailAsync(db, login))!.Value;
        Assert.Equal(login, recipient);
        Assert.StartsWith("https://dichvucong.binhson.gov.vn/tai-khoan/dat-lai-mat-khau?ma=", link);
        Assert.Contains(link, body);
        var code = Code(link);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", code);
        await using (var conn = await db.DataSource.OpenConnectionAsync())
            Assert.Equal(Applicants.Sha256Hex(code), await conn.ExecuteScalarAsync<string>(
                "SELECT token_sha256 FROM portal.password_reset_tokens WHERE applicant_id = @id", new { id }));

        Assert.True(await store.ResetTokenValidAsync(code, default));
        Assert.All(await store.ResetAsync(code, "ngan", default), p => Assert.Equal("password", p.Field));   // a weak password keeps the link
        Assert.True(await store.ResetTokenValidAsync(code, default));
        Assert.Empty(await store.ResetAsync(code, "mat-khau-dat-lai-2026", default));

        Assert.NotEqual(stamp, await store.SecurityStampAsync(id, default));
        Assert.IsType<ApplicantSignIn.Success>(await store.SignInAsync(login, "mat-khau-dat-lai-2026", default));
        Assert.IsType<ApplicantSignIn.Failed>(await store.SignInAsync(login, password, default));
        Assert.False(await store.ResetTokenValidAsync(code, default));
        Assert.Equal([("password", Applicants.ResetLinkExpired)], await store.ResetAsync(code, "mat-khau-lan-hai-2026", default));
    }

    [Fact]
    public async Task An_expired_reset_link_is_refused()
    {
        var (_, login, _) = await Citizens.CreateAsync(db);
        await Store(new FixedClock(DateTimeOffset.UtcNow.AddMinutes(-61))).RequestResetAsync(login, "http://localhost", default);
        var code = Code((await LastResetMailAsync(db, login))!.Value.Link);

        Assert.False(await Store().ResetTokenValidAsync(code, default));
        Assert.Equal([("password", Applicants.ResetLinkExpired)], await Store().ResetAsync(code, "mat-khau-dat-lai-2026", default));
    }

    [Fact]
    public async Task Unknown_logins_and_phone_only_accounts_get_no_mail()
    {
        var phone = UniquePhone();
        var (id, _, _) = await Citizens.CreateAsync(db, phone: phone);
        var unknown = $"khongco{Given.Next()}@example.vn";

        await Store().RequestResetAsync(unknown, "http://localhost", default);
        await Store().RequestResetAsync(phone, "http://localhost", default);

        Assert.Null(await LastResetMailAsync(db, unknown));
        await using var conn = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM portal.password_reset_tokens WHERE applicant_id = @id", new { id }));
    }

    [Fact]
    public async Task Api_tokens_are_kept_as_hashes_and_only_the_owner_can_revoke_them()
    {
        var (owner, _, _) = await Citizens.CreateAsync(db, kind: ApplicantKinds.Organisation);
        var (other, _, _) = await Citizens.CreateAsync(db);
        var store = Store();

        var created = await store.CreateTokenAsync(owner, "  Phần mềm kế toán ", default);
        Assert.Matches("^pt_[A-Za-z0-9_-]{43}$", created.Token);
        Assert.StartsWith(created.Prefix, created.Token);
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        {
            var row = await conn.QuerySingleAsync<(string Hash, string Prefix, string Name)>(
                "SELECT token_sha256, prefix, name FROM portal.api_tokens WHERE id = @id", new { id = created.Id });
            Assert.Equal(Applicants.Sha256Hex(created.Token), row.Hash);
            Assert.Equal(created.Prefix, row.Prefix);
            Assert.Equal("Phần mềm kế toán", row.Name);
            Assert.Equal(0, await conn.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM portal.api_tokens WHERE token_sha256 = @t OR prefix = @t OR name = @t", new { t = created.Token }));
        }

        Assert.Equal(owner, (await store.AuthenticateTokenAsync(created.Token, default))!.Id);
        Assert.NotNull(Assert.Single(await store.TokensAsync(owner, default)).LastUsedAt);
        Assert.Null(await store.AuthenticateTokenAsync(created.Token[..^1] + (created.Token[^1] == 'A' ? 'B' : 'A'), default));

        Assert.False(await store.RevokeTokenAsync(other, created.Id, default));
        Assert.NotNull(await store.AuthenticateTokenAsync(created.Token, default));
        Assert.True(await store.RevokeTokenAsync(owner, created.Id, default));
        Assert.Null(await store.AuthenticateTokenAsync(created.Token, default));
        Assert.Empty(await store.TokensAsync(owner, default));
        Assert.False(await store.RevokeTokenAsync(owner, created.Id, default));
    }

    [Fact]
    public async Task Updating_details_keeps_the_kind_and_checks_the_fields()
    {
        var (id, _, _) = await Citizens.CreateAsync(db);
        var store = Store();

        var problems = await store.UpdateDetailsAsync(id, new ApplicantDetails { Kind = ApplicantKinds.Organisation, FullName = "Đổi Tên", BirthDate = "31/02/1990", IdNumber = "1", Address = "X" }, default);
        Assert.Equal(["birthDate", "idNumber"], problems.Select(p => p.Field));

        Assert.Empty(await store.UpdateDetailsAsync(id, new ApplicantDetails { FullName = "Đổi Tên", BirthDate = "1/1/1991", IdNumber = "001191000001", Address = "Địa chỉ mới" }, default));
        var updated = (await store.FindAsync(id, default))!;
        Assert.Equal((ApplicantKinds.Individual, "Đổi Tên", new DateOnly(1991, 1, 1), "001191000001", "Địa chỉ mới"),
            (updated.Kind, updated.FullName, updated.BirthDate!.Value, updated.IdNumber, updated.Address));
    }
}
