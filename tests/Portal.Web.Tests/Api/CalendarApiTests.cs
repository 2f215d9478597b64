using System.Net;
using System.Text.Json;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Api;

[Collection("db")]
public sealed class CalendarApiTests(PostgresFixture db)
{
    PortalFactory portal => db.Portal;

    async Task<JsonElement> GetJsonAsync(string url)
    {
        var response = await portal.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    static List<(string, string)> Days(JsonElement array) =>
        array.EnumerateArray().Select(d => (d.GetProperty("date").GetString()!, d.GetProperty("reason").GetString()!)).ToList();

    [Fact]
    public async Task The_2026_calendar_has_the_documented_shape_and_the_shipped_decisions()
    {
        var json = await GetJsonAsync("/api/v1/calendar/2026");

        Assert.Equal(2026, json.GetProperty("year").GetInt32());
        Assert.Equal("2026-02-17", json.GetProperty("tet").GetString());
        Assert.Equal("2026-04-26", json.GetProperty("hungKings").GetString());
        var off = Days(json.GetProperty("daysOff"));
        Assert.Equal(("2026-01-01", "Tết Dương lịch"), off[0]);
        Assert.Equal(
            ["2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-04-26", "2026-04-27",
             "2026-04-30", "2026-05-01", "2026-08-31", "2026-09-01", "2026-09-02"],
            off.Select(d => d.Item1));   // 26/04 is a Sunday but not an ordinary one: Giỗ Tổ, compensated on 27/04
        Assert.Contains(("2026-08-31", "Nghỉ hoán đổi, làm bù thứ Bảy 22/08/2026"), off);
        Assert.Equal([("2026-08-22", "Làm bù cho thứ Hai 31/08/2026")], Days(json.GetProperty("workingWeekendDays")));
    }

    [Fact]
    public async Task The_2025_calendar_has_the_Tet_and_May_swaps()
    {
        var json = await GetJsonAsync("/api/v1/calendar/2025");
        var off = Days(json.GetProperty("daysOff")).Select(d => d.Item1).ToList();
        Assert.Contains("2025-01-27", off);
        Assert.Contains("2025-05-02", off);
        Assert.DoesNotContain("2025-02-03", off);
        Assert.Equal(["2025-02-08", "2025-04-26"], Days(json.GetProperty("workingWeekendDays")).Select(d => d.Item1));
    }

    [Theory]
    [InlineData("1899")]
    [InlineData("2101")]
    [InlineData("abc")]
    public async Task A_year_outside_the_range_is_a_Vietnamese_400(string year)
    {
        var response = await portal.CreateClient().GetAsync($"/api/v1/calendar/{year}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("hãy dùng một năm từ 1900 đến 2100", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("2026-02-17", 1, 1, 2026, false)]
    [InlineData("2026-04-26", 10, 3, 2026, false)]
    [InlineData("2023-03-22", 1, 2, 2023, true)]
    [InlineData("2026-02-16", 29, 12, 2025, false)]
    public async Task The_lunar_date_of_a_day(string date, int day, int month, int year, bool leap)
    {
        var json = await GetJsonAsync($"/api/v1/calendar/lunar/{date}");
        Assert.Equal(day, json.GetProperty("day").GetInt32());
        Assert.Equal(month, json.GetProperty("month").GetInt32());
        Assert.Equal(year, json.GetProperty("year").GetInt32());
        Assert.Equal(leap, json.GetProperty("leap").GetBoolean());
    }

    [Theory]
    [InlineData("2026-13-01", "không hợp lệ")]
    [InlineData("1800-01-01", "ngoài phạm vi")]
    public async Task A_bad_lunar_request_is_a_Vietnamese_400(string date, string expected)
    {
        var response = await portal.CreateClient().GetAsync($"/api/v1/calendar/lunar/{date}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("2026-03-06T16:00+07:00", "3", "working-days", "2026-03-11T16:00:00+07:00")]
    [InlineData("2026-02-27T05:00Z", "10", "working-days", "2026-03-13T11:30:00+07:00")]   // 12:00 Vietnam time: lunch
    [InlineData("2026-02-11T10:00+07:00", "5", "working-days", "2026-02-25T10:00:00+07:00")]
    [InlineData("2026-08-21T10:00+07:00", "3", "working-days", "2026-08-25T10:00:00+07:00")]
    [InlineData("2026-03-02T16:00+07:00", "4", "working-hours", "2026-03-03T10:00:00+07:00")]
    [InlineData("2026-03-04T09:00+07:00", "4", "calendar-days", "2026-03-09T17:00:00+07:00")]
    public async Task The_due_api_computes_the_due_instant(string received, string amount, string unit, string expected)
    {
        var json = await GetJsonAsync($"/api/v1/deadlines/due?received={Uri.EscapeDataString(received)}&amount={amount}&unit={unit}");
        Assert.Equal(expected, json.GetProperty("due").GetString());
    }

    [Fact]
    public async Task The_due_api_explains_the_days_skipped()
    {
        var json = await GetJsonAsync("/api/v1/deadlines/due?received=2026-02-11T10:00%2B07:00&amount=5&unit=working-days");
        var items = json.GetProperty("explanation").EnumerateArray().ToList();
        Assert.Equal(9, items.Count(i => i.GetProperty("kind").GetString() == "skipped"));
        var tet = items.Single(i => i.GetProperty("date").GetString() == "2026-02-16");
        Assert.Equal("Tết Nguyên Đán", tet.GetProperty("reason").GetString());
        Assert.Equal("Thứ Hai 16/02/2026: không tính (Tết Nguyên Đán).", tet.GetProperty("text").GetString());
        Assert.Equal("due", items[^1].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task The_due_api_applies_a_cut_off()
    {
        var json = await GetJsonAsync("/api/v1/deadlines/due?received=2026-03-03T15:10%2B07:00&amount=0&unit=same-day&cutOff=15:00");
        Assert.Equal("2026-03-04T17:00:00+07:00", json.GetProperty("due").GetString());
        Assert.Equal("start", json.GetProperty("explanation")[0].GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("received=2026-03-03T10:00&amount=1&unit=working-days", "có múi giờ")]
    [InlineData("received=2026-03-03T10:00%2B07:00&amount=1&unit=weeks", "không được hỗ trợ")]
    [InlineData("received=2026-03-03T10:00%2B07:00&amount=-1&unit=working-days", "không được âm")]
    [InlineData("received=2026-03-03T10:00%2B07:00&amount=mười&unit=working-days", "amount phải là một số")]
    [InlineData("received=1899-03-03T10:00%2B07:00&amount=1&unit=working-days", "ngoài phạm vi")]
    [InlineData("received=2026-03-03T10:00%2B07:00&amount=1&unit=working-days&agency=KHONG-CO", "Không có cơ quan mã")]
    [InlineData("received=2026-03-03T10:00%2B07:00&amount=1&unit=working-days&cutOff=3pm", "cutOff phải là giờ")]
    public async Task A_bad_due_request_is_a_Vietnamese_400_naming_the_problem(string query, string expected)
    {
        var response = await portal.CreateClient().GetAsync($"/api/v1/deadlines/due?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }
}
