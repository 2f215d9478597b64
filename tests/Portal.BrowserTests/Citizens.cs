using Dapper;
using Microsoft.Playwright;
using Portal.Core.Database;
using Portal.Core.Identity;

namespace Portal.BrowserTests;

// Citizen accounts for the browser journeys, created through the production code (as Portal.Web.Tests' Citizens does).
public static class Citizens
{
    public const string Password = "mat-khau-cong-dan-2026";
    public const string Name = "Nguyễn Thị Kiểm Thử";
    static int next = Random.Shared.Next(1_000, 9_000);

    public sealed record Account(Guid Id, string Email, string Phone, string IdNumber);

    public static async Task<Account> CreateAsync(PortalServer portal)
    {
        var n = Interlocked.Increment(ref next);
        var email = $"congdan{n}@example.vn";
        var phone = $"0912 3{n:00000}";
        var idNumber = $"0011{n:00000000}";
        await using var db = Db.CreateDataSource(portal.ConnectionString);
        var (applicant, problems) = await new Applicants(db, TimeProvider.System).RegisterAsync(new Registration
        {
            Details = new ApplicantDetails
            {
                Kind = ApplicantKinds.Individual, FullName = Name, BirthDate = "05/03/1990", IdNumber = idNumber,
                Address = "Số 2 đường Thử nghiệm, xã Bình An, tỉnh Bình Sơn",
            },
            Email = email, Phone = phone, Password = Password,
        }, default);
        Assert.Empty(problems);
        return new(applicant!.Id, email, phone, idNumber);
    }

    /// <summary>Signs in through the form (not keyboard-only: for tests whose subject is another page).</summary>
    public static async Task SignInAsync(IPage page, Account account, string? returnTo = null)
    {
        await page.GotoAsync("/tai-khoan/dang-nhap" + (returnTo is null ? "" : "?quay-lai=" + Uri.EscapeDataString(returnTo)));
        await page.GetByLabel("Email hoặc số điện thoại").FillAsync(account.Email);
        await page.GetByLabel("Mật khẩu").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/tai-khoan/dang-nhap"));
    }

    /// <summary>Dossiers of the account that were sent (status other than draft).</summary>
    public static async Task<long> SentDossiersAsync(PortalServer portal, Account account)
    {
        await using var db = Db.CreateDataSource(portal.ConnectionString);
        await using var conn = await db.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM portal.dossiers WHERE applicant_id = @id AND status <> 0", new { id = account.Id });
    }
}
