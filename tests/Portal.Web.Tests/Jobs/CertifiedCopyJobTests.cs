using Portal.Jobs;
using Portal.Tests.Shared;
using Portal.Web.Tests.CertifiedCopies;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Jobs;

// The certified-copies job as the worker runs it: a Quartz node built like the worker (AddPortalCore + AddPortalJobs,
// the signing key from configuration) issues an approved copy when the job fires.
[Collection("db")]
public sealed class CertifiedCopyJobTests(PostgresFixture db, CopyPki pki) : IClassFixture<CopyPki>
{
    [Fact]
    public async Task Firing_the_job_issues_an_approved_copy()
    {
        var files = Path.Combine(Path.GetTempPath(), "portal-jobnode-files-" + db.Name);
        // The node runs on the real clock, so the dossier's history must be in the past of it (the clock ledger only moves forward).
        var w = await CopyWorld.CreateAsync(db, pki, filesRoot: files, now: DateTimeOffset.UtcNow.AddMinutes(-5));
        var code = await w.ApprovedAsync(1, ("ban-quet.jpg", TestScans.Jpeg(200)));

        await using var node = await JobNode.StartAsync(db, "node-copies", new Dictionary<string, string?>
        {
            ["Portal:Files"] = files,
            ["Portal:Signing:Pkcs12"] = pki.SignerPath,
            ["Portal:Signing:PasswordFile"] = pki.PasswordPath,
            ["Portal:PublicUrl"] = "https://dvc.test",
        });
        await node.TriggerAsync(PortalJobs.CertifiedCopies);

        CopyWorld.CopyRow? copy = null;
        await Eventually.HoldsAsync(async () => (copy = await w.CopyAsync(code))?.Status == "issued", "the node issues the copy",
            () => $"{copy?.Status}, attempts {copy?.Attempts}: {copy?.LastError}");
        Assert.True(copy!.Status == "issued", $"{copy.Status}, attempts {copy.Attempts}: {copy.LastError}");
        Assert.Equal(1, copy.BookNo);
        Assert.Equal(1, copy.Attempts);
        Assert.Equal((short)9, (await w.ScalarsAsync(code)).Status);
    }
}
