using Microsoft.Playwright;
using Portal.Core.Database;
using Portal.Core.Deadlines;
using Portal.Core.Documents;
using Portal.Core.Dossiers;
using Portal.Core.Signatures;
using Portal.Tests.Shared;

namespace Portal.BrowserTests.Journeys;

// After sending: answering a supplement request and asking to withdraw, each page and state through the gates of
// UX.md §5.1. The dossier is filed and the request issued through the production code (the back office that issues
// requests is a later issue).
[Collection("browser")]
public sealed class CitizenActionTests(BrowserFixture browser)
{
    static FilePayload File(string name, string type, byte[] bytes) => new() { Name = name, MimeType = type, Buffer = bytes };

    async Task<string> SentWithRequestAsync(Citizens.Account account)
    {
        await using var db = Db.CreateDataSource(browser.Portal.ConnectionString);
        var clock = TimeProvider.System;
        var store = new Portal.Core.Dossiers.Dossiers(db, new FileStore(Path.Combine(Path.GetTempPath(), "portal-browser-files")),
            new SignatureStore(db, SignaturePolicy.Version1, clock), new CalendarStore(db), clock, new DossierRules());
        var id = (await store.StartAsync(account.Id, TestCatalogue.CopyFromRegister, await store.ProfileAnswersAsync(account.Id, default), default))!.Value;
        var draft = (await store.LoadAsync(account.Id, id, null, default))!;
        await store.SaveAnswersAsync(account.Id, id, draft.RowVersion, draft.Answers with
        {
            Owner = new OwnerAnswers { SameAsApplicant = true }, Delivery = new DeliveryAnswers { Method = "online" }, Declared = true,
        }, "kiem-tra", default);
        foreach (var slot in draft.Documents.Where(d => d.Required))
            await store.UploadAsync(account.Id, id, slot.LineNo, $"giay-to-{slot.LineNo}.pdf", new MemoryStream(TestPdfs.OnePage(slot.Name)), default);
        var sent = Assert.IsType<SubmitOutcome.Submitted>(await store.SubmitAsync(account.Id, id, null, "http://127.0.0.1", default));
        var first = draft.Documents[0];
        Assert.Null(await store.RequestSupplementAsync(id, [new(first.LineNo, first.Name, "Bản chụp mờ, không đọc được số"), new(null, "Ảnh chân dung", "Thiếu")],
            "Xem hướng dẫn tại bộ phận một cửa", "staff:kiemthu", default));
        return sent.Code;
    }

    [Fact]
    public async Task A_citizen_answers_a_supplement_request_and_then_asks_to_withdraw()
    {
        var account = await Citizens.CreateAsync(browser.Portal);
        var code = await SentWithRequestAsync(account);
        var page = await browser.NewPageAsync();
        var states = new PageStates(page);
        try
        {
            await Citizens.SignInAsync(page, account, $"/ho-so/{code}");
            Assert.Contains("Bản chụp mờ, không đọc được số", await page.Locator(".notice--warning").TextContentAsync());
            await states.CheckAsync("dossier-supplement-requested");

            await page.GetByRole(AriaRole.Link, new() { Name = "Bổ sung giấy tờ và gửi lại" }).ClickAsync();
            await states.CheckAsync("supplement");
            var input = page.Locator("input[type=file]").First;
            await input.SetInputFilesAsync(File("ghi-chu.txt", "text/plain", "không phải giấy tờ"u8.ToArray()));
            await page.GetByRole(AriaRole.Button, new() { Name = "Tải lên" }).First.ClickAsync();
            await page.WaitForSelectorAsync(".error-summary");
            await states.AssertErrorPatternAsync();
            await states.CheckAsync("supplement-upload-refused");
            await page.Locator("input[type=file]").First.SetInputFilesAsync(File("ban-chup-ro.pdf", "application/pdf", TestPdfs.OnePage("Bản chụp rõ")));
            await page.GetByRole(AriaRole.Button, new() { Name = "Tải lên" }).First.ClickAsync();
            await page.WaitForSelectorAsync(".success-banner");
            await states.CheckAsync("supplement-uploaded");
            await page.GetByRole(AriaRole.Button, new() { Name = "Nộp bổ sung" }).ClickAsync();
            await page.WaitForURLAsync(url => url.EndsWith($"/ho-so/{code}"));
            Assert.Contains("Đã nộp bổ sung", await page.Locator(".success-banner").TextContentAsync());
            await states.CheckAsync("dossier-resubmitted");

            await page.GetByRole(AriaRole.Link, new() { Name = "yêu cầu rút hồ sơ" }).ClickAsync();
            await states.CheckAsync("withdraw");
            await page.GetByRole(AriaRole.Button, new() { Name = "Gửi yêu cầu rút hồ sơ" }).ClickAsync();
            await page.WaitForSelectorAsync(".error-summary");
            await states.AssertErrorPatternAsync();
            await states.CheckAsync("withdraw-error");
            await page.GetByLabel("Lý do rút hồ sơ").FillAsync("Nộp nhầm thủ tục");
            await page.GetByRole(AriaRole.Button, new() { Name = "Gửi yêu cầu rút hồ sơ" }).ClickAsync();
            await page.WaitForSelectorAsync(".success-banner");
            Assert.Contains("Công dân yêu cầu rút hồ sơ", await page.Locator(".tag").First.TextContentAsync());
            await states.CheckAsync("dossier-withdrawal-requested");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }
}
