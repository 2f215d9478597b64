using Dapper;
using Npgsql;
using Portal.Core.Database;

namespace Portal.Web.Tests.Database;

// A fresh database per collection, built by the production migrator. No PostgreSQL is a failure, never a skip.
public sealed class PostgresFixture : IAsyncLifetime
{
    string admin = "";
    public string Name { get; private set; } = "";
    public string ConnectionString { get; private set; } = "";
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    // The application on this database, started on first use (xunit 2 fixtures cannot depend on each other).
    public PortalFactory Portal => portal ??= new PortalFactory(this);
    PortalFactory? portal;

    public async Task InitializeAsync()
    {
        admin = AdminConnectionString();
        Name = await CreateDatabaseAsync(admin);
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = Name }.ConnectionString;
        await Migrator.ApplyAsync(ConnectionString, CancellationToken.None);
        DataSource = Db.CreateDataSource(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (portal is not null) await portal.DisposeAsync();
        // Initialisation may have failed (no PORTAL_TEST_DATABASE): let its error be the one reported.
        if (DataSource is not null) await DataSource.DisposeAsync();
        if (Name.Length > 0) await DropDatabaseAsync(admin, Name);
    }

    public static string AdminConnectionString() =>
        Environment.GetEnvironmentVariable("PORTAL_TEST_DATABASE")
        ?? throw new InvalidOperationException("PORTAL_TEST_DATABASE is not set. Run ./test.sh, which starts PostgreSQL.");

    public static async Task<string> CreateDatabaseAsync(string admin)
    {
        var name = $"portal_test_{Guid.NewGuid():N}";
        await using var conn = new NpgsqlConnection(admin);
        await conn.ExecuteAsync($"CREATE DATABASE {name}");          // a name we generated, never input
        return name;
    }

    public static async Task DropDatabaseAsync(string admin, string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(admin);
        await conn.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }
}

[CollectionDefinition("db")]
public sealed class DatabaseCollection : ICollectionFixture<PostgresFixture>;
