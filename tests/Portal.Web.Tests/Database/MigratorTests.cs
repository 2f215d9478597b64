using Dapper;
using Npgsql;
using Portal.Core.Database;

namespace Portal.Web.Tests.Database;

// Each test makes its own empty database: these tests are about what happens from nothing.
public sealed class MigratorTests : IAsyncLifetime
{
    string admin = "", name = "";
    NpgsqlDataSource db = null!;

    public async Task InitializeAsync()
    {
        admin = PostgresFixture.AdminConnectionString();
        name = await PostgresFixture.CreateDatabaseAsync(admin);
        db = Db.CreateDataSource(new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await db.DisposeAsync();
        await PostgresFixture.DropDatabaseAsync(admin, name);
    }

    [Fact]
    public async Task Migrations_apply_from_empty_and_a_second_run_does_nothing()
    {
        var embedded = Migrator.Embedded();
        Assert.Contains(embedded, m => m.Name == "0001_portal_schema.sql");

        var first = await Migrator.ApplyAsync(db, embedded, default);
        var second = await Migrator.ApplyAsync(db, embedded, default);

        Assert.Equal(embedded.Select(m => m.Name), first);
        Assert.Empty(second);
        await using var conn = await db.OpenConnectionAsync();
        var recorded = (await conn.QueryAsync<(string Name, string Sha256)>("SELECT name, sha256 FROM portal.schema_migrations ORDER BY name")).ToList();
        Assert.Equal(embedded.Select(m => (m.Name, m.Sha256)), recorded);
        Assert.Equal("dang ky", await conn.ExecuteScalarAsync<string>("SELECT portal.fold('ĐĂNG KÝ')"));
    }

    [Fact]
    public async Task A_changed_applied_migration_is_refused_and_nothing_after_it_runs()
    {
        var embedded = Migrator.Embedded();
        await Migrator.ApplyAsync(db, embedded.Take(1).ToList(), default);
        var edited = embedded.Select((m, i) => i == 0 ? m with { Sql = m.Sql + "\n-- edited" } : m).ToList();

        var e = await Assert.ThrowsAsync<MigrationChangedException>(() => Migrator.ApplyAsync(db, edited, default));

        Assert.Contains(embedded[0].Name, e.Message);
        await using var conn = await db.OpenConnectionAsync();
        Assert.Equal(1, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM portal.schema_migrations"));
    }

    [Fact]
    public async Task A_line_ending_change_is_not_an_edit()
    {
        var embedded = Migrator.Embedded();
        await Migrator.ApplyAsync(db, embedded, default);
        var crlf = embedded.Select(m => m with { Sql = m.Sql.ReplaceLineEndings("\r\n") }).ToList();
        Assert.Empty(await Migrator.ApplyAsync(db, crlf, default));
    }

    [Fact]
    public async Task Two_processes_starting_at_once_apply_each_migration_once()
    {
        var embedded = Migrator.Embedded();
        await using var other = Db.CreateDataSource(new NpgsqlConnectionStringBuilder(admin) { Database = name, ApplicationName = "other" }.ConnectionString);

        var results = await Task.WhenAll(
            Task.Run(() => Migrator.ApplyAsync(db, embedded, default)),
            Task.Run(() => Migrator.ApplyAsync(other, embedded, default)));

        Assert.Equal(embedded.Count, results.Sum(r => r.Count));
        await using var conn = await db.OpenConnectionAsync();
        Assert.Equal(embedded.Count, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM portal.schema_migrations"));
    }

    [Fact]
    public async Task A_failing_migration_rolls_back_whole_and_is_not_recorded()
    {
        var embedded = Migrator.Embedded();
        var broken = embedded.Append(new Migration("9999_broken.sql", "CREATE TABLE portal.half_done (id int); SELECT 1/0;")).ToList();

        await Assert.ThrowsAsync<PostgresException>(() => Migrator.ApplyAsync(db, broken, default));

        await using var conn = await db.OpenConnectionAsync();
        Assert.Null(await conn.ExecuteScalarAsync<string>("SELECT to_regclass('portal.half_done')::text"));
        Assert.Equal(embedded.Count, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM portal.schema_migrations"));
    }
}
