using System.Net;
using AngleSharp;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Portal.Web.Tests.Api;

// The database unreachable: every page and the API answer 503 in Vietnamese, never a 500 or a hang.
public sealed class OutageTests : IClassFixture<OutageTests.PortalWithoutDatabase>
{
    readonly PortalWithoutDatabase portal;

    public OutageTests(PortalWithoutDatabase portal) => this.portal = portal;

    public sealed class PortalWithoutDatabase : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Port 1 on loopback: nothing listens there, so connections are refused at once.
            builder.UseSetting("ConnectionStrings:Portal", "Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=2");
            builder.UseSetting("Portal:MigrateOnStart", "false");
            builder.UseEnvironment("Production");
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/thu-tuc?q=dang+ky")]
    [InlineData("/thu-tuc/1.001193.H99")]
    public async Task Pages_say_the_service_is_paused(string url)
    {
        var response = await portal.CreateClient().GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        var page = (IHtmlDocument)await BrowsingContext.New(Configuration.Default).OpenAsync(r => r.Content(html));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Dịch vụ tạm ngừng", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("vi", page.DocumentElement.GetAttribute("lang"));
    }

    [Fact]
    public async Task The_api_and_health_check_answer_503()
    {
        var client = portal.CreateClient();
        var api = await client.GetAsync("/api/v1/procedures?q=dang+ky");
        var health = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Dịch vụ tạm ngừng", await api.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
    }
}
