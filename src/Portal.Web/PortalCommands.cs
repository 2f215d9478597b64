using Npgsql;
using Portal.Core.Catalogue;
using Portal.Core.Database;

namespace Portal.Web;

public static class PortalCommands
{
    public static async Task<int> RunAsync(WebApplication app, string[] command)
    {
        var db = app.Services.GetRequiredService<NpgsqlDataSource>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Portal.Commands");
        var ct = app.Lifetime.ApplicationStopping;
        switch (command)
        {
            case ["migrate"]:
                var applied = await Migrator.ApplyAsync(db, Migrator.Embedded(), ct);
                log.LogInformation("Applied {Count} migration(s): {Names}", applied.Count, string.Join(", ", applied));
                return 0;
            case ["import-catalogue", var path, .. var rest]:
                await Migrator.ApplyAsync(db, Migrator.Embedded(), ct);
                var suffix = rest is [var s, ..] ? s : app.Configuration["Portal:ProvinceSuffix"] ?? "H99";
                try
                {
                    var result = await CatalogueImport.ImportAsync(db, await File.ReadAllTextAsync(path, ct), suffix, ct);
                    log.LogInformation("Catalogue {Path}: {Agencies} agencies, {Fields} fields, {Versions} procedure versions added",
                        path, result.Agencies, result.Fields, result.VersionsAdded);
                    return 0;
                }
                catch (CatalogueImportException e)
                {
                    log.LogError("{Message}", e.Message);
                    return 1;
                }
            default:
                log.LogError("Usage: Portal.Web migrate | Portal.Web import-catalogue <file.json> [province-suffix]");
                return 2;
        }
    }
}
