using Portal.Core.Identity;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Accounts;

[Collection("db")]
public sealed class DemoApplicantsTests(PostgresFixture db)
{
    [Fact]
    public async Task The_demo_accounts_are_created_once_and_reset_on_each_later_run()
    {
        var applicants = new Applicants(db.DataSource, TimeProvider.System);
        var demo = DemoApplicants.All.Single(d => d.Role == "citizen");

        var (login, password, token) = await DemoApplicants.EnsureAsync(applicants, demo, default);
        var first = (await applicants.FindByLoginAsync("0912 000 001", default))!;
        Assert.Equal(("congdan@demo.binhson.vn", "Nguyễn Thị Demo"), (login, first.FullName));
        Assert.IsType<ApplicantSignIn.Success>(await applicants.SignInAsync(login, password, default));
        Assert.Equal(first.Id, (await applicants.AuthenticateTokenAsync(token, default))!.Id);

        var (_, password2, token2) = await DemoApplicants.EnsureAsync(applicants, demo, default);
        Assert.NotEqual(password, password2);
        Assert.IsType<ApplicantSignIn.Failed>(await applicants.SignInAsync(login, password, default));
        Assert.IsType<ApplicantSignIn.Success>(await applicants.SignInAsync(login, password2, default));
        Assert.Null(await applicants.AuthenticateTokenAsync(token, default));
        Assert.Equal(first.Id, (await applicants.AuthenticateTokenAsync(token2, default))!.Id);
        Assert.Single(await applicants.TokensAsync(first.Id, default));
    }
}
