using System.Net;
using Portal.Core.Identity;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Accounts;

// Staff API tokens: the store, the demo staff, and the staff account page.
[Collection("db")]
public sealed class StaffTokensTests(PostgresFixture db)
{
    [Fact]
    public async Task A_token_authenticates_its_account_until_it_is_revoked_and_only_its_owner_revokes_it()
    {
        var accounts = new StaffAccounts(db.DataSource);
        var tokens = new StaffTokens(db.DataSource, TimeProvider.System);
        var a = (await accounts.FindAsync(await Staff.CreateAsync(db, "specialist"), default))!;
        var b = (await accounts.FindAsync(await Staff.CreateAsync(db, "specialist"), default))!;

        var created = await tokens.CreateAsync(a.Id, "Quản lý văn bản", default);

        Assert.StartsWith("st_", created.Token);
        Assert.Equal(a.Id, (await tokens.AuthenticateAsync(created.Token, default))!.Id);
        Assert.Equal(["specialist"], (await tokens.AuthenticateAsync(created.Token, default))!.Roles);
        Assert.Null(await tokens.AuthenticateAsync("pt_" + created.Token[3..], default));
        Assert.False(await tokens.RevokeAsync(b.Id, created.Id, default));
        Assert.True(await tokens.RevokeAsync(a.Id, created.Id, default));
        Assert.Null(await tokens.AuthenticateAsync(created.Token, default));
        Assert.Empty(await tokens.ListAsync(a.Id, default));
    }

    [Fact]
    public async Task The_demo_staff_are_created_once_and_reset_with_a_new_token_on_each_later_run()
    {
        var unit = Given.Agency(code: "000.00.03.H99", name: "Sở Tư pháp tỉnh Bình Sơn");
        await Given.ImportAsync(db, [unit], [], []);
        var accounts = new StaffAccounts(db.DataSource);
        var tokens = new StaffTokens(db.DataSource, TimeProvider.System);
        var demo = DemoStaff.All.Single(d => d.Login == "tiepnhan.stp");

        var (password, token) = await DemoStaff.EnsureAsync(accounts, tokens, demo, default);
        var (password2, token2) = await DemoStaff.EnsureAsync(accounts, tokens, demo, default);

        Assert.True(password2.Length >= 12 && password2.Any(char.IsDigit) && password2.Any(char.IsLetter));
        Assert.IsType<StaffSignIn.Failed>(await accounts.SignInAsync(demo.Login, password, DateTimeOffset.UtcNow, default));
        var signedIn = Assert.IsType<StaffSignIn.Success>(await accounts.SignInAsync(demo.Login, password2, DateTimeOffset.UtcNow, default));
        Assert.Equal("000.00.03.H99", signedIn.Account.AgencyCode);
        Assert.Equal(["receiving-officer"], signedIn.Account.Roles);
        Assert.Null(await tokens.AuthenticateAsync(token, default));
        Assert.Equal(signedIn.Account.Id, (await tokens.AuthenticateAsync(token2, default))!.Id);
        Assert.Equal(["receiving-officer", "specialist", "head", "leader", "result-officer", "admin", "supervisor"], DemoStaff.FileRoles);
        Assert.Equal(22, DemoStaff.All.Count);
    }

    [Fact]
    public async Task The_account_page_shows_a_new_token_once_and_revokes_it()
    {
        var login = await Staff.CreateAsync(db, "receiving-officer");
        var browser = db.Portal.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await Staff.SignInAsync(browser, login)).StatusCode);

        var created = await Staff.PostFormAsync(browser, "/can-bo/tai-khoan", "/can-bo/tai-khoan?handler=CreateToken", new() { ["TokenName"] = "Phần mềm một cửa" });
        var page = await Staff.ParseAsync(created);
        var token = page.QuerySelector("#ma-moi")!.TextContent;
        Assert.StartsWith("st_", token);
        Assert.True(created.Headers.CacheControl?.NoStore);
        Assert.DoesNotContain(token, (await browser.GetStringAsync("/can-bo/tai-khoan")));

        var listed = await Staff.ParseAsync(await browser.GetAsync("/can-bo/tai-khoan"));
        var id = listed.QuerySelector("input[name=TokenId]")!.GetAttribute("value")!;
        var revoked = await Staff.PostFormAsync(browser, "/can-bo/tai-khoan", "/can-bo/tai-khoan?handler=RevokeToken", new() { ["TokenId"] = id });
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Null(await new StaffTokens(db.DataSource, TimeProvider.System).AuthenticateAsync(token, default));

        var noName = await Staff.PostFormAsync(browser, "/can-bo/tai-khoan", "/can-bo/tai-khoan?handler=CreateToken", new() { ["TokenName"] = " " });
        Assert.Contains("Đặt tên cho mã truy cập", (await Staff.ParseAsync(noName)).QuerySelector(".error-summary")!.TextContent);
    }
}
