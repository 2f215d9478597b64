using Dapper;
using Portal.Core.Identity;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Accounts;

// Staff e-mail addresses (where deadline reminders go): set on creation, kept by a reset that gives none, checked.
[Collection("db")]
public sealed class StaffEmailTests(PostgresFixture db)
{
    const string Password = "mat-khau-kiem-thu-2026";

    [Fact]
    public async Task An_address_is_kept_across_a_reset_without_one_and_a_malformed_one_is_refused()
    {
        var accounts = new StaffAccounts(db.DataSource);
        var login = $"cv{Given.Next()}";
        Assert.Empty(await accounts.CreateAsync(login, "Lê Thị Nhắc", Password, ["specialist"], null, default, " le.thi.nhac@binhson.gov.vn "));
        Assert.Empty(await accounts.CreateAsync(login, "Lê Thị Nhắc", Password, ["specialist", "head-of-division"], null, default));
        Assert.Equal("le.thi.nhac@binhson.gov.vn", await EmailAsync(login));

        var refused = await accounts.CreateAsync(login, "Lê Thị Nhắc", Password, ["specialist"], null, default, "le thi nhac");
        Assert.Contains("Địa chỉ email của cán bộ không hợp lệ (ví dụ: ten.can.bo@binhson.gov.vn).", refused);
        Assert.Equal("le.thi.nhac@binhson.gov.vn", await EmailAsync(login));
    }

    [Fact]
    public void Every_demo_staff_member_has_an_address_in_the_provinces_domain() =>
        Assert.All(DemoStaff.All, d => Assert.Equal($"{d.Login}@binhson.gov.vn", d.Email));

    async Task<string?> EmailAsync(string login)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<string?>("SELECT email FROM portal.staff_accounts WHERE login = @login", new { login });
    }
}
