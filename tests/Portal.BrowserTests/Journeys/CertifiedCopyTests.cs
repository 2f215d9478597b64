using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Playwright;
using Portal.Core.BackOffice;
using Portal.Core.Catalogue;
using Portal.Core.CertifiedCopies;
using Portal.Core.Database;
using Portal.Core.Deadlines;
using Portal.Core.Documents;
using Portal.Core.Dossiers;
using Portal.Core.Identity;
using Portal.Core.Signatures;
using Portal.Tests.Shared;

namespace Portal.BrowserTests.Journeys;

// Electronic certified copies in a real browser (issue 7): the counter officer attaches scans (one refused under
// 200 dpi) and the number of copies on the staff dossier page; the copy is approved and issued through the production
// code (the job does not run in the browser tests' portal); then the public verification page in each of its states —
// the copy, the file that matches, a file with one byte changed, a form without a file, a code that does not exist.
// Every state through the gates of UX.md §5.1.
[Collection("browser")]
public sealed class CertifiedCopyTests(BrowserFixture browser)
{
    const string Password = "mat-khau-can-bo-2026";
    static readonly string Suffix = Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
    static readonly string Files = Path.Combine(Path.GetTempPath(), "portal-browser-files");

    sealed record World(Npgsql.NpgsqlDataSource Db, BackOffice Office, Portal.Core.CertifiedCopies.CertifiedCopies Copies, string ProcedureCode,
        Dictionary<string, StaffUser> Staff);

