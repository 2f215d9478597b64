using System.Net;
using System.Text.Json;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Api;

[Collection("db")]
public sealed class ProceduresApiTests(PostgresFixture db)
{
    PortalFactory portal => db.Portal;

    [Fact]
    public async Task The_list_has_the_documented_camelCase_shape()
    {
        var agency = Given.Agency();
        var field = Given.Field(name: "Chứng thực");
        var p = Given.Procedure(agency.Code, field.Code, name: "Cấp bản sao từ sổ gốc", onlineLevel: "partial");
        await Given.ImportAsync(db, [agency], [field], [p]);

        var response = await portal.CreateClient().GetAsync($"/api/v1/procedures?q=cap+ban+sao&agency={agency.Code}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Cấp bản sao", body);                     // not \u1EA5p...
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(1, json.GetProperty("total").GetInt32());
        Assert.Equal(1, json.GetProperty("page").GetInt32());
        Assert.Equal(20, json.GetProperty("pageSize").GetInt32());
        var item = json.GetProperty("items")[0];
        Assert.Equal(p.Code(), item.GetProperty("code").GetString());
        Assert.Equal("Cấp bản sao từ sổ gốc", item.GetProperty("name").GetString());
        Assert.Equal(agency.Code, item.GetProperty("agency").GetProperty("code").GetString());
        Assert.Equal(agency.Name, item.GetProperty("agency").GetProperty("name").GetString());
        Assert.Equal("Chứng thực", item.GetProperty("field").GetString());
        Assert.Equal(field.Code, item.GetProperty("fieldCode").GetString());
        Assert.Equal("province", item.GetProperty("level").GetString());
        Assert.Equal("partial", item.GetProperty("onlineLevel").GetString());
        Assert.Equal(3, item.GetProperty("legacyLevel").GetInt32());
    }

    [Fact]
    public async Task Filters_and_paging_work_in_the_api()
    {
        var agency = Given.Agency();
        var field = Given.Field();
        await Given.ImportAsync(db, [agency], [field], Enumerable.Range(1, 7).Select(i =>
            Given.Procedure(agency.Code, field.Code, name: $"Thủ tục {i}", onlineLevel: i <= 3 ? "full" : "none")));

        var json = await GetJsonAsync($"/api/v1/procedures?agency={agency.Code}&field={field.Code}&level=province&onlineLevel=full&page=2&pageSize=2");

        Assert.Equal(3, json.GetProperty("total").GetInt32());
        Assert.Equal(2, json.GetProperty("page").GetInt32());
        Assert.Equal(1, json.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_detail_is_the_full_record()
    {
        var agency = Given.Agency();
        var field = Given.Field();
        var p = Given.Procedure(agency.Code, field.Code, name: "Đăng ký kết hôn");
        await Given.ImportAsync(db, [agency], [field], [p]);

        var json = await GetJsonAsync($"/api/v1/procedures/{p.Code()}");

        Assert.Equal(p.Code(), json.GetProperty("code").GetString());
        Assert.Equal(p.NationalCode, json.GetProperty("nationalCode").GetString());
        Assert.Equal(agency.Address, json.GetProperty("agency").GetProperty("address").GetString());
        Assert.Equal(["direct", "online", "postal"], json.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        var time = json.GetProperty("processingTimes")[0];
        Assert.Equal(("direct", 3m, "working-days"), (time.GetProperty("channel").GetString(), time.GetProperty("amount").GetDecimal(), time.GetProperty("unit").GetString()));
        Assert.Equal(1_250_000, json.GetProperty("fees")[1].GetProperty("amountVnd").GetInt64());
        var doc = json.GetProperty("documents")[1];
        Assert.Equal(("Văn bản ủy quyền", 1, false, true), (doc.GetProperty("name").GetString(), doc.GetProperty("copies").GetInt32(),
            doc.GetProperty("required").GetBoolean(), doc.GetProperty("mustBeSigned").GetBoolean()));
        Assert.Equal("Quyết định số 1520/QĐ-UBND", json.GetProperty("decision").GetProperty("number").GetString());
        Assert.Equal("2025-07-10", json.GetProperty("decision").GetProperty("date").GetString());
        Assert.Equal("2025-07-15", json.GetProperty("effectiveFrom").GetString());
        Assert.Equal(2, json.GetProperty("legalBasis").GetArrayLength());
    }

    [Fact]
    public async Task An_unknown_code_is_a_404_problem()
    {
        var response = await portal.CreateClient().GetAsync("/api/v1/procedures/1.999999.KHONG");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Không tìm thấy thủ tục", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("page=abc")]
    [InlineData("pageSize=1000")]
    [InlineData("level=district")]
    [InlineData("agency=%27%3B--")]
    public async Task Bad_parameters_are_a_400_problem_in_Vietnamese(string query)
    {
        var response = await portal.CreateClient().GetAsync("/api/v1/procedures?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Tham số không hợp lệ", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_ten_kilobyte_query_is_a_400()
    {
        var response = await portal.CreateClient().GetAsync("/api/v1/procedures?q=" + new string('x', 10_240));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    async Task<JsonElement> GetJsonAsync(string url)
    {
        var response = await portal.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
