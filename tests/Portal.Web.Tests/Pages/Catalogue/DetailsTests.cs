using System.Net;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Pages.Catalogue;

[Collection("db")]
public sealed class DetailsTests(PostgresFixture db)
{
    PortalFactory portal => db.Portal;

    [Fact]
    public async Task The_page_shows_everything_needed_to_decide_and_start()
    {
        var agency = Given.Agency();
        var field = Given.Field(name: "Hộ tịch");
        var p = Given.Procedure(agency.Code, field.Code, name: "Đăng ký khai sinh",
            description: "Dành cho **cha, mẹ** của trẻ.\n\n- Nộp trong 60 ngày");
        await Given.ImportAsync(db, [agency], [field], [p]);

        var client = portal.CreateClient();
        var html = await client.GetStringAsync($"/thu-tuc/{p.Code()}");
        var (response, page) = await portal.GetPageAsync($"/thu-tuc/{p.Code()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Đăng ký khai sinh", html);                          // literal, not &#x110;...
        Assert.Equal("vi", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Đăng ký khai sinh", page.QuerySelector("h1")!.TextContent);
        Assert.StartsWith("Đăng ký khai sinh – Cổng Dịch vụ công", page.Title);
        var text = page.QuerySelector("main")!.TextContent;
        foreach (var expected in new[]
        {
            p.Code(), agency.Name, "Hộ tịch", "Cấp tỉnh", "Công dân Việt Nam, Người nước ngoài", "Giấy chứng nhận (bản chính)",
            "3 ngày làm việc", "Qua bưu chính công ích", "Cộng thời gian chuyển phát",
            "Lệ phí cấp giấy", "50.000 đồng", "1.250.000 đồng",
            "Tờ khai theo mẫu", "Có mẫu: to-khai.docx", "Văn bản ủy quyền", "phải được ký số hợp lệ",
            "Bước 1: Nộp hồ sơ.", "đủ năng lực hành vi dân sự", "Luật Hộ tịch số 60/2014/QH13",
            "Quyết định số 1520/QĐ-UBND ngày 10/07/2025", "áp dụng từ ngày 15/07/2025", "Toàn trình", "Mức độ 4",
            agency.Address!,
        })
            Assert.Contains(expected, text);
        Assert.Equal("cha, mẹ", page.QuerySelector(".prose strong")!.TextContent);
        var start = page.QuerySelector("a.button--start")!;
        Assert.Equal("Nộp hồ sơ trực tuyến", start.TextContent);
        Assert.Equal($"/nop-ho-so/{p.Code()}", start.GetAttribute("href"));
    }

    [Fact]
    public async Task A_procedure_not_offered_online_has_no_start_button()
    {
        var agency = Given.Agency();
        var field = Given.Field();
        var p = Given.Procedure(agency.Code, field.Code, onlineLevel: "none");
        await Given.ImportAsync(db, [agency], [field], [p]);

        var (_, page) = await portal.GetPageAsync($"/thu-tuc/{p.Code()}");

        Assert.Null(page.QuerySelector("a.button--start"));
        Assert.Contains("chưa nhận hồ sơ trực tuyến", page.QuerySelector(".notice")!.TextContent);
        var (startResponse, _) = await portal.GetPageAsync($"/nop-ho-so/{p.Code()}");
        Assert.Equal(HttpStatusCode.NotFound, startResponse.StatusCode);
    }

    [Fact]
    public async Task Markdown_from_staff_cannot_inject_html()
    {
        var agency = Given.Agency();
        var field = Given.Field();
        var p = Given.Procedure(agency.Code, field.Code, description: "<script>alert('xss')</script> [bấm](javascript:alert(1))");
        await Given.ImportAsync(db, [agency], [field], [p]);

        var html = await portal.CreateClient().GetStringAsync($"/thu-tuc/{p.Code()}");

        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.DoesNotContain("javascript:", html);
    }

    [Theory]
    [InlineData("/thu-tuc/1.999999.KHONG")]
    [InlineData("/thu-tuc/%3Cscript%3E")]
    [InlineData("/khong-co-trang-nay")]
    public async Task Unknown_addresses_get_the_404_page(string url)
    {
        var (response, page) = await portal.GetPageAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Không tìm thấy trang", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("vi", page.DocumentElement.GetAttribute("lang"));
        Assert.NotNull(page.QuerySelector("a[href='/thu-tuc']"));
    }

    [Fact]
    public async Task A_very_long_code_is_a_404_not_a_failure()
    {
        var (response, _) = await portal.GetPageAsync("/thu-tuc/" + new string('9', 5000));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
