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
        // Listening from the start turns on Playwright's interception of file dialogs before any key opens one
        // (subscribing only around the key press races with it).
        TaskCompletionSource<IFileChooser> chooser = new();
        page.FileChooser += (_, c) => chooser.TrySetResult(c);
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
            Assert.EndsWith($"/nop-ho-so/{Code}", PathOf(page));
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
            Assert.EndsWith("/nguoi-nop", PathOf(page));
            Assert.Equal(Citizens.Name, await page.GetByLabel("Họ và tên (hoặc tên tổ chức)").InputValueAsync());
            Assert.Equal(account.IdNumber, await page.GetByLabel("Số căn cước công dân").InputValueAsync());
            Assert.NotEqual("", await page.GetByLabel("Số điện thoại").InputValueAsync());
            await states.CheckAsync("submission-applicant");
            await keys.TabToNameAsync("Tiếp tục");
            await keys.NavigateAsync("Enter");

            // Owner: the dossier is the applicant's own.
            Assert.EndsWith("/chu-ho-so", PathOf(page));
            await states.CheckAsync("submission-owner");
            // "Tiếp tục" before choosing: the error summary takes focus, visibly (NavigateAsync checks it); its link
            // leads to the first radio.
            await keys.TabToNameAsync("Tiếp tục");
            await keys.NavigateAsync("Enter");
            await states.AssertErrorPatternAsync();
            Assert.Equal("Chọn chủ hồ sơ là bạn hay người khác", (await page.Locator(".error-summary a").TextContentAsync())?.Trim());
            await keys.TabToAsync(f => f.Href == "#Same", "the summary link");
            await keys.PressAsync("Enter");
            Assert.Equal("Same", (await keys.FocusAsync())?.Id);
            await keys.PressAsync("Space");
            Assert.True(await page.Locator("#Same").IsCheckedAsync());
            await keys.TabToNameAsync("Tiếp tục");
            await keys.NavigateAsync("Enter");

            // One page per document: choose a PDF, upload it (the progress script posts it), continue.
            foreach (var (line, file) in new[] { (1, "to-khai.pdf"), (2, "can-cuoc.pdf") })
            {
                Assert.EndsWith($"/giay-to/{line}", PathOf(page));
                Assert.Equal("Chưa có tệp nào.", (await page.Locator("main h2 + p").First.TextContentAsync())?.Trim());
                await states.CheckAsync($"submission-document-{line}-empty");
                await keys.TabToNameAsync("Chọn tệp");
                // A native file dialog cannot be driven by keys: Space on the focused file input opens the chooser,
                // and Playwright answers it (the one step a person does in the operating system's dialog).
                chooser = new(TaskCreationOptions.RunContinuationsAsynchronously);
                await keys.PressAsync("Space");
                await (await chooser.Task.WaitAsync(TimeSpan.FromSeconds(15))).SetFilesAsync(Pdf(file));
                await keys.TabToNameAsync("Tải lên");
                await keys.NavigateAsync("Enter");

                Assert.EndsWith($"/giay-to/{line}", PathOf(page));
                Assert.Contains(file, await page.Locator(".success-banner").TextContentAsync());
                Assert.Contains(file, await page.Locator("table.table").TextContentAsync());
                Assert.Contains("Không có chữ ký số", await page.Locator("table.table").TextContentAsync());
                await states.CheckAsync($"submission-document-{line}-uploaded");
                await keys.TabToNameAsync("Tiếp tục");
                await keys.NavigateAsync("Enter");
            }

            // Delivery: the first choice, online.
            Assert.EndsWith("/nhan-ket-qua", PathOf(page));
            await states.CheckAsync("submission-delivery");
            await keys.TabToIdAsync("Method");
            await keys.PressAsync("Space");
            Assert.True(await page.Locator("#Method").IsCheckedAsync());
            await keys.TabToNameAsync("Tiếp tục");
            await keys.NavigateAsync("Enter");

            // Check answers, declare, send.
            Assert.EndsWith("/kiem-tra", PathOf(page));
            Assert.Contains("to-khai.pdf", await page.Locator("main").TextContentAsync());
            Assert.Contains("can-cuoc.pdf", await page.Locator("main").TextContentAsync());
            await states.CheckAsync("submission-check");
            await keys.TabToIdAsync("Declared");
            await keys.PressAsync("Space");
            Assert.True(await page.Locator("#Declared").IsCheckedAsync());
            await keys.TabToNameAsync("Gửi hồ sơ");
            await keys.NavigateAsync("Enter");

            // Confirmation: the panel, the code, a screenshot for the review before a release.
            Assert.EndsWith("/da-gui", PathOf(page));
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
            Assert.EndsWith("/da-gui", PathOf(page));
            Assert.Equal(1, await Citizens.SentDossiersAsync(browser.Portal, account));

            // Hồ sơ của tôi, then the dossier page.
            await page.GotoAsync("/ho-so");
            Assert.Equal([code], await page.Locator("table a[href^='/ho-so/']").AllTextContentsAsync());
            await states.CheckAsync("dossiers-mine");
            await keys.TabToNameAsync(code);
            await keys.NavigateAsync("Enter");
            Assert.EndsWith($"/ho-so/{code}", PathOf(page));
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

    [Fact]
    public async Task Every_error_state_of_the_journey_and_the_timeout_warning_pass_the_gates()
    {
        var account = await Citizens.CreateAsync(browser.Portal);
        var page = await browser.NewPageAsync();
        var states = new PageStates(page);
        try
        {
            await Citizens.SignInAsync(page, account, $"/nop-ho-so/{Code}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Bắt đầu hồ sơ mới" }).ClickAsync();
            await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/nop-ho-so/[^/]+/[0-9a-f-]{36}$"));
            var draft = new Uri(page.Url).AbsolutePath;

            // The start page with a saved draft offers to resume it, and says how long drafts are kept.
            await page.GotoAsync($"/nop-ho-so/{Code}");
            Assert.Equal("Bạn có hồ sơ đang soạn", (await page.Locator(".notice h2").TextContentAsync())?.Trim());
            Assert.EndsWith(draft, await page.Locator(".notice a").GetAttributeAsync("href"));
            await states.CheckAsync("submission-start-with-draft");

            // Applicant with the name cleared.
            await page.GotoAsync(draft + "/nguoi-nop");
            await page.GetByLabel("Họ và tên (hoặc tên tổ chức)").FillAsync("");
            await ContinueAsync(page);
            await states.AssertErrorPatternAsync();
            Assert.Equal(["Nhập họ và tên"], await page.Locator(".error-summary a").AllTextContentsAsync());
            Assert.Equal("#FullName", await page.Locator(".error-summary a").GetAttributeAsync("href"));
            Assert.Equal("FullName-error", await page.Locator("#FullName").GetAttributeAsync("aria-describedby"));
            await states.CheckAsync("submission-applicant-error");
            // The summary link takes the keyboard to the field.
            await page.Keyboard.PressAsync("Tab");
            await page.Keyboard.PressAsync("Enter");
            Assert.Equal("FullName", await page.EvaluateAsync<string>("() => document.activeElement.id"));

            // Owner with nothing chosen.
            await page.GotoAsync(draft + "/chu-ho-so");
            await ContinueAsync(page);
            await states.AssertErrorPatternAsync();
            await states.CheckAsync("submission-owner-error");

            // Document: a PDF, then a text file: the error is next to the field and the PDF is still there.
            await page.GotoAsync(draft + "/giay-to/1");
            await page.GetByLabel("Chọn tệp").SetInputFilesAsync(Pdf("to-khai.pdf"));
            await page.GetByRole(AriaRole.Button, new() { Name = "Tải lên" }).ClickAsync();
            await page.Locator(".success-banner").WaitForAsync();
            await page.GetByLabel("Thêm tệp").SetInputFilesAsync(new FilePayload
            {
                Name = "ghi-chu.txt", MimeType = "text/plain", Buffer = "Không phải giấy tờ"u8.ToArray(),
            });
            await page.GetByRole(AriaRole.Button, new() { Name = "Tải lên" }).ClickAsync();
            await page.Locator("#files-error").WaitForAsync();
            await states.AssertErrorPatternAsync();
            var message = (await page.Locator("#files-error").TextContentAsync())!;
            Assert.Contains("ghi-chu.txt", message);
            Assert.Equal("true", await page.Locator("#files").GetAttributeAsync("aria-invalid"));
            Assert.Contains("files-error", await page.Locator("#files").GetAttributeAsync("aria-describedby"));
            Assert.Equal(["to-khai.pdf"], await page.Locator("table.table tbody td:first-child a").AllTextContentsAsync());
            await states.CheckAsync("submission-document-upload-error");

            // Document: "Tiếp tục" without any file.
            await page.GotoAsync(draft + "/giay-to/2");
            await ContinueAsync(page);
            await states.AssertErrorPatternAsync();
            await states.CheckAsync("submission-document-empty-error");

            // Delivery by post without an address.
            await page.GotoAsync(draft + "/nhan-ket-qua");
            await page.GetByLabel("Nhận kết quả qua bưu chính công ích").CheckAsync();
            await ContinueAsync(page);
            await states.AssertErrorPatternAsync();
            Assert.Equal(3, await page.Locator(".error-summary a").CountAsync());
            Assert.Equal("Nhận kết quả qua bưu chính công ích", await page.Locator("input[name=Method]:checked + label").TextContentAsync());
            await states.CheckAsync("submission-delivery-error");

            // Check answers, sent incomplete and without the declaration.
            await page.GotoAsync(draft + "/kiem-tra");
            await states.CheckAsync("submission-check-incomplete");
            await page.GetByRole(AriaRole.Button, new() { Name = "Gửi hồ sơ" }).ClickAsync();
            await page.Locator(".error-summary").WaitForAsync();
            await states.AssertErrorPatternAsync();
            Assert.Contains("Đánh dấu vào ô cam đoan trước khi gửi hồ sơ", await page.Locator(".error-summary").TextContentAsync());
            await states.CheckAsync("submission-check-error");
            Assert.Equal(0, await Citizens.SentDossiersAsync(browser.Portal, account));

            // The session timeout warning (UX.md §2.8): with the page's clock run on to two minutes before expiry.
            await page.Clock.InstallAsync();
            await page.GotoAsync(draft);
            var dialog = page.Locator("#timeout-dialog");
            Assert.True(await dialog.IsHiddenAsync());
            var seconds = int.Parse((await dialog.GetAttributeAsync("data-seconds"))!);
            await page.Clock.RunForAsync((seconds - 110) * 1000L);
            await dialog.WaitForAsync();
            Assert.Equal("alertdialog", await dialog.Locator(".timeout-dialog__box").GetAttributeAsync("role"));
            var keys = new KeyboardUser(page, "timeout-dialog");
            var focus = await keys.FocusAsync();
            Assert.Equal("Tiếp tục phiên làm việc", focus?.Name);
            Assert.True(focus!.Indicator && focus.Unobscured, $"focus in the dialog: {focus}");
            await states.CheckAsync("submission-timeout-dialog");
            // Focus stays in the dialog; one action extends the session and gives focus back.
            Assert.Equal("Đăng xuất", (await keys.PressAsync("Tab"))?.Name);
            Assert.Equal("Tiếp tục phiên làm việc", (await keys.PressAsync("Tab"))?.Name);
            Assert.Equal("Đăng xuất", (await keys.PressAsync("Shift+Tab"))?.Name);
            await keys.PressAsync("Shift+Tab");
            await page.Keyboard.PressAsync("Enter");
            await dialog.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
            await keys.SaveAsync();
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Presses the page's "Tiếp tục" and waits for the answer (an error re-render or the next step).</summary>
    static async Task ContinueAsync(IPage page)
    {
        var response = page.WaitForResponseAsync(r => r.Request.Method == "POST" && r.Request.IsNavigationRequest);
        await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục", Exact = true }).ClickAsync();
        await response;
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.Locator(".error-summary").WaitForAsync();
    }

    // The path only: a fragment from an error summary link survives the redirects that follow a form post.
    static string PathOf(IPage page) => new Uri(page.Url).AbsolutePath;

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
