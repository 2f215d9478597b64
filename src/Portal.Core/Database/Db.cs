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
        return builder.Build();
    }

    // Touching the type runs the static constructor once.
    public static void EnsureConfigured() { }
}
