using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portal.BrowserTests.Journeys;

[Collection("browser")]
public sealed class AccountTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_citizen_registers_signs_in_again_and_creates_an_api_token()
    {
        var page = await browser.NewPageAsync();
        var email = $"hanh{Guid.NewGuid():N}"[..16] + "@example.vn";
        const string password = "mat-khau-trinh-duyet-2026";

        // The account page needs sign-in; the sign-in page offers registration and keeps the way back.
        await page.GotoAsync("/tai-khoan");
        await page.WaitForURLAsync("**/tai-khoan/dang-nhap?quay-lai=%2Ftai-khoan");
        await Accessibility.AssertNoViolationsAsync(page, "account-sign-in");
        await Accessibility.AssertEveryInputLabelledAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Đăng ký tài khoản" }).ClickAsync();

        await page.WaitForURLAsync("**/tai-khoan/dang-ky?quay-lai=%2Ftai-khoan");
        await Accessibility.AssertNoViolationsAsync(page, "account-register");
        await Accessibility.AssertEveryInputLabelledAsync(page);

        // Choosing "Cá nhân" shows the person's fields only (JavaScript enhancement).
        await page.GetByLabel("Cá nhân (công dân)").CheckAsync();
        Assert.True(await page.GetByLabel("Số căn cước công dân (CCCD)").IsVisibleAsync());
        Assert.False(await page.GetByLabel("Mã số thuế").IsVisibleAsync());
        await page.GetByLabel("Họ và tên").FillAsync("Trần Thị Hạnh");
        await page.GetByLabel("Ngày sinh").FillAsync("5/3/1990");
        await page.GetByLabel("Số căn cước công dân (CCCD)").FillAsync("00119");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Mật khẩu").FillAsync("ngan");
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng ký" }).ClickAsync();

        // Error state: focus in the summary, "Lỗi: " in the title, links to the fields, answers kept.
        await page.Locator(".error-summary").WaitForAsync();
        Assert.True(await page.Locator(".error-summary").EvaluateAsync<bool>("e => e === document.activeElement"));
        Assert.StartsWith("Lỗi: ", await page.TitleAsync());
        Assert.Equal("Có thông tin cần sửa", await page.Locator(".error-summary h2").TextContentAsync());
        foreach (var href in await page.Locator(".error-summary a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"))
            Assert.Equal("true", await page.Locator(href).GetAttributeAsync("aria-invalid"));
        Assert.Equal("Trần Thị Hạnh", await page.GetByLabel("Họ và tên").InputValueAsync());
        Assert.False(await page.GetByLabel("Mã số thuế").IsVisibleAsync());
        await Accessibility.AssertNoViolationsAsync(page, "account-register-error");
        await Accessibility.AssertEveryInputLabelledAsync(page);

        await page.GetByLabel("Số căn cước công dân (CCCD)").FillAsync("001 190 012 345");
        await page.GetByLabel("Địa chỉ").FillAsync("Số 5 đường Nguyễn Huệ, phường Bình Sơn");
        await page.GetByLabel("Mật khẩu").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng ký" }).ClickAsync();

        await page.WaitForURLAsync("**/tai-khoan");
        Assert.Equal("Tài khoản của bạn", await page.Locator("h1").TextContentAsync());
        Assert.Contains("001190012345", await page.Locator(".summary-list").TextContentAsync());
        await Accessibility.AssertNoViolationsAsync(page, "account-profile");
        await Accessibility.AssertEveryInputLabelledAsync(page);

        // Sign out, then back in with the e-mail (pasting is allowed: nothing blocks it).
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng xuất", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/tai-khoan/dang-nhap?da-dang-xuat=1");
        Assert.Contains("Bạn đã đăng xuất.", await page.Locator(".notice").First.TextContentAsync());
        await page.GotoAsync("/tai-khoan");
        await page.GetByLabel("Email hoặc số điện thoại").FillAsync(email.ToUpperInvariant());
        await page.GetByLabel("Mật khẩu").FillAsync(password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/tai-khoan");

        // A token is shown once, in a panel that takes focus.
        await page.GetByLabel("Tên mã truy cập mới").FillAsync("Phần mềm thử nghiệm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tạo mã truy cập" }).ClickAsync();
        await page.Locator(".panel").WaitForAsync();
        Assert.True(await page.Locator(".panel").EvaluateAsync<bool>("e => e === document.activeElement"));
        var token = await page.Locator("#ma-moi").TextContentAsync();
        Assert.Matches(new Regex("^pt_[A-Za-z0-9_-]{43}$"), token);
        Assert.Contains("Phần mềm thử nghiệm", await page.Locator("table").TextContentAsync());
        await Accessibility.AssertNoViolationsAsync(page, "account-token-created");

        var api = await page.APIRequest.GetAsync("/api/v1/me", new() { Headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" } });
        Assert.Equal(200, api.Status);
    }

    [Fact]
    public async Task The_password_pages_have_no_accessibility_violations_and_fit_a_small_screen()
    {
        var page = await browser.NewPageAsync(320, 640);
        foreach (var (url, name) in new[]
        {
            ("/tai-khoan/quen-mat-khau", "account-forgot-password"),
            ("/tai-khoan/dat-lai-mat-khau?ma=khong-con-dung", "account-reset-expired"),
            ("/tai-khoan/dang-ky", "account-register-320"),
        })
        {
            await page.GotoAsync(url);
            await Accessibility.AssertNoViolationsAsync(page, name);
            await Accessibility.AssertEveryInputLabelledAsync(page);
            await Accessibility.AssertNoHorizontalScrollAsync(page);
        }

        await page.GotoAsync("/tai-khoan/quen-mat-khau");
        await page.GetByLabel("Email hoặc số điện thoại").FillAsync("khongco@example.vn");
        await page.GetByRole(AriaRole.Button, new() { Name = "Gửi liên kết đặt lại mật khẩu" }).ClickAsync();
        await page.WaitForURLAsync("**/tai-khoan/quen-mat-khau?da-gui=1");
        Assert.Equal("Hãy kiểm tra email", await page.Locator("h1").TextContentAsync());
        await Accessibility.AssertNoViolationsAsync(page, "account-forgot-password-sent");
    }
}
