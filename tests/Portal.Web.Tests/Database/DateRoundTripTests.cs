using Dapper;

namespace Portal.Web.Tests.Database;

// STYLE.md §5.3: Dapper's DateOnly handling has changed between releases; a package update that breaks it must fail here
// rather than shift a legal date.
[Collection("db")]
public sealed class DateRoundTripTests(PostgresFixture db)
{
    [Fact]
    public async Task Date_columns_round_trip_as_DateOnly()
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var day = new DateOnly(2026, 2, 17);
        DateOnly? none = null;

        Assert.Equal(day, await conn.ExecuteScalarAsync<DateOnly>("SELECT @day::date", new { day }));
        Assert.Equal("date", await conn.ExecuteScalarAsync<string>("SELECT pg_typeof(@day)::text", new { day }));
        Assert.Null(await conn.ExecuteScalarAsync<DateOnly?>("SELECT @none::date", new { none }));
        Assert.Equal(2, await conn.ExecuteScalarAsync<int>("SELECT cardinality(@days::date[])", new { days = new[] { day, day.AddDays(1) } }));
        var row = await conn.QuerySingleAsync<Row>("SELECT @day AS effective_from", new { day });
        Assert.Equal(day, row.EffectiveFrom);
    }

    sealed record Row
    {
        public DateOnly EffectiveFrom { get; init; }
    }
}
