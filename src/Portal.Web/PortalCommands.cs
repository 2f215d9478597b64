using Npgsql;
using Portal.Core.Catalogue;
using Portal.Core.Database;
using Portal.Core.Identity;

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
            case ["add-staff", var login, var name, var roles, .. var more]:
                // The password comes from the environment, never the command line (visible to every local user in ps).
                await Migrator.ApplyAsync(db, Migrator.Embedded(), ct);
                var password = Environment.GetEnvironmentVariable("PORTAL_STAFF_PASSWORD") ?? "";
                var problems = await app.Services.GetRequiredService<StaffAccounts>().CreateAsync(
                    login, name, password, roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    more is [var agency, ..] && agency != "" ? agency : null, ct, more is [_, var email, ..] ? email : null);
                foreach (var problem in problems) log.LogError("{Problem}", problem);
                if (problems.Count == 0) log.LogInformation("Staff account {Login} saved with roles {Roles}", login, roles);
                return problems.Count == 0 ? 0 : 1;
            case ["demo-pki", var directory]:
                // The demo's signing PKI (never used outside the demo configuration): created once, kept in .data.
                var created = Portal.Core.Signatures.DemoPki.Ensure(directory, TimeProvider.System);
                log.LogInformation(created ? "Demo PKI created in {Directory}" : "Demo PKI already present in {Directory}", directory);
                return 0;
            case ["sign-pdf", var input, var output, .. var unit]:
                // Signs a PDF as the portal does for what it issues (PAdES B-B, incremental update), then verifies it.
                await Migrator.ApplyAsync(db, Migrator.Embedded(), ct);
                using (var key = new Portal.Core.Signatures.SigningKeys(app.Configuration).For(unit is [var u, ..] ? u : null))
                {
                    if (key is null) { log.LogError("No signing key configured (Portal:Signing:Pkcs12)"); return 1; }
                    try
                    {
                        var signed = await new Portal.Core.Signatures.PadesSigner(TimeProvider.System).SignAsync(
                            await File.ReadAllBytesAsync(input, ct), key, new Portal.Core.Signatures.SignOptions { Reason = "Ký bằng lệnh sign-pdf" }, ct);
                        await File.WriteAllBytesAsync(output, signed, ct);
                        var verifier = await app.Services.GetRequiredService<Portal.Core.Signatures.SignatureStore>().VerifierAsync(ct);
                        var report = verifier.Verify(signed, ct: ct);
                        log.LogInformation("Signed {Output}: {Title} ({Indication})", output, report.Title, report.Indication);
                        return 0;
                    }
                    catch (Portal.Core.Signatures.SigningRefusedException e)
                    {
                        log.LogError("{Message}", e.Message);
                        return 1;
                    }
                }
            case ["demo-applicants", var output]:
                // Demo data only: one citizen and one organisation with fresh passwords and API tokens, written to a
                // file readable by its owner alone (./run.sh keeps it in .data/demo-credentials.txt).
                await Migrator.ApplyAsync(db, Migrator.Embedded(), ct);
                var lines = new List<string>();
                foreach (var demo in DemoApplicants.All)
                {
                    var (login, secret, token) = await DemoApplicants.EnsureAsync(app.Services.GetRequiredService<Applicants>(), demo, ct);
                    lines.Add($"{demo.Role}\t{login}\t{secret}\t{token}");
                }
                // The file holds passwords: made owner-only while still empty, then written (also when it existed).
                await File.WriteAllTextAsync(output, "", ct);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(output, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                await File.WriteAllTextAsync(output, string.Join('\n', lines) + "\n", ct);
                log.LogInformation("Demo applicant accounts written to {Output}", output);
                return 0;
            case ["demo-staff", var output]:
                // Demo data only: staff for every role at two departments and two communes, plus a province-wide
                // administrator and supervisor, appended to the credentials file (earlier staff lines replaced).
                await Migrator.ApplyAsync(db, Migrator.Embedded(), ct);
                var staffLines = new List<string>();
                foreach (var demo in DemoStaff.All)
                {
                    var (secret, token) = await DemoStaff.EnsureAsync(app.Services.GetRequiredService<StaffAccounts>(),
                        app.Services.GetRequiredService<StaffTokens>(), demo, ct);
                    staffLines.Add($"{demo.FileRole}\t{demo.Login}\t{secret}\t{token}");
                }
                var kept = File.Exists(output)
                    ? (await File.ReadAllLinesAsync(output, ct)).Where(l => l.Length > 0 && !DemoStaff.FileRoles.Contains(l.Split('\t')[0])).ToList()
                    : [];
                await File.WriteAllTextAsync(output, "", ct);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(output, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                await File.WriteAllTextAsync(output, string.Join('\n', kept.Concat(staffLines)) + "\n", ct);
                log.LogInformation("Demo staff accounts written to {Output}", output);
                return 0;
            case ["sweep-reminders"]:
                // One reminder sweep now, as the reminder-sweep job runs it (operators; tests/Portal.Benchmarks/reminders.sh).
                await Migrator.ApplyAsync(db, Migrator.Embedded(), ct);
                var started = System.Diagnostics.Stopwatch.StartNew();
                var run = await app.Services.GetRequiredService<Portal.Core.Reminders.Reminders>().SweepAsync(ct);
                log.LogInformation("Reminder sweep: {Sent} reminders, {Messages} messages in {Seconds:0.0} s ({Kinds})", run.Sent, run.Messages,
                    started.Elapsed.TotalSeconds, string.Join(", ", run.ByKind.Select(k => $"{k.Key} {k.Value}")));
                return 0;
            case ["rollup-statistics"]:
                // The nightly statistics roll-up now (operators after a correction; tests/Portal.Benchmarks/reminders.sh).
                await Migrator.ApplyAsync(db, Migrator.Embedded(), ct);
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var rows = await app.Services.GetRequiredService<Portal.Core.Housekeeping.Housekeeping>().RollUpStatisticsAsync(ct);
                log.LogInformation("Statistics roll-up: {Rows} rows in {Seconds:0.0} s", rows, watch.Elapsed.TotalSeconds);
                return 0;
            default:
                log.LogError("Usage: Portal.Web migrate | import-catalogue <file.json> [province-suffix] | add-staff <login> <name> <role,...> [agency] [email] (password in PORTAL_STAFF_PASSWORD) | demo-pki <directory> | sign-pdf <in.pdf> <out.pdf> [agency] | demo-applicants <output-file> | demo-staff <output-file> | sweep-reminders | rollup-statistics");
                return 2;
        }
    }
}
