using Portal.Jobs;
using Portal.Web;

// Commands: `migrate` applies db/migrations and exits; `import-catalogue <file.json> [suffix]` loads a catalogue
// package (./run.sh uses it for the demo data); `add-staff <login> <name> <roles> [agency]` creates or resets a staff
// account; `demo-pki <dir>` creates the demo's signing PKI; `sign-pdf <in> <out> [agency]` signs a
// PDF with the unit's key; `demo-applicants <file>` creates or resets the demo citizen and organisation accounts;
// `demo-staff <file>` creates or resets the demo staff (every role) and appends their credentials and API tokens;
// `sweep-reminders` runs one deadline-reminder sweep now; `rollup-statistics` the nightly statistics roll-up. They are taken off before the host reads its arguments.
var command = args is ["migrate", ..] or ["import-catalogue", ..] or ["add-staff", ..] or ["demo-pki", ..] or ["sign-pdf", ..] or ["demo-applicants", ..] or ["demo-staff", ..] or ["sweep-reminders"] or ["rollup-statistics"] ? args : null;
var builder = WebApplication.CreateBuilder(command is null ? args : []);

builder.Services.AddPortalCore(builder.Configuration);
// Jobs run here unless Portal:Role is "web"; the scheduler is configured either way, for /quan-tri/tac-vu.
builder.Services.AddPortalJobs(builder.Configuration, run: command is null && PortalRole.RunsJobs(builder.Configuration));
builder.Services.AddPortalWeb(builder.Configuration);

var app = builder.Build();
if (command is not null)
{
    Environment.ExitCode = await PortalCommands.RunAsync(app, command);
    await app.DisposeAsync();   // flushes the console logger's queue: without it a command's last log lines can be lost
    return;
}
app.UsePortalPipeline();
app.MapPortalEndpoints();
await app.RunAsync();

public partial class Program;   // for WebApplicationFactory<Program>
