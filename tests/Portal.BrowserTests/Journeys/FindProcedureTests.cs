using Microsoft.Playwright;

namespace Portal.BrowserTests.Journeys;

[Collection("browser")]
public sealed class FindProcedureTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_citizen_finds_a_procedure_from_home_by_typing_without_diacritics()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");
        await Accessibility.AssertNoViolationsAsync(page, "home");
        await Accessibility.AssertEveryInputLabelledAsync(page);

        await page.GetByLabel("Tên thủ tục hoặc mã thủ tục").FillAsync("cap ban sao");
        await page.GetByRole(AriaRole.Button, new() { Name = "Tìm kiếm" }).ClickAsync();

        await page.WaitForURLAsync("**/thu-tuc?q=cap+ban+sao");
        await Accessibility.AssertNoViolationsAsync(page, "catalogue-search");
        await Accessibility.AssertEveryInputLabelledAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Cấp bản sao từ sổ gốc" }).ClickAsync();

        await page.WaitForURLAsync($"**/thu-tuc/{TestCatalogue.CopyFromRegister}");
        Assert.Equal("Cấp bản sao từ sổ gốc", await page.Locator("h1").TextContentAsync());
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Nộp hồ sơ trực tuyến" }).IsVisibleAsync());
        await Accessibility.AssertNoViolationsAsync(page, "procedure-detail");
    }

    [Fact]
    public async Task Filtering_by_agency_shows_only_that_agencys_procedures()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/thu-tuc");
        await Accessibility.AssertNoViolationsAsync(page, "catalogue");

        await page.GetByLabel("Cơ quan thực hiện").SelectOptionAsync(new SelectOptionValue { Label = "Sở Xây dựng" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Tìm kiếm" }).ClickAsync();

        await page.WaitForURLAsync($"**co-quan={TestCatalogue.Construction}**");
        var names = await page.Locator(".result__name a").AllTextContentsAsync();
        Assert.Equal(["Cấp giấy phép di dời công trình", "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ"], names.Order());
        Assert.Contains("Tìm thấy 2 thủ tục", await page.Locator("#ket-qua").TextContentAsync());
    }

    [Fact]
    public async Task The_other_public_pages_have_no_accessibility_violations()
    {
        var page = await browser.NewPageAsync();
        foreach (var (url, name) in new[]
        {
            ($"/thu-tuc/{TestCatalogue.BirthRegistration}", "procedure-commune"),
            ("/thu-tuc/1.009999.H99", "procedure-offline"),
            ($"/nop-ho-so/{TestCatalogue.CopyFromRegister}", "start-online"),
            ("/tuyen-bo-tro-nang", "accessibility-statement"),
            ("/thu-tuc?q=khai+sihn", "catalogue-fuzzy"),
            ("/thu-tuc?q=xyzzy", "catalogue-empty"),
        })
        {
            var response = await page.GotoAsync(url);
            Assert.Equal(200, response!.Status);
            await Accessibility.AssertNoViolationsAsync(page, name);
            await Accessibility.AssertEveryInputLabelledAsync(page);
        }
    }

    [Fact]
    public async Task The_404_page_is_in_Vietnamese_and_accessible()
    {
        var page = await browser.NewPageAsync();
        var response = await page.GotoAsync("/thu-tuc/khong-co-ma-nay");

        Assert.Equal(404, response!.Status);
        Assert.Equal("Không tìm thấy trang", await page.Locator("h1").TextContentAsync());
        await Accessibility.AssertNoViolationsAsync(page, "not-found");
    }

    [Fact]
    public async Task A_bad_filter_shows_the_error_summary_focused()
    {
        var page = await browser.NewPageAsync();
        var response = await page.GotoAsync("/thu-tuc?cap=huyen");

        Assert.Equal(400, response!.Status);
        Assert.StartsWith("Lỗi: ", await page.TitleAsync());
        var focusedInSummary = await page.EvaluateAsync<bool>("() => !!document.activeElement?.closest('.error-summary')");
        Assert.True(focusedInSummary, "focus should be in the error summary");
        await page.Locator(".error-summary a").ClickAsync();
        Assert.Equal("cap", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await Accessibility.AssertNoViolationsAsync(page, "catalogue-error");
    }

    // Also leaves screenshots at 320, 375 and 1280 px in artifacts/screenshots for the human review before a release.
    [Theory]
    [InlineData("/", "home")]
    [InlineData("/thu-tuc?q=dang+ky", "catalogue")]
    [InlineData("/thu-tuc/1.009994.H99", "procedure")]
    [InlineData("/tuyen-bo-tro-nang", "accessibility-statement")]
    public async Task Pages_reflow_at_320_pixels_without_horizontal_scrolling(string url, string name)
    {
        var dir = Path.Combine(Repo.Root, "artifacts", "screenshots");
        Directory.CreateDirectory(dir);
        foreach (var width in new[] { 320, 375, 1280 })
        {
            var page = await browser.NewPageAsync(width: width, height: 800);
            await page.GotoAsync(url);
            if (width == 320) await Accessibility.AssertNoHorizontalScrollAsync(page);
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, $"{name}-{width}.png"), FullPage = true });
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_skip_link_is_the_first_tab_stop_and_moves_focus_to_main()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/thu-tuc");

        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Bỏ qua, đến nội dung chính", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("noi-dung", await page.EvaluateAsync<string>("() => document.activeElement.id"));
    }
}