    async Task<World> WorldAsync(Npgsql.NpgsqlDataSource db)
    {
        var agency = new CatalogueImport.AgencyIn($"000.{Suffix[..2]}.{Suffix}.H99", $"Ủy ban nhân dân xã Chứng Thực {Suffix}", "commune", null,
            "Thôn 1, xã Chứng Thực", "0255 3 000 111", "chungthuc@binhson.gov.vn");
        var field = new CatalogueImport.FieldIn($"chung-thuc-{Suffix}", "Chứng thực");
        var procedure = new CatalogueImport.ProcedureIn($"9.{Suffix}81", "Chứng thực bản sao từ bản chính (kiểm thử)", agency.Code, field.Code, "commune",
            ["direct", "online"], [new("direct", 0, "same-day", null, new TimeOnly(15, 0)), new("online", 0, "same-day", null, new TimeOnly(15, 0))],
            [new("Phí chứng thực", 2000)], ["Cá nhân"], "Bản sao có chứng thực", ["Nghị định số 23/2015/NĐ-CP"], "partial", 3,
            [new("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao", 1, 0, true, null, false), new("Bản sao cần chứng thực", 0, 1, true, null, false)],
            "1. Nộp hồ sơ.", null, "Chứng thực bản sao điện tử.", new("Quyết định số 1/QĐ-UBND", new DateOnly(2025, 7, 1)), new DateOnly(2025, 7, 15), 0,
            CertifiedCopy: true);
        await CatalogueImport.ImportAsync(db, new CatalogueImport.Package([agency], [field], [procedure]), "H99", default);

        var clock = TimeProvider.System;
        var store = new FileStore(Files);
        var calendars = new CalendarStore(db);
        var pki = browser.Portal.PkiDirectory;
        var keys = new SigningKeys(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Portal:Signing:Pkcs12"] = Path.Combine(pki, DemoPki.SignerFile), ["Portal:Signing:PasswordFile"] = Path.Combine(pki, DemoPki.PasswordFile),
        }).Build());
        var site = new FormSite("tỉnh Bình Sơn", "1900 0000", null);
        var office = new BackOffice(db, store, calendars, clock, keys, new PadesSigner(clock), site);
        var copies = new Portal.Core.CertifiedCopies.CertifiedCopies(db, clock, office, store, calendars, keys, new PadesSigner(clock),
            new SignatureStore(db, SignaturePolicy.Version1, clock), site, new CertifiedCopySettings(browser.Portal.BaseUrl));
        var staff = new Dictionary<string, StaffUser>();
        var accounts = new StaffAccounts(db);
        foreach (var (role, stem, name) in new[] { ("receiving-officer", "tnct", "Lê Thị Tiếp Nhận"), ("specialist", "cvct", "Phạm Văn Chuyên"), ("agency-leader", "ldct", "Trần Văn Bình") })
        {
            var login = stem + Suffix;
            Assert.Empty(await accounts.CreateAsync(login, name, Password, [role], agency.Code, default));
            await using var conn = await db.OpenConnectionAsync();
            staff[role] = new StaffUser(await conn.ExecuteScalarAsync<Guid>("SELECT id FROM portal.staff_accounts WHERE login = @login", new { login }),
                login, name, [role], agency.Code);
        }
        return new World(db, office, copies, procedure.NationalCode + ".H99", staff);
    }

    async Task<IPage> SignInAsync(string login)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/can-bo/dang-nhap");
        await page.GetByLabel("Tên đăng nhập").FillAsync(login);
        await page.GetByLabel("Mật khẩu").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/can-bo/dang-nhap"));
        return page;
    }

    static FilePayload Jpeg(string name, byte[] bytes) => new() { Name = name, MimeType = "image/jpeg", Buffer = bytes };

    static async Task SubmitAsync(IPage page, string button)
    {
        await page.EvaluateAsync("() => { window.__oldDocument = true; }");
        await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        await page.WaitForFunctionAsync("() => !window.__oldDocument && document.readyState === 'complete'", null, new() { PollingInterval = 50 });
    }

    [Fact]
    public async Task An_officer_attaches_the_scans_and_anyone_checks_the_issued_copy()
    {
        await using var db = Db.CreateDataSource(browser.Portal.ConnectionString);
        var w = await WorldAsync(db);
        var code = Assert.IsType<IntakeOutcome.Created>(await w.Office.IntakeAsync(w.Staff["receiving-officer"], new IntakeInput
        {
            ProcedureCode = w.ProcedureCode, Channel = "direct", DeliveryMethod = "counter", DocumentsReceived = [1, 2],
            Applicant = new ApplicantAnswers
            {
                Kind = "individual", FullName = "Nguyễn Thị Hường", BirthDate = "5/3/1990", IdNumber = "001190012345",
                Address = "Thôn 3, xã Hòa An, tỉnh Bình Sơn", Phone = "0912 345 678",
            },
        }, browser.Portal.BaseUrl, default)).Code;

        // ---- the counter officer: scans and the number of copies on the dossier page ----
        var page = await SignInAsync(w.Staff["receiving-officer"].Login);
        var states = new PageStates(page);
        await page.GotoAsync($"/can-bo/ho-so/{code}");
        Assert.Equal("Bản sao điện tử chứng thực", (await page.Locator("#ban-sao").TextContentAsync())?.Trim());
        await states.CheckAsync("staff-copy-no-scans");

        await page.GetByLabel("Tệp bản quét").SetInputFilesAsync(Jpeg("chup-mo.jpg", TestScans.Jpeg(150)));
        await SubmitAsync(page, "Tải bản quét lên");
        await states.AssertErrorPatternAsync();
        Assert.Contains("thấp hơn mức tối thiểu 200 dpi", await page.Locator(".error-summary").TextContentAsync());
        await states.CheckAsync("staff-copy-scan-error");

        await page.GetByLabel("Tệp bản quét").SetInputFilesAsync(Jpeg("ban-quet.jpg", TestScans.Jpeg(200)));
        await SubmitAsync(page, "Tải bản quét lên");
        Assert.Contains("Đã tải lên bản quét ban-quet.jpg", await page.Locator(".success-banner").TextContentAsync());
        await page.GetByLabel("Số bản sao").FillAsync("2");
        await SubmitAsync(page, "Ghi số bản sao");
        Assert.Contains("1 trang × 2 bản = 4.000 đồng", await page.Locator("main").TextContentAsync());
        await states.CheckAsync("staff-copy-ready");

        // ---- approval and issue, through the production code ----
        Assert.IsType<ActionOutcome.Done>(await w.Office.ActAsync(w.Staff["receiving-officer"], code, "forward", new(), null, "", default));
        Assert.IsType<ActionOutcome.Done>(await w.Office.ActAsync(w.Staff["specialist"], code, "forward", new(), null, "", default));
        Assert.IsType<ActionOutcome.Done>(await w.Office.ActAsync(w.Staff["agency-leader"], code, "approve", new(), null, "", default));
        Assert.Equal(1, await w.Copies.IssuePendingAsync(default));
        await using var conn = await db.OpenConnectionAsync();
        var (verify, sha) = await conn.QuerySingleAsync<(string, string)>("""
            SELECT c.code, c.sha256 FROM portal.certified_copies c JOIN portal.dossiers d ON d.id = c.dossier_id WHERE d.code = @code
            """, new { code });
        var pdf = await new FileStore(Files).ReadAllAsync(sha, default);

        await page.GotoAsync($"/can-bo/ho-so/{code}");
        Assert.Contains("Đã cấp lúc", await page.Locator("main").TextContentAsync());
        await states.CheckAsync("staff-copy-issued");

        // ---- the public verification page ----
        var visitor = await browser.NewPageAsync();
        var check = new PageStates(visitor);
        await visitor.GotoAsync($"/xac-thuc/{verify}");
        Assert.StartsWith("Bản sao chứng thực số ", (await visitor.Locator("h1").TextContentAsync())?.Trim());
        await check.CheckAsync("copy-verify");

        await SubmitAsync(visitor, "So khớp tệp");
        await check.AssertErrorPatternAsync();
        await check.CheckAsync("copy-verify-no-file");

        await visitor.GetByLabel("Tệp bản sao (PDF)").SetInputFilesAsync(new FilePayload { Name = "ban-sao.pdf", MimeType = "application/pdf", Buffer = pdf });
        await SubmitAsync(visitor, "So khớp tệp");
        Assert.Equal("Trùng khớp — bản sao hợp lệ", (await visitor.Locator("#ket-qua-so-khop").TextContentAsync())?.Trim());
        Assert.Equal("Chữ ký số hợp lệ", (await visitor.Locator("#ket-luan").TextContentAsync())?.Trim());
        await check.CheckAsync("copy-verify-match");

        var tampered = (byte[])pdf.Clone();
        tampered[pdf.Length / 3] ^= 0x01;
        await visitor.GetByLabel("Tệp bản sao (PDF)").SetInputFilesAsync(new FilePayload { Name = "ban-sao-sua.pdf", MimeType = "application/pdf", Buffer = tampered });
        await SubmitAsync(visitor, "So khớp tệp");
        Assert.Equal("Không trùng khớp", (await visitor.Locator("#ket-qua-so-khop").TextContentAsync())?.Trim());
        await check.CheckAsync("copy-verify-mismatch");

        var missing = await visitor.GotoAsync("/xac-thuc/AAAAAAAAAAAAAAAA");
        Assert.Equal(404, missing!.Status);
        Assert.Equal("Không tìm thấy bản sao có mã này", (await visitor.Locator("h1").TextContentAsync())?.Trim());
        await check.CheckAsync("copy-verify-unknown");
    }

    [Fact]
    public async Task A_citizen_gives_the_number_of_copies_with_the_scans_and_sees_the_fee()
    {
        await using var db = Db.CreateDataSource(browser.Portal.ConnectionString);
        var w = await WorldAsync(db);
        var account = await Citizens.CreateAsync(browser.Portal);
        var store = new Portal.Core.Dossiers.Dossiers(db, new FileStore(Files), new SignatureStore(db, SignaturePolicy.Version1, TimeProvider.System),
            new CalendarStore(db), TimeProvider.System, new DossierRules());
        var id = (await store.StartAsync(account.Id, w.ProcedureCode, await store.ProfileAnswersAsync(account.Id, default), default))!.Value;
        Assert.IsType<UploadOutcome.Accepted>(await store.UploadAsync(account.Id, id, 2, "ban-quet.jpg", new MemoryStream(TestScans.Jpeg(200)), default));

        var page = await browser.NewPageAsync();
        var states = new PageStates(page);
        var url = $"/nop-ho-so/{w.ProcedureCode}/{id}/giay-to/2";
        await Citizens.SignInAsync(page, account, url);
        await page.WaitForURLAsync($"**{url}");
        Assert.Contains("1 trang, 200 dpi", await page.Locator("main table").TextContentAsync());
        await states.CheckAsync("copy-scans");

        await SubmitAsync(page, "Tiếp tục");
        await states.AssertErrorPatternAsync();
        await states.CheckAsync("copy-scans-no-count");
        await page.GetByLabel("Số bản sao cần chứng thực").FillAsync("3");
        await SubmitAsync(page, "Tiếp tục");
        await page.GotoAsync(url);
        Assert.Contains("1 trang × 3 bản = 6.000 đồng", await page.Locator("main").TextContentAsync());
        await states.CheckAsync("copy-scans-fee");

        await page.GotoAsync($"/nop-ho-so/{w.ProcedureCode}/{id}/giay-to/1");
        Assert.Contains("Không cần tải bản chính lên", await page.Locator("main").TextContentAsync());
        await states.CheckAsync("copy-original-presented");
    }
}
