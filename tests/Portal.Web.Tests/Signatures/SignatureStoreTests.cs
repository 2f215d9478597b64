using Dapper;
using Portal.Core.Signatures;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Signatures;

[Collection("db")]
public sealed class SignatureStoreTests(PostgresFixture db, SignedFiles files) : IClassFixture<SignedFiles>
{
    [Fact]
    public async Task Reports_are_appended_and_the_latest_comes_back_as_stored()
    {
        var store = new SignatureStore(db.DataSource, SignaturePolicy.Version1, TimeProvider.System);
        var verifier = await store.VerifierAsync(default);
        var first = verifier.Verify(files.Signed);                      // demo root not trusted here: INDETERMINATE
        var second = verifier.Verify(files.Signed) with { ValidatedAt = first.ValidatedAt.AddMinutes(5) };

        var id1 = await store.SaveReportAsync(first, "upload", default);
        var id2 = await store.SaveReportAsync(second, "recheck", default);
        Assert.True(id2 > id1);

        var latest = await store.LatestReportAsync(first.FileSha256, default);
        Assert.Equal(second.ToJson(), latest!.ToJson());
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var rows = (await conn.QueryAsync<(string Indication, string Purpose, string Summary)>(
            "SELECT indication, purpose, summary FROM portal.signature_reports WHERE file_sha256 = @sha ORDER BY id", new { sha = first.FileSha256 })).ToList();
        Assert.Equal([first.Indication, second.Indication], rows.Select(r => r.Indication));
        Assert.Equal(["upload", "recheck"], rows.Select(r => r.Purpose));
        Assert.StartsWith(first.Title, rows[0].Summary);
    }
}
