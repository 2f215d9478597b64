using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Playwright;
using Portal.Core.BackOffice;
using Portal.Core.Database;
using Portal.Core.Deadlines;
using Portal.Core.Documents;
using Portal.Core.Dossiers;
using Portal.Core.Identity;
using Portal.Core.Signatures;
using Portal.Tests.Shared;

namespace Portal.BrowserTests.Journeys;

// The back office in a real browser: one online dossier through reception, an inter-agency (liên thông) step at a
// second agency, approval with a result file, completion and return at the counter, each person signing in in turn;
// every staff page and state on the way through the gates of UX.md §5.1. The procedure's workflow, the staff and the
// citizen's dossier are set up through the production code; nothing else in the browser tests uses this procedure.
[Collection("browser")]
public sealed class BackOfficeTests(BrowserFixture browser)
{
    const string Procedure = "1.009994.H99";               // Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ
    const string A = TestCatalogue.Construction;           // receives, appraises, signs
    const string B = TestCatalogue.Justice;                // the inter-agency step
    const string Password = "mat-khau-can-bo-2026";
    static readonly string Suffix = Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    sealed record People(string Reception, string SpecialistA, string Leader, string SpecialistB, string Result);

    static FilePayload Pdf(string name) => new() { Name = name, MimeType = "application/pdf", Buffer = TestPdfs.OnePage(name) };

    BackOffice Office(Npgsql.NpgsqlDataSource db) => new(db, new FileStore(Path.Combine(Path.GetTempPath(), "portal-browser-files")),
        new CalendarStore(db), TimeProvider.System, new SigningKeys(new ConfigurationBuilder().Build()), new PadesSigner(TimeProvider.System),
        new FormSite("tỉnh Bình Sơn", "1900 0000", null));

    async Task<People> StaffAsync(Npgsql.NpgsqlDataSource db)
    {
        var accounts = new StaffAccounts(db);
        async Task<string> Create(string login, string name, string role, string agency)
        {
            login += Suffix;
            Assert.Empty(await accounts.CreateAsync(login, name, Password, [role], agency, default));
            return login;
        }
        return new(
            await Create("tiepnhan", "Trần Thị Tiếp Nhận", "receiving-officer", A),
            await Create("chuyenviena", "Lê Văn Thẩm Định", "specialist", A),
            await Create("lanhdao", "Phạm Minh Lãnh Đạo", "agency-leader", A),
            await Create("chuyenvienb", "Hoàng Thị Liên Thông", "specialist", B),
            await Create("trakq", "Vũ Văn Trả Kết Quả", "result-officer", A));
    }

    /// <summary>A dossier sent online by a citizen for <see cref="Procedure"/>, collected at the counter.</summary>
    async Task<string> SubmittedAsync(Npgsql.NpgsqlDataSource db, Citizens.Account account)
    {
        var clock = TimeProvider.System;
        var store = new Portal.Core.Dossiers.Dossiers(db, new FileStore(Path.Combine(Path.GetTempPath(), "portal-browser-files")),
            new SignatureStore(db, SignaturePolicy.Version1, clock), new CalendarStore(db), clock, new DossierRules());
        var id = (await store.StartAsync(account.Id, Procedure, await store.ProfileAnswersAsync(account.Id, default), default))!.Value;
        var draft = (await store.LoadAsync(account.Id, id, null, default))!;
        Assert.NotNull(await store.SaveAnswersAsync(account.Id, id, draft.RowVersion, draft.Answers with
        {
            Owner = new OwnerAnswers { SameAsApplicant = true }, Delivery = new DeliveryAnswers { Method = "counter" }, Declared = true,
        }, "kiem-tra", default));
        foreach (var slot in draft.Documents.Where(d => d.Required))
            await store.UploadAsync(account.Id, id, slot.LineNo, $"giay-to-{slot.LineNo}.pdf", new MemoryStream(TestPdfs.OnePage(slot.Name)), default);
        return Assert.IsType<SubmitOutcome.Submitted>(await store.SubmitAsync(account.Id, id, null, "http://127.0.0.1", default)).Code;
    }

