using AngleSharp;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests;

// The real application in-process (TestServer) on the collection's database.
public sealed class PortalFactory(PostgresFixture db) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("ConnectionStrings:Portal", db.ConnectionString);
        builder.UseSetting("Portal:EnableFortunes", "true");
        // Every test signs in from the same (in-process) address; the limit itself is tested with its own factory.
        builder.UseSetting("Portal:SignInAttemptsPerMinute", "100000");
        builder.UseSetting("Portal:LookupsPerMinute", "100000");
        // TestServer speaks plain HTTP, where a client does not send Secure cookies back; the default is tested on its own.
        builder.UseSetting("Portal:SecureCookies", "false");
        // Jobs do not run behind the pages' backs: tests call the job's work themselves, at the instants they choose,
        // and the scheduler tests start their own nodes (tests/Portal.Web.Tests/Jobs).
        builder.UseSetting("Portal:Role", "web");
    }

    public async Task<(HttpResponseMessage Response, IHtmlDocument Page)> GetPageAsync(string url)
    {
        var response = await CreateClient(new() { AllowAutoRedirect = false }).GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        var page = (IHtmlDocument)await BrowsingContext.New(Configuration.Default).OpenAsync(r => r.Content(html));
        return (response, page);
    }
}
