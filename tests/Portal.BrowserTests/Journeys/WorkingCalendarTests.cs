using Microsoft.Playwright;

namespace Portal.BrowserTests.Journeys;

[Collection("browser")]
public sealed class WorkingCalendarTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_administrator_signs_in_and_reviews_the_year_with_the_keyboard()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/quan-tri/lich-lam-viec?nam=2026");
        await page.WaitForURLAsync("**/can-bo/dang-nhap?quay-lai=**");
        await Accessibility.AssertNoViolationsAsync(page, "staff-sign-in");
        await Accessibility.AssertEveryInputLabelledAsync(page);

        await page.GetByLabel("Tên đăng nhập").FillAsync(PortalServer.AdminLogin);
        await page.GetByLabel("Mật khẩu").FillAsync(PortalServer.AdminPassword);
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync("**/quan-tri/lich-lam-viec?nam=2026");
        Assert.Equal("Lịch làm việc năm 2026", await page.Locator("h1").TextContentAsync());
        await Accessibility.AssertNoViolationsAsync(page, "admin-working-calendar");
        await Accessibility.AssertEveryInputLabelledAsync(page);

        // A decision without its legal source: the error summary takes focus and links to the field.
        await page.GetByLabel("Ngày", new() { Exact = true }).FillAsync("2026-12-31");
        await page.GetByLabel("Loại ngày").SelectOptionAsync(new SelectOptionValue { Value = "bridge-day-off" });
        await page.GetByLabel("Lý do", new() { Exact = true }).FillAsync("Nghỉ hoán đổi (kiểm thử)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Thêm quyết định" }).ClickAsync();

        await page.Locator(".error-summary").WaitForAsync();
        Assert.True(await page.Locator(".error-summary").EvaluateAsync<bool>("e => e === document.activeElement"));
        Assert.Equal("Nghỉ hoán đổi (kiểm thử)", await page.GetByLabel("Lý do", new() { Exact = true }).InputValueAsync());
        await Accessibility.AssertNoViolationsAsync(page, "admin-working-calendar-error");
    }

    [Fact]
    public async Task The_procedure_page_explains_the_expected_due_date()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"/thu-tuc/{TestCatalogue.CopyFromRegister}");

        Assert.Contains("Nộp hôm nay, dự kiến trả kết quả:", await page.Locator("#du-kien").TextContentAsync());
        await page.GetByText("Vì sao là ngày này?").ClickAsync();
        Assert.True(await page.Locator("#du-kien li").Last.IsVisibleAsync());
        await Accessibility.AssertNoViolationsAsync(page, "procedure-due-estimate");
    }
}
