using Microsoft.Playwright;
using Portal.Tests.Shared;

namespace Portal.BrowserTests.Journeys;

// The online submission (/nop-ho-so) in a real browser: the whole journey with the keyboard only, and every page and
// state of it through the gates of UX.md §5.1 (axe WCAG 2.2 AA, real labels, HTML for the Nu checker, 320 px reflow,
// the error pattern).
[Collection("browser")]
public sealed class SubmissionJourneyTests(BrowserFixture browser)
{
    const string Code = TestCatalogue.CopyFromRegister;
    const string ProcedureName = "Cấp bản sao từ sổ gốc";

    static FilePayload Pdf(string name) => new() { Name = name, MimeType = "application/pdf", Buffer = TestPdfs.OnePage(name) };

    [Fact]
    public async Task A_citizen_submits_a_dossier_with_the_keyboard_only()
    {
        var account = await Citizens.CreateAsync(browser.Portal);
        var page = await browser.NewPageAsync();
        var states = new PageStates(page);
        var keys = new KeyboardUser(page, "submission");
        try
        {
            // The start page, anonymous: it says why signing in is needed and offers it.
            await page.GotoAsync($"/nop-ho-so/{Code}");
            await states.CheckAsync("submission-start-anonymous");
            await keys.TabToNameAsync("Đăng nhập để bắt đầu");
            await keys.NavigateAsync("Enter");

            Assert.Contains("/tai-khoan/dang-nhap", page.Url);
            await keys.TabToNameAsync("Email hoặc số điện thoại");
            await keys.TypeAsync(account.Email);
            await keys.TabToNameAsync("Mật khẩu");
            await keys.TypeAsync(Citizens.Password);
            await keys.NavigateAsync("Enter");   // implicit submission from the password field

            // Back on the start page, signed in.
            Assert.EndsWith($"/nop-ho-so/{Code}", page.Url);
            await states.CheckAsync("submission-start-signed-in");
            await keys.TabToNameAsync("Bắt đầu hồ sơ mới");
            await keys.NavigateAsync("Enter");

            // Task list.
            Assert.Matches($"/nop-ho-so/{Regex(Code)}/[0-9a-f-]{{36}}$", page.Url);
            var draftUrl = new Uri(page.Url).AbsolutePath;
            // The applicant's section starts complete: it is prefilled from the account (UX.md §2.2).
            Assert.Equal("Đã hoàn thành", await TaskStatusAsync(page, "Thông tin người nộp hồ sơ"));
            Assert.Equal("Chưa bắt đầu", await TaskStatusAsync(page, "Chủ hồ sơ"));
            Assert.Equal("Chưa thể bắt đầu", await TaskStatusAsync(page, "Kiểm tra và gửi hồ sơ"));
            await states.CheckAsync("submission-tasks");
            await keys.TabToNameAsync("Thông tin người nộp hồ sơ");
            await keys.NavigateAsync("Enter");

            // Applicant: prefilled from the account; nothing to type.
            Assert.EndsWith("/nguoi-nop", page.Url);
            Assert.Equal(Citizens.Name, await page.GetByLabel("Họ và tên (hoặc tên tổ chức)").InputValueAsync());
            Assert.Equal(account.IdNumber, await page.GetByLabel("Số căn cước công dân").InputValueAsync());
            Assert.NotEqual("", await page.GetByLabel("Số điện thoại").InputValueAsync());
            await states.CheckAsync("submission-applicant");
            await keys.TabToNameAsync("Tiếp tục");
            await keys.NavigateAsync("Enter");

            // Owner: the dossier is the applicant's own.
            Assert.EndsWith("/chu-ho-so", page.Url);
            await states.CheckAsync("submission-owner");
            await keys.TabToIdAsync("Same");
            await keys.PressAsync("Space");
            Assert.True(await page.Locator("#Same").IsCheckedAsync());
            await keys.TabToNameAsync("Tiếp tục");
            await keys.NavigateAsync("Enter");

            // One page per document: choose a PDF, upload it (the progress script posts it), continue.
            foreach (var (line, file) in new[] { (1, "to-khai.pdf"), (2, "can-cuoc.pdf") })
            {
                Assert.EndsWith($"/giay-to/{line}", page.Url);
                Assert.Equal("Chưa có tệp nào.", (await page.Locator("main h2 + p").First.TextContentAsync())?.Trim());
                await states.CheckAsync($"submission-document-{line}-empty");
                await keys.TabToNameAsync("Chọn tệp");
                // A native file dialog cannot be driven by keys: Space on the focused file input opens the chooser,
                // and Playwright answers it (the one step a person does in the operating system's dialog).
                var chooser = await page.RunAndWaitForFileChooserAsync(() => page.Keyboard.PressAsync("Space"));
                await chooser.SetFilesAsync(Pdf(file));
                await keys.TabToNameAsync("Tải lên");
                await keys.NavigateAsync("Enter");

                Assert.EndsWith($"/giay-to/{line}", page.Url);
                Assert.Contains(file, await page.Locator(".success-banner").TextContentAsync());
                Assert.Contains(file, await page.Locator("table.table").TextContentAsync());
                Assert.Contains("Không có chữ ký số", await page.Locator("table.table").TextContentAsync());
                await states.CheckAsync($"submission-document-{line}-uploaded");
                await keys.TabToNameAsync("Tiếp tục");
                await keys.NavigateAsync("Enter");
            }

            // Delivery: the first choice, online.
            Assert.EndsWith("/nhan-ket-qua", page.Url);
            await states.CheckAsync("submission-delivery");
            await keys.TabToIdAsync("Method");
            await keys.PressAsync("Space");
            Assert.True(await page.Locator("#Method").IsCheckedAsync());
            await keys.TabToNameAsync("Tiếp tục");
            await keys.NavigateAsync("Enter");

            // Check answers, declare, send.
            Assert.EndsWith("/kiem-tra", page.Url);
            Assert.Contains("to-khai.pdf", await page.Locator("main").TextContentAsync());
            Assert.Contains("can-cuoc.pdf", await page.Locator("main").TextContentAsync());
            await states.CheckAsync("submission-check");
            await keys.TabToIdAsync("Declared");
            await keys.PressAsync("Space");
            Assert.True(await page.Locator("#Declared").IsCheckedAsync());
            await keys.TabToNameAsync("Gửi hồ sơ");
            await keys.NavigateAsync("Enter");

            // Confirmation: the panel, the code, a screenshot for the review before a release.
            Assert.EndsWith("/da-gui", page.Url);
            Assert.Equal("Đã nộp hồ sơ", (await page.Locator("h1").TextContentAsync())?.Trim());
            var code = (await page.Locator(".panel .dossier-code").TextContentAsync())!.Trim();
            Assert.StartsWith("000.00.12.H99-", code);
            await states.CheckAsync("submission-sent");
            await ScreenshotsAsync(page, "submission-sent");
            // The rest of the confirmation is reachable too, with focus visible all the way to the footer.
            await keys.TabToNameAsync("Tuyên bố về khả năng tiếp cận");

            // Back after sending: the check-answers address now answers with the confirmation; nothing is sent twice.
            await page.GoBackAsync();
            await page.WaitForURLAsync("**/da-gui");
            Assert.Equal("Đã nộp hồ sơ", (await page.Locator("h1").TextContentAsync())?.Trim());
            Assert.Equal(1, await Citizens.SentDossiersAsync(browser.Portal, account));
            // And a step of the sent draft, opened again by its address, does the same.
            await page.GotoAsync(draftUrl + "/nguoi-nop");
            Assert.EndsWith("/da-gui", page.Url);
            Assert.Equal(1, await Citizens.SentDossiersAsync(browser.Portal, account));

            // Hồ sơ của tôi, then the dossier page.
            await page.GotoAsync("/ho-so");
            Assert.Equal([code], await page.Locator("table a[href^='/ho-so/']").AllTextContentsAsync());
            await states.CheckAsync("dossiers-mine");
            await keys.TabToNameAsync(code);
            await keys.NavigateAsync("Enter");
            Assert.EndsWith($"/ho-so/{code}", page.Url);
            Assert.Contains("to-khai.pdf", await page.Locator("main").TextContentAsync());
            await states.CheckAsync("dossier-details");

            // Public lookup: the form, a result with the code and the phone number declared, and a miss.
            await page.GotoAsync("/tra-cuu");
            await states.CheckAsync("lookup");
            await page.GetByLabel("Mã hồ sơ").FillAsync(code);
            await page.GetByLabel("Số điện thoại hoặc số định danh").FillAsync(account.Phone);
            await page.GetByRole(AriaRole.Button, new() { Name = "Tra cứu" }).ClickAsync();
            await page.Locator(".result-box").WaitForAsync();
            Assert.Contains(ProcedureName, await page.Locator(".result-box").TextContentAsync());
            await states.CheckAsync("lookup-result");
            await page.GetByLabel("Số điện thoại hoặc số định danh").FillAsync("0987 654 321");
            await page.GetByRole(AriaRole.Button, new() { Name = "Tra cứu" }).ClickAsync();
            await page.GetByText("Không tìm thấy hồ sơ với mã và thông tin này.").WaitForAsync();
            await states.CheckAsync("lookup-not-found");
            await page.GetByLabel("Mã hồ sơ").FillAsync("");
            await page.GetByLabel("Số điện thoại hoặc số định danh").FillAsync("");
            await page.GetByRole(AriaRole.Button, new() { Name = "Tra cứu" }).ClickAsync();
            await page.Locator(".error-summary").WaitForAsync();
            await states.AssertErrorPatternAsync();
            await states.CheckAsync("lookup-error");
        }
        finally
        {
            await keys.SaveAsync();
            await page.Context.CloseAsync();
        }
    }

    static string Regex(string s) => System.Text.RegularExpressions.Regex.Escape(s);

    static async Task<string?> TaskStatusAsync(IPage page, string section) =>
        (await page.Locator(".task-list__item").Filter(new() { HasText = section }).Locator(".task-list__status").TextContentAsync())?.Trim();

    // UX.md §4.7: screenshots at 320, 375 and 1280 px, kept in artifacts/screenshots for the human review.
    static async Task ScreenshotsAsync(IPage page, string name)
    {
        var dir = Path.Combine(Repo.Root, "artifacts", "screenshots");
        Directory.CreateDirectory(dir);
        var size = page.ViewportSize!;
        foreach (var width in new[] { 320, 375, 1280 })
        {
            await page.SetViewportSizeAsync(width, 800);
            await page.ScreenshotAsync(new() { Path = Path.Combine(dir, $"{name}-{width}.png"), FullPage = true });
        }
        await page.SetViewportSizeAsync(size.Width, size.Height);
    }
}
