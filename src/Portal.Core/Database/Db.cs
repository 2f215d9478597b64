using Dapper;
using Npgsql;

namespace Portal.Core.Database;

// The one place for Dapper and Npgsql settings (STYLE.md §2.6).
public static class Db
{
    static Db() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        EnsureConfigured();
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= "portal";
        // Prepared statements for the queries a node runs again and again: PostgreSQL's planning was about half of the
        // CPU of a dossier page (docs/PERFORMANCE.md). Explicit column lists everywhere keep a migration that adds a
        // column from invalidating a running node's prepared statements. A connection string may set its own value.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }
        return builder.Build();
    }

    // Touching the type runs the static constructor once.
    public static void EnsureConfigured() { }
}
