using System.Net;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Pages;

[Collection("db")]
public sealed class HomeTests(PostgresFixture db)
{
    PortalFactory portal => db.Portal;

    [Fact]
    public async Task Home_has_search_and_browsing_by_agency_and_field()
    {
        var agency = Given.Agency(name: $"Sở Trang chủ {Given.Next()}");
        var field = Given.Field(name: $"Lĩnh vực trang chủ {Given.Next()}");
        await Given.ImportAsync(db, [agency], [field], [Given.Procedure(agency.Code, field.Code), Given.Procedure(agency.Code, field.Code)]);

        var (response, page) = await portal.GetPageAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("vi", page.DocumentElement.GetAttribute("lang"));
        var form = page.QuerySelector("form[role=search]")!;
        Assert.Equal("/thu-tuc", form.GetAttribute("action"));
        Assert.Equal("get", form.GetAttribute("method"));
        Assert.Equal("Tên thủ tục hoặc mã thủ tục", page.QuerySelector("label[for=q]")!.TextContent);
        var agencyLink = page.QuerySelectorAll("#theo-co-quan ~ ul a").Single(a => a.TextContent == agency.Name);
        Assert.Equal($"/thu-tuc?co-quan={agency.Code}", agencyLink.GetAttribute("href"));
        Assert.Contains("(2 thủ tục)", agencyLink.ParentElement!.TextContent);
        Assert.Contains(page.QuerySelectorAll("#theo-linh-vuc ~ ul a"), a => a.TextContent == field.Name);
        Assert.NotNull(page.QuerySelector("a.skip-link[href='#noi-dung']"));
        Assert.NotNull(page.QuerySelector("footer a[href='/tuyen-bo-tro-nang']"));
    }

    [Fact]
    public async Task Popular_procedures_are_listed_by_rank()
    {
        var agency = Given.Agency();
        var field = Given.Field();
        var popular = Given.Procedure(agency.Code, field.Code, name: $"Thủ tục phổ biến {Given.Next()}", popular: 1);
        await Given.ImportAsync(db, [agency], [field], [popular]);

        var (_, page) = await portal.GetPageAsync("/");

        Assert.Contains(page.QuerySelectorAll("#pho-bien ~ ul a"), a => a.GetAttribute("href") == $"/thu-tuc/{popular.Code()}");
    }

    [Theory]
    [InlineData("/", "Trang chủ")]
    [InlineData("/thu-tuc", "Thủ tục hành chính")]
    [InlineData("/tuyen-bo-tro-nang", "Tuyên bố về khả năng tiếp cận")]
    public async Task Each_page_has_its_own_title_and_one_h1(string url, string title)
    {
        var (response, page) = await portal.GetPageAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{title} – Cổng Dịch vụ công tỉnh Bình Sơn", page.Title);
        Assert.Single(page.QuerySelectorAll("h1"));
        Assert.Equal("vi", page.DocumentElement.GetAttribute("lang"));
    }

    [Fact]
    public async Task Pages_carry_security_headers()
    {
        var response = await portal.CreateClient().GetAsync("/");
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }
}
