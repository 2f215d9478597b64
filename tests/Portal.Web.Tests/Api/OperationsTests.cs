using System.Net;
using System.Text.Json;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Api;

[Collection("db")]
public sealed class OperationsTests(PostgresFixture db)
{
    PortalFactory portal => db.Portal;

    [Fact]
    public async Task Healthz_checks_the_database()
    {
        var response = await portal.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ok", json.GetProperty("database").GetString());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_procedures_api()
    {
        var json = JsonDocument.Parse(await portal.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;

        var paths = json.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/procedures", out _));
        Assert.True(paths.TryGetProperty("/api/v1/procedures/{code}", out _));
        Assert.False(paths.TryGetProperty("/healthz", out _));
        var parameters = paths.GetProperty("/api/v1/procedures").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Select(p => p.GetProperty("name").GetString());
        Assert.Equal(["q", "agency", "field", "level", "onlineLevel", "page", "pageSize"], parameters);
        Assert.True(json.GetProperty("components").GetProperty("schemas").TryGetProperty("ListResult", out _));
    }

    [Fact]
    public async Task Fortunes_lists_thirteen_sorted_and_encoded_rows()
    {
        var (response, page) = await portal.GetPageAsync("/fortunes");
        var html = await portal.CreateClient().GetStringAsync("/fortunes");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var messages = page.QuerySelectorAll("tr td:nth-child(2)").Select(td => td.TextContent).ToList();
        Assert.Equal(13, messages.Count);
        Assert.Equal(messages.Order(StringComparer.Ordinal), messages);
        Assert.Contains("Additional fortune added at request time.", messages);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains("フレームワークのベンチマーク", html);
    }
}
