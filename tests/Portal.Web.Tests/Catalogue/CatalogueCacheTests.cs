using Portal.Core.Catalogue;
using Portal.Core.Deadlines;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Catalogue;

// The web nodes cache catalogue reads per catalogue version; a published change must show on the very next request.
[Collection("db")]
public sealed class CatalogueCacheTests(PostgresFixture db)
{
    PortalFactory portal => db.Portal;

    [Fact]
    public async Task A_new_version_shows_on_the_next_request_of_the_detail_page_and_api()
    {
        var agency = Given.Agency();
        var field = Given.Field();
        var v1 = Given.Procedure(agency.Code, field.Code, name: "Tên cũ của thủ tục");
        await Given.ImportAsync(db, [agency], [field], [v1]);
        var (_, before) = await portal.GetPageAsync($"/thu-tuc/{v1.Code()}");
        Assert.Equal("Tên cũ của thủ tục", before.QuerySelector("h1")!.TextContent);

        var v2 = v1 with { Name = "Tên mới của thủ tục", EffectiveFrom = LegalTime.Today(TimeProvider.System) };
        await Given.ImportAsync(db, [agency], [field], [v2]);

        var (_, after) = await portal.GetPageAsync($"/thu-tuc/{v1.Code()}");
        Assert.Equal("Tên mới của thủ tục", after.QuerySelector("h1")!.TextContent);
        Assert.Contains("Tên mới của thủ tục", await portal.CreateClient().GetStringAsync($"/api/v1/procedures/{v1.Code()}"));
    }

    [Fact]
    public async Task A_new_procedure_shows_in_a_search_that_was_already_cached()
    {
        var agency = Given.Agency();
        var field = Given.Field();
        await Given.ImportAsync(db, [agency], [field], [Given.Procedure(agency.Code, field.Code, name: "Cấp giấy phép A")]);
        var (_, before) = await portal.GetPageAsync($"/thu-tuc?q=giay+phep&co-quan={agency.Code}");
        Assert.Single(before.QuerySelectorAll(".result"));

        await Given.ImportAsync(db, [agency], [field], [Given.Procedure(agency.Code, field.Code, name: "Cấp giấy phép B")]);

        var (_, after) = await portal.GetPageAsync($"/thu-tuc?q=giay+phep&co-quan={agency.Code}");
        Assert.Equal(2, after.QuerySelectorAll(".result").Length);
    }

    [Fact]
    public async Task Entries_are_served_only_under_the_version_they_were_loaded_with()
    {
        var cache = new CatalogueCache(db.DataSource);
        int loads = 0;
        Task<int> Load(CancellationToken _) => Task.FromResult(++loads);

        Assert.Equal(1, await cache.GetAsync("k", Load, default));
        Assert.Equal(1, await cache.GetAsync("k", Load, default));
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await CatalogueCache.BumpVersionAsync(conn, tx);
            await tx.CommitAsync();
        }
        Assert.Equal(2, await cache.GetAsync("k", Load, default));
    }
}
