using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Dossiers;
using Portal.Core.Identity;
using Portal.Tests.Shared;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Dossiers;

// The pages for answering a supplement request and asking to withdraw, as a signed-in citizen sees them.
[Collection("db")]
public sealed class CitizenActionPagesTests(PostgresFixture db)
{
    WebApplicationFactory<Program> Portal() => db.Portal.WithWebHostBuilder(b =>
        b.UseSetting("Portal:Files", Path.Combine(Path.GetTempPath(), "portal-web-files")));

    /// <summary>A signed-in citizen with one sent dossier (filed through the API, which is quicker to drive).</summary>
    async Task<(Journey Browser, string Code, Guid Id)> SentAsync(WebApplicationFactory<Program> portal)
    {
        var agency = Given.Agency();
        var field = Given.Field();
        var procedure = Given.Procedure(agency.Code, field.Code);
        await Given.ImportAsync(db, [agency], [field], [procedure]);
        var (citizen, login, password) = await Citizens.CreateAsync(db);
        var browser = Journey.For(portal);
        await Citizens.SignInAsync(browser.Client, login, password);
        var api = portal.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await new Applicants(db.DataSource, TimeProvider.System).CreateTokenAsync(citizen, "kiểm thử", default)).Token);
        var draft = JsonDocument.Parse(await (await api.PostAsync("/api/v1/me/dossiers",
            new StringContent(JsonSerializer.Serialize(new
            {
                procedureCode = procedure.Code(),
                applicant = new { kind = "individual", fullName = "Nguyễn Thị Hường", birthDate = "05/03/1990", idNumber = "001190012345", address = "Xã Hòa An", phone = "0912345678" },
            }), Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync()).RootElement;
        var id = draft.GetProperty("id").GetString()!;
        await api.PutAsync($"/api/v1/me/dossiers/{id}/documents/1", new MultipartFormDataContent { { new ByteArrayContent(TestPdfs.OnePage("Tờ khai")), "file", "to-khai.pdf" } });
        var sent = JsonDocument.Parse(await (await api.PostAsync($"/api/v1/me/dossiers/{id}/submit", null)).Content.ReadAsStringAsync()).RootElement;
        return (browser, sent.GetProperty("code").GetString()!, Guid.Parse(id));
    }

    [Fact]
    public async Task A_citizen_sees_the_requested_items_uploads_a_replacement_and_resubmits()
    {
        var portal = Portal();
        var (browser, code, id) = await SentAsync(portal);
        var store = portal.Services.GetRequiredService<Portal.Core.Dossiers.Dossiers>();
        Assert.Null(await store.RequestSupplementAsync(id, [new(1, "Tờ khai theo mẫu", "Thiếu chữ ký ở trang 2")], null, "staff:canbo", default));

        var page = await browser.PageAsync($"/ho-so/{code}");
        Assert.Contains("Tờ khai theo mẫu — Thiếu chữ ký ở trang 2", page.QuerySelector(".notice--warning")!.TextContent);
        var refused = await browser.Client.PostAsync($"/ho-so/{code}/bo-sung/1/tai-len", await UploadFormAsync(browser, code, "ghi-chu.txt", "chữ"u8.ToArray()));
        Assert.Equal($"/ho-so/{code}/bo-sung", Journey.Location(refused));
        var withError = await browser.PageAsync($"/ho-so/{code}/bo-sung");
        Assert.StartsWith("Lỗi: ", withError.Title);
        Assert.Contains("là tệp văn bản thuần", withError.QuerySelector("#files-1-error")!.TextContent);
        await browser.Client.PostAsync($"/ho-so/{code}/bo-sung/1/tai-len", await UploadFormAsync(browser, code, "to-khai-da-ky.pdf", TestPdfs.OnePage("Đã ký")));

        var resubmitted = await browser.PostAsync($"/ho-so/{code}/bo-sung", new() { ["Note"] = "Đã ký bổ sung trang 2" });

        Assert.Equal($"/ho-so/{code}", Journey.Location(resubmitted));
        var after = await browser.PageAsync($"/ho-so/{code}");
        Assert.Contains("Đã nộp bổ sung", after.QuerySelector(".success-banner")!.TextContent);
        Assert.Contains("Mới đăng ký", after.QuerySelector(".tag")!.TextContent);
        Assert.Contains("Nộp bổ sung giấy tờ", after.QuerySelector(".timeline")!.TextContent);
        Assert.Contains("to-khai-da-ky.pdf", after.QuerySelector("main")!.TextContent);
        Assert.Equal($"/ho-so/{code}", Journey.Location(await browser.Client.GetAsync($"/ho-so/{code}/bo-sung")));
    }

    static async Task<MultipartFormDataContent> UploadFormAsync(Journey browser, string code, string name, byte[] bytes)
    {
        var page = await browser.PageAsync($"/ho-so/{code}/bo-sung");
        var part = new ByteArrayContent(bytes);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { new StringContent(Journey.Token(page)), "__RequestVerificationToken" }, { part, "files", name } };
    }

    [Fact]
    public async Task A_citizen_asks_to_withdraw_with_a_reason()
    {
        var portal = Portal();
        var (browser, code, _) = await SentAsync(portal);

        var empty = await browser.PostAsync($"/ho-so/{code}/rut-ho-so", new() { ["Reason"] = " " });
        var page = await Staff.ParseAsync(empty);
        Assert.StartsWith("Lỗi: ", page.Title);
        Assert.Equal("#Reason", page.QuerySelector(".error-summary a")!.GetAttribute("href"));

        var done = await browser.PostAsync($"/ho-so/{code}/rut-ho-so", new() { ["Reason"] = "Nộp nhầm thủ tục" });

        Assert.Equal($"/ho-so/{code}", Journey.Location(done));
        var after = await browser.PageAsync($"/ho-so/{code}");
        Assert.Contains("Công dân yêu cầu rút hồ sơ", after.QuerySelector(".tag")!.TextContent);
        Assert.Contains("Nộp nhầm thủ tục", after.QuerySelector(".timeline")!.TextContent);
        Assert.Equal($"/ho-so/{code}", Journey.Location(await browser.Client.GetAsync($"/ho-so/{code}/rut-ho-so")));
    }

    [Fact]
    public async Task Session_cookies_are_secure_unless_switched_off_for_plain_http_on_loopback()
    {
        var portal = db.Portal.WithWebHostBuilder(b => b.UseSetting("Portal:SecureCookies", "true"));   // the production default
        var (_, login, password) = await Citizens.CreateAsync(db);
        var staff = await Staff.CreateAsync(db, "administrator");

        var citizen = await Citizens.SignInAsync(portal.CreateClient(new() { AllowAutoRedirect = false }), login, password);
        var officer = await Staff.SignInAsync(portal.CreateClient(new() { AllowAutoRedirect = false }), staff);

        var citizenCookie = Assert.Single(citizen.Headers.GetValues("Set-Cookie"), c => c.StartsWith("portal.citizen="));
        var staffCookie = Assert.Single(officer.Headers.GetValues("Set-Cookie"), c => c.StartsWith("portal.staff="));
        Assert.All(new[] { citizenCookie, staffCookie }, c =>
        {
            Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("httponly", c, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=lax", c, StringComparison.OrdinalIgnoreCase);
        });
    }
}
