using AngleSharp;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Pages.Catalogue;

[Collection("db")]
public sealed class DueEstimateTests(PostgresFixture db)
{
    sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }

    async Task<IHtmlDocument> PageAtAsync(string code, string now)
    {
        using var factory = db.Portal.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.AddSingleton<TimeProvider>(new FixedClock(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)))));
        var html = await factory.CreateClient().GetStringAsync($"/thu-tuc/{code}");
        return (IHtmlDocument)await BrowsingContext.New(Configuration.Default).OpenAsync(r => r.Content(html));
    }

    [Fact]
    public async Task The_procedure_page_shows_the_expected_due_date_across_Tet_with_its_reasons()
    {
        var agency = Given.Agency();
        var field = Given.Field();
        var p = Given.Procedure(agency.Code, field.Code, onlineLevel: "full");   // 3 working days online
        await Given.ImportAsync(db, [agency], [field], [p]);

        var page = await PageAtAsync(p.Code(), "2026-02-13T15:00+07:00");

        var estimate = page.QuerySelector("#du-kien")!;
        Assert.Equal("15:00 thứ Tư, 25/02/2026", estimate.QuerySelector("time")!.TextContent);
        Assert.Equal("2026-02-25T15:00+07:00", estimate.QuerySelector("time")!.GetAttribute("datetime"));
        var reasons = estimate.QuerySelectorAll("details li").Select(li => li.TextContent).ToList();
        Assert.Contains("Thứ Hai 16/02/2026: không tính (Tết Nguyên Đán).", reasons);
        Assert.Contains("Thứ Bảy 21/02/2026: không tính (Thứ Bảy).", reasons);
    }

    [Fact]
    public async Task A_certification_received_after_15_00_is_expected_the_next_working_day()
    {
        var agency = Given.Agency();
        var field = Given.Field();
        var p = Given.Procedure(agency.Code, field.Code, onlineLevel: "none") with
        {
            ProcessingTimes = [new("direct", 0, "same-day", "Trong ngày; sau 15 giờ thì ngày làm việc tiếp theo", new TimeOnly(15, 0))],
        };
        await Given.ImportAsync(db, [agency], [field], [p]);

        var page = await PageAtAsync(p.Code(), "2026-03-03T15:10+07:00");

        var estimate = page.QuerySelector("#du-kien")!;
        Assert.Equal("17:00 thứ Tư, 04/03/2026", estimate.QuerySelector("time")!.TextContent);
        Assert.Contains("Hồ sơ nhận sau 15:00 nên thời hạn được tính từ 07:00 thứ Tư 04/03/2026.",
            estimate.QuerySelectorAll("details li").Select(li => li.TextContent));
        Assert.Contains("Trong ngày tiếp nhận", page.QuerySelector("table")!.TextContent);
    }
}
