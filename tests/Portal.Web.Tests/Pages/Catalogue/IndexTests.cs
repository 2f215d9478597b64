using System.Net;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Pages.Catalogue;

[Collection("db")]
public sealed class IndexTests(PostgresFixture db)
{
    PortalFactory portal => db.Portal;

    [Fact]
    public async Task Searching_without_diacritics_lists_the_procedure_with_a_link()
    {
        var agency = Given.Agency();
        var field = Given.Field();
        var p = Given.Procedure(agency.Code, field.Code, name: "Cấp bản sao từ sổ gốc");
        await Given.ImportAsync(db, [agency], [field], [p]);

        var (response, page) = await portal.GetPageAsync($"/thu-tuc?q=cap+ban+sao&co-quan={agency.Code}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var link = Assert.Single(page.QuerySelectorAll(".result__name a"));
        Assert.Equal("Cấp bản sao từ sổ gốc", link.TextContent);
        Assert.Equal($"/thu-tuc/{p.Code()}", link.GetAttribute("href"));
        Assert.Contains("Tìm thấy 1 thủ tục", page.QuerySelector("#ket-qua")!.TextContent);
        Assert.Equal("cap ban sao", ((AngleSharp.Html.Dom.IHtmlInputElement)page.QuerySelector("#q")!).Value);
        Assert.StartsWith("Tìm “cap ban sao” – Thủ tục hành chính –", page.Title);
    }

    [Fact]
    public async Task Each_filter_narrows_the_list()
    {
        var agency = Given.Agency();
        var other = Given.Agency();
        var field = Given.Field();
        var otherField = Given.Field();
        var provinceFull = Given.Procedure(agency.Code, field.Code, name: "Tỉnh toàn trình");
        var provincePartial = Given.Procedure(agency.Code, otherField.Code, name: "Tỉnh một phần", onlineLevel: "partial");
        var provinceOffline = Given.Procedure(agency.Code, field.Code, name: "Tỉnh trực tiếp", onlineLevel: "none");
        var elsewhere = Given.Procedure(other.Code, field.Code, name: "Cơ quan khác");
        await Given.ImportAsync(db, [agency, other], [field, otherField], [provinceFull, provincePartial, provinceOffline, elsewhere]);

        async Task<string[]> Names(string query)
        {
            var (response, page) = await portal.GetPageAsync("/thu-tuc?" + query);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return page.QuerySelectorAll(".result__name a").Select(a => a.TextContent).Order().ToArray();
        }

        Assert.Equal(["Tỉnh một phần", "Tỉnh toàn trình", "Tỉnh trực tiếp"], await Names($"co-quan={agency.Code}"));
        Assert.Equal(["Tỉnh một phần"], await Names($"co-quan={agency.Code}&linh-vuc={otherField.Code}"));
        Assert.Equal(["Tỉnh toàn trình"], await Names($"co-quan={agency.Code}&muc-do=toan-trinh"));
        Assert.Equal(["Tỉnh một phần"], await Names($"co-quan={agency.Code}&muc-do=mot-phan"));
        Assert.Equal(["Tỉnh trực tiếp"], await Names($"co-quan={agency.Code}&muc-do=khong"));
        Assert.Equal(["Tỉnh một phần", "Tỉnh toàn trình", "Tỉnh trực tiếp"], await Names($"co-quan={agency.Code}&cap=tinh"));
        Assert.Empty(await Names($"co-quan={agency.Code}&cap=xa"));
        Assert.Equal(["Cơ quan khác", "Tỉnh toàn trình", "Tỉnh trực tiếp"], await Names($"linh-vuc={field.Code}"));
    }

    [Fact]
    public async Task The_filters_keep_the_chosen_values_and_Vietnamese_letters_literally()
    {
        var agency = Given.Agency(name: $"Sở Dân tộc và Tôn giáo {Given.Next()}");
        var field = Given.Field(name: $"Tín ngưỡng, tôn giáo {Given.Next()}");
        await Given.ImportAsync(db, [agency], [field], [Given.Procedure(agency.Code, field.Code)]);

        var html = await portal.CreateClient().GetStringAsync($"/thu-tuc?co-quan={agency.Code}&linh-vuc={field.Code}&cap=tinh&muc-do=toan-trinh");
        var (_, page) = await portal.GetPageAsync($"/thu-tuc?co-quan={agency.Code}&linh-vuc={field.Code}&cap=tinh&muc-do=toan-trinh");

        Assert.Contains($">{agency.Name}</option>", html);
        Assert.Contains($">{field.Name}</option>", html);
        Assert.Equal(agency.Code, ((AngleSharp.Html.Dom.IHtmlSelectElement)page.GetElementById("co-quan")!).Value);
        Assert.Equal(field.Code, ((AngleSharp.Html.Dom.IHtmlSelectElement)page.GetElementById("linh-vuc")!).Value);
        Assert.Equal("tinh", ((AngleSharp.Html.Dom.IHtmlSelectElement)page.GetElementById("cap")!).Value);
        Assert.Equal("toan-trinh", ((AngleSharp.Html.Dom.IHtmlSelectElement)page.GetElementById("muc-do")!).Value);
    }

    [Fact]
    public async Task A_commune_lists_every_commune_level_procedure()
    {
        var commune = Given.Agency(level: "commune", name: "Ủy ban nhân dân xã Thử nghiệm");
        var communeLevel = Given.Agency(level: "commune", name: "Ủy ban nhân dân cấp xã");
        var field = Given.Field();
        var p = Given.Procedure(communeLevel.Code, field.Code, name: "Đăng ký khai sinh", level: "commune");
        await Given.ImportAsync(db, [commune, communeLevel], [field], [p]);

        var (_, page) = await portal.GetPageAsync($"/thu-tuc?co-quan={commune.Code}&linh-vuc={field.Code}");

        Assert.Equal("Đăng ký khai sinh", Assert.Single(page.QuerySelectorAll(".result__name a")).TextContent);
    }

    [Fact]
    public async Task Results_are_paged_twenty_at_a_time_keeping_the_filters()
    {
        var agency = Given.Agency();
        var field = Given.Field();
        await Given.ImportAsync(db, [agency], [field],
            Enumerable.Range(1, 25).Select(i => Given.Procedure(agency.Code, field.Code, name: $"Thủ tục số {i:00}")));

        var (_, first) = await portal.GetPageAsync($"/thu-tuc?co-quan={agency.Code}");
        var (_, second) = await portal.GetPageAsync($"/thu-tuc?co-quan={agency.Code}&trang=2");

        Assert.Equal(20, first.QuerySelectorAll(".result").Length);
        Assert.Equal(5, second.QuerySelectorAll(".result").Length);
        Assert.Equal($"/thu-tuc?co-quan={Uri.EscapeDataString(agency.Code)}&trang=2", first.QuerySelector("a[rel=next]")!.GetAttribute("href"));
        Assert.Equal("2", second.QuerySelector("[aria-current=page]")!.TextContent);
        Assert.Equal("Thủ tục số 21", second.QuerySelector(".result__name a")!.TextContent);
    }

    [Fact]
    public async Task A_typo_shows_similar_names_and_says_so()
    {
        var agency = Given.Agency();
        var field = Given.Field();
        await Given.ImportAsync(db, [agency], [field], [Given.Procedure(agency.Code, field.Code, name: "Đăng ký khai sinh")]);

        var (_, page) = await portal.GetPageAsync($"/thu-tuc?q=khai+sihn&co-quan={agency.Code}");

        Assert.Equal("Đăng ký khai sinh", page.QuerySelector(".result__name a")!.TextContent);
        Assert.Contains("gần giống", page.QuerySelector(".notice")!.TextContent);
    }

    [Theory]
    [InlineData("trang=abc", "q")]
    [InlineData("trang=0", "q")]
    [InlineData("cap=huyen", "cap")]
    [InlineData("muc-do=4", "muc-do")]
    [InlineData("co-quan=%3Cscript%3E", "co-quan")]
    public async Task Bad_parameters_get_400_with_an_error_summary_linked_to_the_field(string query, string fieldId)
    {
        var (response, page) = await portal.GetPageAsync("/thu-tuc?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Lỗi: ", page.Title);
        Assert.Equal("Có thông tin cần sửa", page.QuerySelector(".error-summary h2")!.TextContent);
        Assert.Equal($"#{fieldId}", page.QuerySelector(".error-summary a")!.GetAttribute("href"));
        Assert.NotNull(page.GetElementById(fieldId));
        if (fieldId != "q")
        {
            Assert.Equal("true", page.GetElementById(fieldId)!.GetAttribute("aria-invalid"));
            Assert.NotNull(page.GetElementById(page.GetElementById(fieldId)!.GetAttribute("aria-describedby")!));
        }
    }

    [Fact]
    public async Task A_ten_kilobyte_query_gets_400_not_500()
    {
        var (response, page) = await portal.GetPageAsync("/thu-tuc?q=" + new string('a', 10_240));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("dài quá 200 ký tự", page.QuerySelector(".error-summary")!.TextContent);
    }

    [Theory]
    [InlineData("q=%00%01%02")]
    [InlineData("q=%F0%9F%98%80%F0%9F%98%80")]
    [InlineData("q=%E0%A4%A")]
    [InlineData("q=');DROP+TABLE+portal.procedure;--")]
    [InlineData("q=a&q=b&q=c")]
    [InlineData("co-quan=&linh-vuc=&cap=&muc-do=&trang=")]
    public async Task Garbage_queries_never_fail(string query)
    {
        var (response, _) = await portal.GetPageAsync("/thu-tuc?" + query);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, response.StatusCode.ToString());
    }
}
