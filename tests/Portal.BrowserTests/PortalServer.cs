using Portal.Core.Identity;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Dapper;
using Npgsql;
using Portal.Core.Catalogue;
using Portal.Core.Database;

namespace Portal.BrowserTests;

// The portal as a real Kestrel process on a loopback port (the browser needs a socket), on a fresh database built
// by the production migrator and filled through the production importer with the catalogue these tests read.
public sealed class PortalServer : IAsyncDisposable
{
    Process? process;
    string admin = "", database = "";
    public string BaseUrl { get; private set; } = "";
    /// <summary>The test database, for tests that create accounts or count rows through the production code.</summary>
    public string ConnectionString { get; private set; } = "";
    /// <summary>A demo-style PKI the portal trusts (as ./run.sh configures the demo), for signing test files.</summary>
    public string PkiDirectory { get; } = Directory.CreateTempSubdirectory("portal-browser-pki-").FullName;
    public const string AdminLogin = "quantri";
    public const string AdminPassword = "mat-khau-quan-tri-2026";

    public static async Task<PortalServer> StartAsync(CatalogueImport.Package catalogue)
    {
        var server = new PortalServer();
        await server.InitAsync(catalogue);
        return server;
    }

    async Task InitAsync(CatalogueImport.Package catalogue)
    {
        admin = Environment.GetEnvironmentVariable("PORTAL_TEST_DATABASE")
            ?? throw new InvalidOperationException("PORTAL_TEST_DATABASE is not set. Run ./test.sh, which starts PostgreSQL.");
        database = $"portal_browser_{Guid.NewGuid():N}";
        await using (var conn = new NpgsqlConnection(admin))
            await conn.ExecuteAsync($"CREATE DATABASE {database}");   // a name we generated
        var connectionString = ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
        await using (var db = Db.CreateDataSource(connectionString))
        {
            await Migrator.ApplyAsync(db, Migrator.Embedded(), default);
            await CatalogueImport.ImportAsync(db, catalogue, "H99", default);
            var problems = await new StaffAccounts(db).CreateAsync(AdminLogin, "Quản trị (kiểm thử)", AdminPassword, [StaffRoles.Administrator], null, default);
            if (problems.Count > 0) throw new InvalidOperationException(string.Join(" ", problems));
        }

        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        var web = Path.Combine(Repo.Root, "src", "Portal.Web");
        var dll = Path.Combine(web, "bin", Configuration, "net10.0", "Portal.Web.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "--contentRoot", web])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ConnectionStrings__Portal"] = connectionString;
        start.Environment["ASPNETCORE_URLS"] = BaseUrl;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // Every journey signs in from 127.0.0.1; the per-address limits themselves are tested in Portal.Web.Tests.
        start.Environment["Portal__SignInAttemptsPerMinute"] = "1000";
        start.Environment["Portal__SecureCookies"] = "false";   // plain HTTP on loopback
        start.Environment["Portal__LookupsPerMinute"] = "1000";
        start.Environment["Portal__CopyVerificationsPerMinute"] = "1000";
        start.Environment["Portal__Files"] = Path.Combine(Path.GetTempPath(), "portal-browser-files");
        start.Environment["Portal__Role"] = "web";
        Portal.Core.Signatures.DemoPki.Ensure(PkiDirectory, TimeProvider.System);
        start.Environment["Portal__Signatures__ExtraAnchors"] = Path.Combine(PkiDirectory, Portal.Core.Signatures.DemoPki.RootFile);
        start.Environment["Portal__Signatures__CrlFiles"] =
            string.Join(',', Portal.Core.Signatures.DemoPki.CrlFiles.Select(f => Path.Combine(PkiDirectory, f)));
        process = Process.Start(start)!;

        // Ready when Kestrel says it listens; fail with the process output if it exits or takes too long.
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            output.Enqueue(e.Data);
            if (e.Data.Contains("Now listening on")) ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("Portal exited:\n" + string.Join("\n", output)));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("Portal did not start within 60 s:\n" + string.Join("\n", output));
        }
    }

#if DEBUG
    const string Configuration = "Debug";
#else
    const string Configuration = "Release";
#endif

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process?.Dispose();
        Directory.Delete(PkiDirectory, recursive: true);
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(admin);
        await conn.ExecuteAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
    }
}

public static class Repo
{
    public static string Root { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) return dir.FullName;
        throw new InvalidOperationException("Portal.sln not found above " + AppContext.BaseDirectory);
    }
}
