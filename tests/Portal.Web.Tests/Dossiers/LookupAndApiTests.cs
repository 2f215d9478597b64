using System.Net;
using AngleSharp.Dom;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Core.Identity;
using Portal.Tests.Shared;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Dossiers;

// The public lookup page and the applicants' API.
[Collection("db")]
public sealed class LookupAndApiTests(PostgresFixture db)
{
    WebApplicationFactory<Program> Portal(int lookupsPerMinute = 100000) => db.Portal.WithWebHostBuilder(b =>
    {
        b.UseSetting("Portal:LookupsPerMinute", lookupsPerMinute.ToString());
        b.UseSetting("Portal:Files", Path.Combine(Path.GetTempPath(), "portal-web-files"));
    });

    async Task<string> ProcedureAsync()
    {
        var agency = Given.Agency();
        var field = Given.Field();
        var procedure = Given.Procedure(agency.Code, field.Code);
        await Given.ImportAsync(db, [agency], [field], [procedure]);
        return procedure.Code();
    }

    async Task<HttpClient> ApiClientAsync(WebApplicationFactory<Program> portal)
    {
        var (id, _, _) = await Citizens.CreateAsync(db, phone: $"09{Given.Next() % 100_000_000:00000000}");
        var token = (await new Applicants(db.DataSource, TimeProvider.System).CreateTokenAsync(id, "Phần mềm kế toán", default)).Token;
        var client = portal.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    static MultipartFormDataContent File(byte[] bytes, string name) => new() { { new ByteArrayContent(bytes), "file", name } };

    async Task<(HttpClient Api, string Code)> SubmittedAsync(WebApplicationFactory<Program> portal)
    {
        var api = await ApiClientAsync(portal);
        var draft = await JsonAsync(await api.PostAsync("/api/v1/me/dossiers", Json(new { procedureCode = await ProcedureAsync() })));
        var id = draft.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.Created, (await api.PutAsync($"/api/v1/me/dossiers/{id}/documents/1", File(TestPdfs.OnePage("Tờ khai"), "to-khai.pdf"))).StatusCode);
        var sent = await JsonAsync(await api.PostAsync($"/api/v1/me/dossiers/{id}/submit", null));
        return (api, sent.GetProperty("code").GetString()!);
    }

