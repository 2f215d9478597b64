using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Dossiers;
using Portal.Core.Identity;
using Portal.Web.Tests.Database;
using Portal.Web.Tests.Dossiers;

namespace Portal.Web.Tests.Api;

// The staff API: staff tokens apart from citizen tokens, the caller's scope, and each outcome as its HTTP answer.
[Collection("db")]
public sealed class StaffApiTests(PostgresFixture db)
{
    sealed record Setup(DossierWorld World, WebApplicationFactory<Program> Portal, string Code);

    /// <summary>A dossier sent online to a fresh agency, and the portal on the world's clock (Monday 09:00).</summary>
    async Task<Setup> SubmittedAsync()
    {
        var world = await DossierWorld.CreateAsync(db);
        var applicant = await world.ApplicantAsync();
        var id = await world.CompleteDraftAsync(applicant);
        var sent = Assert.IsType<SubmitOutcome.Submitted>(await world.Store.SubmitAsync(applicant, id, null, "https://x", default));
        var portal = db.Portal.WithWebHostBuilder(b =>
        {
            b.UseSetting("Portal:Files", world.FilesRoot);
            b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(world.Clock));
        });
        return new Setup(world, portal, sent.Code);
    }

    /// <summary>A staff account with the roles at the unit, and its API token.</summary>
    async Task<(string Login, Guid Id, string Token)> StaffAsync(string? agencyCode, params string[] roles)
    {
        var login = $"canbo{Given.Next()}";
        var accounts = new StaffAccounts(db.DataSource);
        Assert.Empty(await accounts.CreateAsync(login, "Trần Văn Thử", Staff.Password, roles, agencyCode, default));
        var id = (await accounts.FindAsync(login, default))!.Id;
        var token = (await new StaffTokens(db.DataSource, TimeProvider.System).CreateAsync(id, "Phần mềm một cửa", default)).Token;
        return (login, id, token);
    }

    static HttpClient Client(WebApplicationFactory<Program> portal, string? token)
    {
        var client = portal.CreateClient(new() { AllowAutoRedirect = false });
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    static Task<HttpResponseMessage> ActAsync(HttpClient client, string code, string action, string? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/staff/dossiers/{code}/actions/{action}") { Content = body is null ? null : Json(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }

    static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? detailContains = null, string? type = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        if (detailContains is not null) Assert.Contains(detailContains, problem.GetProperty("detail").GetString());
        if (type is not null) Assert.Equal(type, problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Without_a_valid_staff_token_the_staff_api_answers_401_and_a_citizen_token_opens_only_the_citizen_api()
    {
        var s = await SubmittedAsync();
        var (_, staffId, staffToken) = await StaffAsync(s.World.AgencyCode, "receiving-officer");
        var (citizenId, _, _) = await Citizens.CreateAsync(db, phone: $"09{Given.Next() % 100_000_000:00000000}");
        var citizenToken = (await new Applicants(db.DataSource, TimeProvider.System).CreateTokenAsync(citizenId, "Kế toán", default)).Token;

        await AssertProblemAsync(await Client(s.Portal, null).GetAsync("/api/v1/staff/dossiers"), HttpStatusCode.Unauthorized, "st_");
        await AssertProblemAsync(await Client(s.Portal, citizenToken).GetAsync("/api/v1/staff/dossiers"), HttpStatusCode.Unauthorized);
        await AssertProblemAsync(await ActAsync(Client(s.Portal, citizenToken), s.Code, "receive"), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await Client(s.Portal, citizenToken).GetAsync("/api/v1/me")).StatusCode);
        // …and the other way round: a staff token is not an applicant's.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client(s.Portal, staffToken).GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client(s.Portal, staffToken).GetAsync("/api/v1/me/dossiers")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Client(s.Portal, staffToken).GetAsync("/api/v1/staff/dossiers")).StatusCode);
        var tokens = new StaffTokens(db.DataSource, TimeProvider.System);
        Assert.True(await tokens.RevokeAsync(staffId, (await tokens.ListAsync(staffId, default)).Single().Id, default));
        await AssertProblemAsync(await Client(s.Portal, staffToken).GetAsync("/api/v1/staff/dossiers"), HttpStatusCode.Unauthorized, "thu hồi");
    }

    [Fact]
    public async Task A_staff_session_reads_but_cannot_act_without_a_token()
    {
        var s = await SubmittedAsync();
        var (login, _, _) = await StaffAsync(s.World.AgencyCode, "receiving-officer");
        var browser = Client(s.Portal, null);
        Assert.Equal(HttpStatusCode.Redirect, (await Staff.SignInAsync(browser, login)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/api/v1/staff/dossiers/{s.Code}")).StatusCode);
        await AssertProblemAsync(await ActAsync(browser, s.Code, "receive"), HttpStatusCode.Unauthorized);
        Assert.Equal(1, await s.World.ScalarAsync<short>("SELECT status FROM portal.dossiers WHERE code = @code", new { code = s.Code }));
    }

    [Fact]
    public async Task Another_agencys_dossier_is_not_listed_and_its_detail_and_actions_are_404()
    {
        var s = await SubmittedAsync();
        var (_, _, own) = await StaffAsync(s.World.AgencyCode, "receiving-officer");
        var other = Given.Agency();
        await Given.ImportAsync(db, [other], [], []);
        var (_, _, stranger) = await StaffAsync(other.Code, "receiving-officer");

        var inbox = await JsonAsync(await Client(s.Portal, own).GetAsync("/api/v1/staff/dossiers?status=submitted"));
        var item = inbox.EnumerateArray().Single(i => i.GetProperty("code").GetString() == s.Code);
        Assert.Equal((1, "submitted"), (item.GetProperty("status").GetInt32(), item.GetProperty("statusKey").GetString()));
        Assert.Equal("Nguyễn Thị Hường", item.GetProperty("applicant").GetString());

        var theirs = await JsonAsync(await Client(s.Portal, stranger).GetAsync("/api/v1/staff/dossiers?status=1"));
        Assert.DoesNotContain(theirs.EnumerateArray(), i => i.GetProperty("code").GetString() == s.Code);
        await AssertProblemAsync(await Client(s.Portal, stranger).GetAsync($"/api/v1/staff/dossiers/{s.Code}"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await ActAsync(Client(s.Portal, stranger), s.Code, "receive"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await ActAsync(Client(s.Portal, own), s.Code, "no-such-action"), HttpStatusCode.NotFound, "receive");
    }

    [Fact]
    public async Task The_detail_carries_the_version_as_an_etag_and_the_actions_the_caller_may_take()
    {
        var s = await SubmittedAsync();
        var (_, _, token) = await StaffAsync(s.World.AgencyCode, "receiving-officer");

        var response = await Client(s.Portal, token).GetAsync($"/api/v1/staff/dossiers/{s.Code}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var d = await JsonAsync(response);
        var version = d.GetProperty("version").GetInt32();
        Assert.Equal($"\"{version}\"", response.Headers.ETag?.Tag);
        Assert.Equal("submitted", d.GetProperty("statusKey").GetString());
        Assert.Equal(["receive", "request-supplement", "refuse"], d.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("key").GetString()));
        Assert.Contains(d.GetProperty("history").EnumerateArray(), h => h.GetProperty("toStatus").GetInt32() == 1);
        Assert.Equal(1, await s.World.ScalarAsync<long>(
            "SELECT count(*) FROM portal.dossier_reads r JOIN portal.dossiers d ON d.id = r.dossier_id WHERE d.code = @code AND r.via = 'api'", new { code = s.Code }));
    }

    [Fact]
    public async Task An_illegal_action_is_409_with_the_reason_and_a_role_without_the_right_is_403()
    {
        var s = await SubmittedAsync();
        var (_, _, head) = await StaffAsync(s.World.AgencyCode, "head-of-division");
        var (_, _, specialist) = await StaffAsync(s.World.AgencyCode, "specialist");

        await AssertProblemAsync(await ActAsync(Client(s.Portal, head), s.Code, "assign", """{"assignee":"ai-do"}"""),
            HttpStatusCode.Conflict, "Mới đăng ký", Portal.Web.Api.StaffDossiersApi.IllegalTransitionType);
        await AssertProblemAsync(await ActAsync(Client(s.Portal, specialist), s.Code, "receive"), HttpStatusCode.Forbidden, "Cán bộ tiếp nhận");
    }

    [Fact]
    public async Task A_stale_if_match_is_a_409_conflict_and_a_legal_receive_is_200()
    {
        var s = await SubmittedAsync();
        var (_, _, token) = await StaffAsync(s.World.AgencyCode, "receiving-officer");
        var api = Client(s.Portal, token);
        var version = (await JsonAsync(await api.GetAsync($"/api/v1/staff/dossiers/{s.Code}"))).GetProperty("version").GetInt32();

        await AssertProblemAsync(await ActAsync(api, s.Code, "receive", ifMatch: $"\"{version + 7}\""),
            HttpStatusCode.Conflict, "chưa được ghi", Portal.Web.Api.StaffDossiersApi.ConflictType);
        await AssertProblemAsync(await ActAsync(api, s.Code, "receive", body: $$"""{"version":{{version + 7}}}"""), HttpStatusCode.Conflict);

        var done = await ActAsync(api, s.Code, "receive", ifMatch: $"\"{version}\"");

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var outcome = await JsonAsync(done);
        Assert.Equal((s.Code, 2, "received"), (outcome.GetProperty("code").GetString(), outcome.GetProperty("status").GetInt32(), outcome.GetProperty("statusKey").GetString()));
        var after = await api.GetAsync($"/api/v1/staff/dossiers/{s.Code}");
        Assert.NotEqual($"\"{version}\"", after.Headers.ETag?.Tag);
        Assert.Contains((await JsonAsync(after)).GetProperty("forms").EnumerateArray(), f => f.GetProperty("kind").GetString() == "receipt");
        // The same If-Match again: somebody (we) changed it since.
        await AssertProblemAsync(await ActAsync(api, s.Code, "refuse", """{"reason":"x"}""", $"\"{version}\""), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_body_that_is_not_valid_is_a_400_validation_problem_by_field()
    {
        var s = await SubmittedAsync();
        var (_, _, token) = await StaffAsync(s.World.AgencyCode, "receiving-officer");
        var api = Client(s.Portal, token);

        var wrongType = await ActAsync(api, s.Code, "request-supplement", """{"items":[{"name":"Tờ khai","reason":"Thiếu"}],"amountVnd":"nhiều"}""");
        await AssertProblemAsync(wrongType, HttpStatusCode.BadRequest);
        var noItems = await ActAsync(api, s.Code, "request-supplement", """{"note":"Bổ sung"}""");
        await AssertProblemAsync(noItems, HttpStatusCode.BadRequest, "giấy tờ cần bổ sung");
        Assert.True((await JsonAsync(noItems)).GetProperty("errors").TryGetProperty("items", out _));
        var badDue = await ActAsync(api, s.Code, "draft-apology", """{"newDue":"thứ hai tuần sau"}""");
        Assert.True((await JsonAsync(badDue)).GetProperty("errors").TryGetProperty("newDue", out _));
        await AssertProblemAsync(await ActAsync(api, s.Code, "receive", ifMatch: "phiên bản 3"), HttpStatusCode.BadRequest, "If-Match");
        await AssertProblemAsync(await Client(s.Portal, token).GetAsync("/api/v1/staff/dossiers?status=khong-co"), HttpStatusCode.BadRequest);
        Assert.Equal(1, await s.World.ScalarAsync<short>("SELECT status FROM portal.dossiers WHERE code = @code", new { code = s.Code }));
    }

    [Fact]
    public async Task Add_result_reads_a_multipart_body_and_other_actions_refuse_one()
    {
        var s = await SubmittedAsync();
        var (_, _, token) = await StaffAsync(s.World.AgencyCode, "specialist");
        var api = Client(s.Portal, token);
        MultipartFormDataContent Form(byte[] bytes) => new()
        {
            { new StringContent("Giấy khai sinh"), "title" },
            { new ByteArrayContent(bytes), "file", "ket-qua.pdf" },
        };

        // Parsed, stored, then refused by the dossier's state (add-result needs "Đang xử lý").
        await AssertProblemAsync(await api.PostAsync($"/api/v1/staff/dossiers/{s.Code}/actions/add-result", Form(Portal.Tests.Shared.TestPdfs.OnePage("Kết quả"))),
            HttpStatusCode.Conflict, "Đang xử lý", Portal.Web.Api.StaffDossiersApi.IllegalTransitionType);
        var empty = await api.PostAsync($"/api/v1/staff/dossiers/{s.Code}/actions/add-result", Form([]));
        Assert.True((await JsonAsync(empty)).GetProperty("errors").TryGetProperty("file", out _));
        await AssertProblemAsync(await api.PostAsync($"/api/v1/staff/dossiers/{s.Code}/actions/request-supplement", Form([1, 2])),
            HttpStatusCode.BadRequest, "multipart");
    }
}