    async Task<IPage> SignInAsync(string login, string returnTo = "/can-bo")
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/can-bo/dang-nhap?quay-lai=" + Uri.EscapeDataString(returnTo));
        await page.GetByLabel("Tên đăng nhập").FillAsync(login);
        await page.GetByLabel("Mật khẩu").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/can-bo/dang-nhap"));
        return page;
    }

    static ILocator Action(IPage page, string name) => page.GetByRole(AriaRole.Region, new() { Name = name, Exact = true });

    /// <summary>Presses an action's button on the dossier page and waits for the page that answers.</summary>
    static async Task PressAsync(IPage page, string action)
    {
        await page.EvaluateAsync("() => { window.__oldDocument = true; }");
        await Action(page, action).GetByRole(AriaRole.Button, new() { Name = action, Exact = true }).ClickAsync();
        await page.WaitForFunctionAsync("() => !window.__oldDocument && document.readyState === 'complete'", null, new() { PollingInterval = 50 });
    }

    static async Task<string> StatusAsync(IPage page) => (await page.Locator(".summary-list .tag").First.TextContentAsync())!.Trim();

    /// <summary>The message of the action just taken; fails with the page's alert when the action was not taken.</summary>
    static async Task<string> DoneAsync(IPage page)
    {
        var banner = page.Locator(".success-banner");
        if (await banner.CountAsync() == 0)
        {
            var alert = await page.Locator(".error-summary").AllInnerTextsAsync();
            Assert.Fail($"no success message on {page.Url}: {(alert.Count > 0 ? alert[0] : await page.Locator("main").InnerTextAsync())}");
        }
        return (await banner.TextContentAsync())!.Trim();
    }

    [Fact]
    public async Task A_dossier_goes_through_reception_an_inter_agency_step_approval_and_return()
    {
        var portal = browser.Portal;
        await using var db = Db.CreateDataSource(portal.ConnectionString);
        var office = Office(db);
        var versionId = await (await db.OpenConnectionAsync()).ExecuteScalarAsync<Guid>("""
            SELECT v.id FROM portal.procedure_version v JOIN portal.procedure p ON p.id = v.procedure_id WHERE p.code = @Procedure
            """, new { Procedure });
        Assert.Empty(await office.SaveWorkflowAsync(versionId,
        [
            new() { Step = 0, Name = "Tiếp nhận, kiểm tra hồ sơ", Role = "receiving-officer", Amount = 1, Unit = "working-days" },
            new() { Step = 1, Name = "Thẩm định hồ sơ", AgencyCode = A, Role = "specialist", Amount = 2, Unit = "working-days" },
            new() { Step = 2, Name = "Xác nhận quyền sử dụng đất", AgencyCode = B, Role = "specialist", Amount = 1, Unit = "working-days" },
            new() { Step = 3, Name = "Phê duyệt, ký giấy phép", AgencyCode = A, Role = "agency-leader", Amount = 1, Unit = "working-days" },
        ], "staff:quantri", default));
        var people = await StaffAsync(db);
        var account = await Citizens.CreateAsync(portal);
        var code = await SubmittedAsync(db, account);
        // A second dossier, already received: it goes on the late-risk list once its risk instant has passed.
        var other = await SubmittedAsync(db, account);
        var reception = new StaffUser(await (await db.OpenConnectionAsync()).ExecuteScalarAsync<Guid>(
            "SELECT id FROM portal.staff_accounts WHERE login = @login", new { login = people.Reception }), people.Reception, "Trần Thị Tiếp Nhận", ["receiving-officer"], A);
        Assert.IsType<ActionOutcome.Done>(await office.ActAsync(reception, other, "receive", new ActionInput(), null, portal.BaseUrl, default));

        // ---- the receiving officer ----
        var page = await SignInAsync(people.Reception);
        var states = new PageStates(page);
        try
        {
            Assert.Equal("Bàn làm việc", (await page.Locator("h1").TextContentAsync())?.Trim());
            await states.CheckAsync("staff-dashboard");
            await page.GotoAsync("/can-bo/nguy-co-tre-han");
            Assert.Equal(0, await page.Locator("main table").CountAsync());
            await states.CheckAsync("staff-late-risk-empty");

            await page.GetByRole(AriaRole.Navigation, new() { Name = "Công việc của cán bộ" }).GetByRole(AriaRole.Link, new() { Name = "Chờ tiếp nhận" }).ClickAsync();
            await page.WaitForURLAsync("**/can-bo/tiep-nhan");
            await states.CheckAsync("staff-inbox");
            await page.GetByRole(AriaRole.Link, new() { Name = code }).ClickAsync();
            await page.WaitForURLAsync($"**/can-bo/ho-so/{code}");
            Assert.Equal("Mới đăng ký", await StatusAsync(page));
            await states.CheckAsync("staff-dossier-submitted");

            // A refusal without a reason, then a supplement request without items: the error pattern, nothing changes.
            await PressAsync(page, "Từ chối tiếp nhận");
            await states.AssertErrorPatternAsync();
            await states.CheckAsync("staff-dossier-refuse-error");
            await Action(page, "Yêu cầu bổ sung hồ sơ").GetByLabel("Ghi chú").FillAsync("Gọi cho người nộp trước");
            await PressAsync(page, "Yêu cầu bổ sung hồ sơ");
            await states.AssertErrorPatternAsync();
            Assert.Equal("Gọi cho người nộp trước", await Action(page, "Yêu cầu bổ sung hồ sơ").GetByLabel("Ghi chú").InputValueAsync());
            await states.CheckAsync("staff-dossier-supplement-error");
            Assert.Equal("Mới đăng ký", await StatusAsync(page));

            // Two tabs: the dossier is received in the second, the first is stale and its refusal is a conflict.
            var second = await page.Context.NewPageAsync();
            await second.GotoAsync($"/can-bo/ho-so/{code}");
            await PressAsync(second, "Tiếp nhận hồ sơ");
            Assert.Contains($"Đã tiếp nhận hồ sơ {code}", await DoneAsync(second));
            await second.CloseAsync();
            await Action(page, "Từ chối tiếp nhận").GetByLabel("Lý do (và căn cứ pháp lý nếu có)").FillAsync("Không thuộc thẩm quyền");
            await PressAsync(page, "Từ chối tiếp nhận");
            Assert.Contains("vừa được", await page.Locator(".error-summary").TextContentAsync());
            Assert.Equal("Được tiếp nhận", await StatusAsync(page));
            await states.CheckAsync("staff-dossier-conflict");

            await page.GotoAsync($"/can-bo/ho-so/{code}");
            Assert.Equal("Được tiếp nhận", await StatusAsync(page));
            await states.CheckAsync("staff-dossier-received");
            await PressAsync(page, "Chuyển bước tiếp theo");
            Assert.Contains("Thẩm định hồ sơ", await DoneAsync(page));
            Assert.Equal("Đang xử lý", await StatusAsync(page));
            await states.CheckAsync("staff-dossier-forwarded");

            await page.GotoAsync("/can-bo/tiep-nhan");
            Assert.Contains("Không có hồ sơ nào chờ tiếp nhận", await page.Locator("main").TextContentAsync());
            await states.CheckAsync("staff-inbox-empty");

            // Counter intake: the procedure, an error, then a dossier received at once.
            await page.GetByRole(AriaRole.Link, new() { Name = "tiếp nhận hồ sơ trực tiếp hoặc qua bưu chính" }).ClickAsync();
            await page.WaitForURLAsync("**/can-bo/tiep-nhan/moi");
            await states.CheckAsync("staff-intake");
            await page.GetByLabel("Mã thủ tục").FillAsync("9.999999.H99");
            await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();
            await page.Locator(".error-summary").WaitForAsync();
            await states.AssertErrorPatternAsync();
            await states.CheckAsync("staff-intake-procedure-error");
            await page.GetByLabel("Mã thủ tục").FillAsync(Procedure);
            await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).Filter(new() { HasText = "Tiếp nhận hồ sơ:" }).WaitForAsync();
            await states.CheckAsync("staff-intake-form");
            await page.GetByLabel("Qua bưu chính", new() { Exact = true }).CheckAsync();
            await page.GetByLabel("Họ và tên (hoặc tên tổ chức)").FillAsync("Đỗ Văn Quầy");
            await page.GetByLabel("Số điện thoại").FillAsync("0912 345 678");
            await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp nhận hồ sơ" }).ClickAsync();
            await page.Locator(".error-summary").WaitForAsync();
            await states.AssertErrorPatternAsync();
            Assert.Equal("Đỗ Văn Quầy", await page.GetByLabel("Họ và tên (hoặc tên tổ chức)").InputValueAsync());
            await states.CheckAsync("staff-intake-errors");
            await page.GetByLabel("Trực tiếp tại quầy").CheckAsync();
            await page.GetByLabel("Ngày sinh").FillAsync("05/03/1985");
            await page.GetByLabel("Số căn cước công dân").FillAsync("001085012345");
            await page.GetByLabel("Địa chỉ liên hệ").FillAsync("Số 9 đường Hùng Vương, phường Bình Sơn");
            await page.GetByLabel("Nhận tại bộ phận một cửa").CheckAsync();
            foreach (var box in await page.Locator("input[name=DocumentsReceived]").AllAsync()) await box.CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Tiếp nhận hồ sơ" }).ClickAsync();
            await page.Locator(".success-banner").WaitForAsync();
            Assert.Contains("tại quầy", await DoneAsync(page));
            Assert.Equal("Được tiếp nhận", await StatusAsync(page));
            await states.CheckAsync("staff-dossier-counter-intake");
        }
        finally
        {
            await page.Context.CloseAsync();
        }

        // ---- A's specialist: the list, then the inter-agency transfer to B ----
        page = await SignInAsync(people.SpecialistA, "/can-bo/ho-so");
        states = new PageStates(page);
        try
        {
            await states.CheckAsync("staff-list");
            await page.GetByRole(AriaRole.Link, new() { Name = code }).ClickAsync();
            await page.WaitForURLAsync($"**/can-bo/ho-so/{code}");
            await states.CheckAsync("staff-dossier-review");
            await Action(page, "Chuyển liên thông").GetByLabel("Ghi chú").FillAsync("Đề nghị xác nhận nguồn gốc đất");
            await PressAsync(page, "Chuyển liên thông");
            Assert.Contains("Xác nhận quyền sử dụng đất", await DoneAsync(page));
            Assert.Equal("Đang xử lý", await StatusAsync(page));
            Assert.Contains("liên thông", await page.Locator(".summary-list dd").First.TextContentAsync());
            await states.CheckAsync("staff-dossier-transferred");
        }
        finally
        {
            await page.Context.CloseAsync();
        }

        // ---- B's specialist: on to A's leader ----
        page = await SignInAsync(people.SpecialistB, $"/can-bo/ho-so/{code}");
        states = new PageStates(page);
        try
        {
            Assert.Contains("Sở Tư pháp", await page.Locator(".summary-list").First.TextContentAsync());
            await states.CheckAsync("staff-dossier-at-second-agency");
            await PressAsync(page, "Chuyển liên thông");
            Assert.Contains("Phê duyệt, ký giấy phép", await DoneAsync(page));
            Assert.Equal("Đang xử lý", await StatusAsync(page));
        }
        finally
        {
            await page.Context.CloseAsync();
        }

        // ---- A's leader: the late-risk list, approval, the result, completion ----
        await using (var conn = await db.OpenConnectionAsync())
            await conn.ExecuteAsync("UPDATE portal.dossiers SET risk_at = now() - interval '1 hour' WHERE code = @other", new { other });
        page = await SignInAsync(people.Leader, "/can-bo/nguy-co-tre-han");
        states = new PageStates(page);
        try
        {
            Assert.Equal(1, await page.GetByRole(AriaRole.Link, new() { Name = other }).CountAsync());
            await states.CheckAsync("staff-late-risk");
            await page.GotoAsync($"/can-bo/ho-so/{code}");
            await states.CheckAsync("staff-dossier-to-approve");
            await PressAsync(page, "Phê duyệt kết quả");
            Assert.Contains("Đã phê duyệt", await DoneAsync(page));
            await states.CheckAsync("staff-dossier-approved");

            await PressAsync(page, "Thêm văn bản kết quả");
            await states.AssertErrorPatternAsync();
            await states.CheckAsync("staff-dossier-result-error");
            var result = Action(page, "Thêm văn bản kết quả");
            await result.GetByLabel("Tên văn bản kết quả").FillAsync("Giấy phép xây dựng");
            await result.GetByLabel("Tệp văn bản kết quả").SetInputFilesAsync(Pdf("giay-phep-xay-dung.pdf"));
            await PressAsync(page, "Thêm văn bản kết quả");
            Assert.Contains("Đã thêm kết quả", await DoneAsync(page));
            Assert.Equal(1, await page.GetByRole(AriaRole.Link, new() { Name = "Giấy phép xây dựng" }).CountAsync());

            await PressAsync(page, "Hoàn thành xử lý");
            Assert.Contains("đã xử lý xong", await DoneAsync(page));
            Assert.Equal("Đã xử lý xong", await StatusAsync(page));
            await states.CheckAsync("staff-dossier-processed");
        }
        finally
        {
            await page.Context.CloseAsync();
        }

        // ---- the result officer: return at the counter; the control slip and the tracking book ----
        page = await SignInAsync(people.Result, $"/can-bo/ho-so/{code}");
        states = new PageStates(page);
        try
        {
            await states.CheckAsync("staff-dossier-to-return");
            var give = Action(page, "Trả kết quả");
            Assert.True(await give.GetByLabel("Tại quầy", new() { Exact = true }).IsCheckedAsync());
            await give.GetByLabel("Người nhận kết quả tại quầy (họ và tên)").FillAsync(Citizens.Name);
            await PressAsync(page, "Trả kết quả");
            Assert.Contains("tại quầy", await DoneAsync(page));
            Assert.Equal("Đã trả kết quả", await StatusAsync(page));
            await states.CheckAsync("staff-dossier-returned");

            await page.GetByRole(AriaRole.Link, new() { Name = "Phiếu kiểm soát quá trình giải quyết hồ sơ" }).ClickAsync();
            await page.WaitForURLAsync($"**/can-bo/ho-so/{code}/phieu-kiem-soat");
            var rows = await page.Locator("main table tbody tr").AllInnerTextsAsync();
            Assert.Contains(rows, r => r.Contains("Sở Xây dựng") && r.Contains("Sở Tư pháp, bước 2"));
            Assert.Contains(rows, r => r.Contains("Sở Tư pháp, bước 2") && r.Contains("Sở Xây dựng, bước 3"));
            Assert.Contains(Citizens.Name, await page.Locator("main").TextContentAsync());
            await states.CheckAsync("staff-control-slip");

            await page.GotoAsync("/can-bo/so-theo-doi");
            Assert.Contains(code, await page.Locator("main").TextContentAsync());
            await states.CheckAsync("staff-tracking-book");

            await page.GetByRole(AriaRole.Button, new() { Name = "Đăng xuất" }).ClickAsync();
            await page.WaitForURLAsync("**/can-bo/dang-nhap?da-dang-xuat=1");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task An_administrator_lists_the_workflows_and_saves_one_that_does_not_add_up()
    {
        var page = await browser.NewPageAsync();
        var states = new PageStates(page);
        try
        {
            await SignInAsAdministratorAsync(page, "/quan-tri/quy-trinh");
            await states.CheckAsync("admin-workflows");

            await page.GetByRole(AriaRole.Link, new() { Name = "Cấp giấy phép di dời công trình" }).ClickAsync();
            await page.WaitForURLAsync("**/quan-tri/quy-trinh/*");
            await states.CheckAsync("admin-workflow");
            await page.Locator("#buoc-1-thoi-gian").FillAsync("99");
            await page.GetByRole(AriaRole.Button, new() { Name = "Lưu quy trình" }).ClickAsync();
            await page.Locator(".success-banner").WaitForAsync();
            Assert.Contains("Tổng thời gian các bước", await page.Locator(".notice--warning").TextContentAsync());
            await states.CheckAsync("admin-workflow-budget-warning");
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task An_administrator_sees_the_background_jobs_and_runs_and_pauses_one()
    {
        var page = await browser.NewPageAsync();
        var states = new PageStates(page);
        try
        {
            await SignInAsAdministratorAsync(page, "/quan-tri/tac-vu");
            // The test server runs the web role only: no node runs jobs, and the page says so.
            Assert.Contains("Không có nút nào đang chạy tác vụ nền", await page.Locator("[role=alert]").TextContentAsync());
            await states.CheckAsync("admin-jobs");

            var rollup = page.Locator("tbody tr", new() { Has = page.Locator("#job-statistics-rollup") });
            await rollup.GetByRole(AriaRole.Button, new() { Name = "Chạy ngay" }).ClickAsync();
            await page.Locator(".success-banner").WaitForAsync();
            Assert.Contains("Tổng hợp thống kê", await page.Locator(".success-banner").TextContentAsync());
            await states.CheckAsync("admin-jobs-run-requested");

            await rollup.GetByRole(AriaRole.Button, new() { Name = "Tạm dừng" }).ClickAsync();
            await page.Locator(".success-banner").WaitForAsync();
            Assert.Equal("Tạm dừng", await rollup.Locator("strong.tag").TextContentAsync());
            await states.CheckAsync("admin-jobs-paused");
            await rollup.GetByRole(AriaRole.Button, new() { Name = "Tiếp tục" }).ClickAsync();
            await page.Locator(".success-banner").WaitForAsync();
            Assert.Equal("Theo lịch", await rollup.Locator("strong.tag").TextContentAsync());
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    static async Task SignInAsAdministratorAsync(IPage page, string returnTo)
    {
        await page.GotoAsync("/can-bo/dang-nhap?quay-lai=" + Uri.EscapeDataString(returnTo));
        await page.GetByLabel("Tên đăng nhập").FillAsync(PortalServer.AdminLogin);
        await page.GetByLabel("Mật khẩu").FillAsync(PortalServer.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await page.WaitForURLAsync("**" + returnTo);
    }
}