    [Fact]
    public async Task An_api_client_creates_uploads_and_submits_once_per_idempotency_key()
    {
        var portal = Portal();
        var api = await ApiClientAsync(portal);

        var created = await api.PostAsync("/api/v1/me/dossiers", Json(new { procedureCode = await ProcedureAsync() }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var draft = await JsonAsync(created);
        var id = draft.GetProperty("id").GetString();
        Assert.Equal("draft", draft.GetProperty("statusKey").GetString());
        Assert.Equal([(1, true), (2, false)], draft.GetProperty("documents").EnumerateArray()
            .Select(d => (d.GetProperty("componentId").GetInt32(), d.GetProperty("required").GetBoolean())));

        var early = await api.PostAsync($"/api/v1/me/dossiers/{id}/submit", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
        Assert.Contains("Tải lên giấy tờ bắt buộc", (await JsonAsync(early)).GetProperty("detail").GetString());
        var wrong = await api.PutAsync($"/api/v1/me/dossiers/{id}/documents/1", File("không phải PDF"u8.ToArray(), "a.pdf"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        var put = await api.PutAsync($"/api/v1/me/dossiers/{id}/documents/1", File(TestPdfs.OnePage("Tờ khai"), "to-khai.pdf"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("NO_SIGNATURE_FOUND", (await JsonAsync(put)).GetProperty("signatureReport").GetProperty("indication").GetString());

        var request = () => new HttpRequestMessage(HttpMethod.Post, $"/api/v1/me/dossiers/{id}/submit") { Headers = { { "Idempotency-Key", "lan-gui-1" } } };
        var firstText = await (await api.SendAsync(request())).Content.ReadAsStringAsync();
        var againText = await (await api.SendAsync(request())).Content.ReadAsStringAsync();
        var (first, again) = (JsonDocument.Parse(firstText).RootElement, JsonDocument.Parse(againText).RootElement);

        Assert.Equal(firstText, againText);   // the very same answer, times included

        Assert.Equal(first.GetProperty("code").GetString(), again.GetProperty("code").GetString());
        Assert.Equal("submitted", again.GetProperty("statusKey").GetString());
        var list = await JsonAsync(await api.GetAsync("/api/v1/me/dossiers"));
        Assert.Single(list.EnumerateArray());
        var one = await JsonAsync(await api.GetAsync($"/api/v1/me/dossiers/{first.GetProperty("code").GetString()}"));
        Assert.Equal("submit", one.GetProperty("history")[0].GetProperty("action").GetString());
    }

    [Fact]
    public async Task The_api_needs_a_valid_token_and_answers_in_problem_details()
    {
        var portal = Portal();
        var anonymous = await portal.CreateClient().GetAsync("/api/v1/me/dossiers");
        var client = portal.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "pt_khong-hop-le");
        var bad = await client.GetAsync("/api/v1/me/dossiers");
        var api = await ApiClientAsync(portal);
        var missing = await api.PostAsync("/api/v1/me/dossiers", Json(new { procedureCode = "1.999999.T01" }));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.MediaType);
        Assert.Contains("không có hoặc không nhận hồ sơ trực tuyến", (await JsonAsync(missing)).GetProperty("detail").GetString());
        var openapi = await portal.CreateClient().GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/v1/me/dossiers/{id}/submit", openapi);
    }

    [Fact]
    public async Task The_lookup_answers_the_same_for_a_wrong_code_and_a_wrong_secret_and_shows_the_status_for_the_right_pair()
    {
        var portal = Portal();
        var (_, code) = await SubmittedAsync(portal);
        var phone = await db.DataSource.CreateCommand($"SELECT lookup_phone FROM portal.dossiers WHERE code = '{code}'").ExecuteScalarAsync() as string;
        var browser = Journey.For(portal);

        var right = await Staff.ParseAsync(await browser.PostAsync($"/tra-cuu?ma={code}", new() { ["ma"] = code, ["Secret"] = phone! }));
        var wrongSecret = await Staff.ParseAsync(await browser.PostAsync("/tra-cuu", new() { ["ma"] = code, ["Secret"] = "0900000000" }));
        var wrongCode = await Staff.ParseAsync(await browser.PostAsync("/tra-cuu", new() { ["ma"] = code[..^1] + "9", ["Secret"] = phone! }));
        var empty = await Staff.ParseAsync(await browser.PostAsync("/tra-cuu", new() { ["ma"] = "", ["Secret"] = "" }));

        Assert.Contains("Mới đăng ký", right.QuerySelector(".result-box")!.TextContent);
        Assert.Null(right.QuerySelector(".result-box")!.TextContent.Contains("Nguyễn") ? "name shown" : null);
        Assert.Equal(wrongSecret.QuerySelector("main .notice")!.TextContent, wrongCode.QuerySelector("main .notice")!.TextContent);
        Assert.Null(wrongSecret.QuerySelector(".result-box"));
        Assert.StartsWith("Lỗi: ", empty.Title);
        Assert.Equal(["#ma", "#Secret"], empty.QuerySelectorAll(".error-summary a").Select(a => a.GetAttribute("href")));
        Assert.Equal(code, (await browser.PageAsync($"/tra-cuu?ma={code}")).QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#ma")!.Value);
    }

    [Fact]
    public async Task The_lookup_is_rate_limited_per_address()
    {
        var portal = Portal(lookupsPerMinute: 3);
        var browser = Journey.For(portal);
        var page = await browser.PageAsync("/tra-cuu");
        var form = new Dictionary<string, string> { ["ma"] = "000.00.01.H56-260101-0001", ["Secret"] = "0912345678", ["__RequestVerificationToken"] = Journey.Token(page) };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) statuses.Add((await browser.Client.PostAsync("/tra-cuu", new FormUrlEncodedContent(form))).StatusCode);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
