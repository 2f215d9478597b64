using Dapper;
using Microsoft.Extensions.Configuration;
using Portal.Core.BackOffice;
using Portal.Core.Catalogue;
using Portal.Core.Deadlines;
using Portal.Core.Documents;
using Portal.Core.Dossiers;
using Portal.Core.Identity;
using Portal.Core.Signatures;
using Portal.Web.Tests.Database;
using Portal.Web.Tests.Dossiers;

namespace Portal.Web.Tests.BackOffice;

// Three agencies on one procedure: A receives and appraises, B and C take inter-agency (liên thông) steps, A's leader
// signs. Legal time 3 working days = 24 working hours: 2 + 6 (A) + 8 (B) + 4 (C) + 4 (A's leader). Staff for every
// role at each agency. The dossier is submitted online on Monday 23/11/2026 09:00, so it is due on Thursday 09:00.
public sealed class BackOfficeWorld
{
    public required DossierWorld Citizens { get; init; }
    public required Portal.Core.BackOffice.BackOffice Office { get; init; }
    public required string A { get; init; }
    public required string B { get; init; }
    public required string C { get; init; }
    public required Dictionary<string, StaffUser> Staff { get; init; }
    public required Guid VersionId { get; init; }

    public TestClock Clock => Citizens.Clock;

    public static async Task<BackOfficeWorld> CreateAsync(PostgresFixture db)
    {
        var citizens = await DossierWorld.CreateAsync(db);
        var b = Given.Agency(name: $"Sở Tài nguyên thử {Given.Next()}");
        var c = Given.Agency(name: $"Cục Thuế thử {Given.Next()}");
        await Given.ImportAsync(db, [b, c], [], []);
        var office = new Portal.Core.BackOffice.BackOffice(db.DataSource, new FileStore(citizens.FilesRoot), new CalendarStore(db.DataSource),
            citizens.Clock, new SigningKeys(new ConfigurationBuilder().Build()), new PadesSigner(citizens.Clock),
            new FormSite("tỉnh Bình Sơn", "1900 0000", null));
        var staff = new Dictionary<string, StaffUser>();
        var accounts = new StaffAccounts(db.DataSource);
        foreach (var (key, agency) in new[] { ("A", citizens.AgencyCode), ("B", b.Code), ("C", c.Code) })
            foreach (var role in new[] { "receiving-officer", "specialist", "head-of-division", "agency-leader", "result-officer", "supervisor" })
            {
                var login = $"{role[..4]}{key.ToLowerInvariant()}{Given.Next()}";
                var name = $"Cán bộ {role} {key}";
                Assert.Empty(await accounts.CreateAsync(login, name, "mat-khau-kiem-thu-2026", [role], role == "supervisor" ? null : agency, default));
                var id = await citizens.ScalarAsync<Guid>("SELECT id FROM portal.staff_accounts WHERE login = @login", new { login });
                staff[$"{key}:{role}"] = new StaffUser(id, login, name, [role], role == "supervisor" ? null : agency);
            }
        var versionId = await citizens.ScalarAsync<Guid>("""
            SELECT v.id FROM portal.procedure_version v JOIN portal.procedure p ON p.id = v.procedure_id WHERE p.code = @code
            """, new { code = citizens.ProcedureCode });
        var problems = await office.SaveWorkflowAsync(versionId,
        [
            new() { Step = 0, Name = "Tiếp nhận", Role = "receiving-officer", Amount = 2, Unit = "working-hours" },
            new() { Step = 1, Name = "Thẩm định", AgencyCode = citizens.AgencyCode, Role = "specialist", Amount = 6, Unit = "working-hours" },
            new() { Step = 2, Name = "Xác định nguồn gốc đất", AgencyCode = b.Code, Role = "specialist", Amount = 1, Unit = "working-days" },
            new() { Step = 3, Name = "Xác định nghĩa vụ thuế", AgencyCode = c.Code, Role = "specialist", Amount = 4, Unit = "working-hours" },
            new() { Step = 4, Name = "Ký duyệt", AgencyCode = citizens.AgencyCode, Role = "agency-leader", Amount = 4, Unit = "working-hours" },
        ], "staff:quantri", default);
        Assert.Empty(problems);
        return new BackOfficeWorld { Citizens = citizens, Office = office, A = citizens.AgencyCode, B = b.Code, C = c.Code, Staff = staff, VersionId = versionId };
    }

    public StaffUser this[string key] => Staff[key];

    /// <summary>A dossier submitted online now (Monday 09:00 unless the clock was moved).</summary>
    public async Task<string> SubmittedAsync()
    {
        var applicant = await Citizens.ApplicantAsync();
        var id = await Citizens.CompleteDraftAsync(applicant);
        return Assert.IsType<SubmitOutcome.Submitted>(await Citizens.Store.SubmitAsync(applicant, id, null, "https://dvc.test", default)).Code;
    }

    public Task<ActionOutcome> ActAsync(string who, string code, string action, ActionInput? input = null, ResultFile? file = null) =>
        Office.ActAsync(Staff[who], code, action, input ?? new ActionInput(), file, "https://dvc.test", default);

    public async Task<ActionOutcome.Done> DoAsync(string who, string code, string action, ActionInput? input = null, ResultFile? file = null)
    {
        var outcome = await ActAsync(who, code, action, input, file);
        return Assert.IsType<ActionOutcome.Done>(outcome);
    }

    public async Task<(short Status, string? SubState, short? Step, DateTimeOffset? DueAt, string? Holder)> StateAsync(string code)
    {
        await using var conn = await Citizens.Db.DataSource.OpenConnectionAsync();
        return await conn.QuerySingleAsync<(short, string?, short?, DateTimeOffset?, string?)>("""
            SELECT d.status, d.sub_state, d.step, d.due_at, h.code FROM portal.dossiers d LEFT JOIN portal.agency h ON h.id = d.holder_agency_id
             WHERE d.code = @code
            """, new { code });
    }

    public async Task<DateTimeOffset> InstantAsync(string sql, object? args = null)
    {
        await using var conn = await Citizens.Db.DataSource.OpenConnectionAsync();
        return new DateTimeOffset(DateTime.SpecifyKind(await conn.QuerySingleAsync<DateTime>(sql, args), DateTimeKind.Utc));
    }

    public Task<T> ScalarAsync<T>(string sql, object? args = null) => Citizens.ScalarAsync<T>(sql, args);

    public static DateTimeOffset At(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, TimeSpan.FromHours(7));
}
