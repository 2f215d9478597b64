using System.Globalization;
using Portal.Core.BackOffice;
using Portal.Core.Catalogue;
using Portal.Core.Dossiers;
using Portal.Tests.Shared;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.CertifiedCopies;

// R-F3 / R-I3 on the demo catalogue's own procedure 2.000815 (same-day, cut-off 15:00): received before 15:00 → due
// the same working day; at or after 15:00, or on a day off → the next working day; the due is the end of that day.
[Collection("db")]
public sealed class SameDayDeadlineTests(PostgresFixture db, CopyPki pki) : IClassFixture<CopyPki>
{
    /// <summary>2.000815 as db/demo/catalogue.json has it, at a fresh agency under a fresh code so the test owns its rows.</summary>
    static CatalogueImport.ProcedureIn Demo2000815(string agency, string field)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Portal.sln"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Portal.sln not found.");
        var package = CatalogueImport.Parse(File.ReadAllText(Path.Combine(root, "db", "demo", "catalogue.json")));
        var p = package.Procedures.Single(p => p.NationalCode == "2.000815");
        Assert.True(p.CertifiedCopy);
        Assert.Equal((short)2, p.CertifiedCopyLine);
        Assert.All(p.ProcessingTimes, t => Assert.Equal(("same-day", (TimeOnly?)new TimeOnly(15, 0)), (t.Unit, t.CutOff)));
        return p with { NationalCode = Given.NationalCode(), Agency = agency, Field = field };
    }

    static DateTimeOffset Iso(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2026-11-23T14:59+07:00", "2026-11-23T17:00+07:00")]   // Monday before 15:00: that day
    [InlineData("2026-11-23T15:00+07:00", "2026-11-24T17:00+07:00")]   // at 15:00: the next working day
    [InlineData("2026-11-27T16:30+07:00", "2026-11-30T17:00+07:00")]   // Friday after 15:00: Monday
    [InlineData("2026-11-23T07:30+07:00", "2026-11-23T17:00+07:00")]   // first thing in the morning
    public async Task A_request_at_the_counter_is_due_by_the_15_00_rule(string receivedAt, string due)
    {
        var w = await CopyWorld.CreateAsync(db, pki, procedureOf: Demo2000815);
        w.Clock.Now = Iso(receivedAt);
        var created = Assert.IsType<IntakeOutcome.Created>(await w.Office.IntakeAsync(w.Staff["receiving-officer"], new IntakeInput
        {
            ProcedureCode = w.ProcedureCode, Channel = "direct", Applicant = Dossiers.DossierWorld.Huong, DeliveryMethod = "counter",
            DocumentsReceived = [1, 2],
        }, "https://dvc.test", default));
        Assert.Equal(DossierStatus.Received, created.Status);
        Assert.Equal(Iso(due), await DueAsync(w, created.Code));
    }

    [Theory]
    [InlineData("2026-11-23T14:59+07:00", "2026-11-23T17:00+07:00")]
    [InlineData("2026-11-23T15:00+07:00", "2026-11-24T17:00+07:00")]
    [InlineData("2026-11-28T10:00+07:00", "2026-11-30T17:00+07:00")]   // a Saturday: the next working day
    public async Task A_request_sent_online_is_due_by_the_15_00_rule_from_its_arrival(string sentAt, string due)
    {
        var w = await CopyWorld.CreateAsync(db, pki, procedureOf: Demo2000815);
        w.Clock.Now = Iso(sentAt);
        var code = await w.SubmittedAsync(1, ("ban-quet.jpg", TestScans.Jpeg(200)));
        Assert.Equal(Iso(due), await DueAsync(w, code));
    }

    static async Task<DateTimeOffset> DueAsync(CopyWorld w, string code) =>
        new(DateTime.SpecifyKind(await w.ScalarAsync<DateTime>("SELECT due_at FROM portal.dossiers WHERE code = @code", new { code }), DateTimeKind.Utc));
}
