using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Portal.Core.BackOffice;
using Portal.Core.CertifiedCopies;
using Portal.Core.Dossiers;
using Portal.Tests.Shared;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.CertifiedCopies;

// Electronic certified copies end to end (issue 7 §4, DOMAIN.md §8): request, approval, the job's issue (number,
// signature, result, done, notice), concurrency of the book, failures, and the checks on the scans.
[Collection("db")]
public sealed class CertifiedCopiesTests(PostgresFixture db, CopyPki pki) : IClassFixture<CopyPki>
{
    static readonly Lazy<byte[]> Jpeg200 = new(() => TestScans.Jpeg(200, "Giay khai sinh - ban chinh"));
    static readonly Lazy<byte[]> Png300 = new(() => TestScans.Png(2480, 3508, 300));

    [Fact]
    public async Task A_request_is_approved_issued_signed_numbered_and_returned_as_the_result()
    {
        var w = await CopyWorld.CreateAsync(db, pki);
        var code = await w.SubmittedAsync(3, ("trang-1.jpg", Jpeg200.Value), ("trang-2.png", Png300.Value));
        Assert.IsType<ActionOutcome.Done>(await w.ThroughToApprovalAsync(code));

        var pending = (await w.CopyAsync(code))!;
        Assert.Equal(("pending", 2, (short)3, 12_000L), (pending.Status, pending.Pages, pending.Copies, pending.FeeVnd));   // R-I5: 2 pages × 3 copies

        w.Clock.Now = w.Clock.Now.AddMinutes(1);
        Assert.Equal(1, await w.Copies.IssuePendingAsync(default));

        var copy = (await w.CopyAsync(code))!;
        Assert.Equal("issued", copy.Status);
        Assert.Equal(((short?)2026, (int?)1), (copy.BookYear, copy.BookNo));
        Assert.Equal("Trần Văn Bình", copy.SignerName);
        Assert.Equal($"{code}-KQ1", copy.ResultCode);
        Assert.Matches("^[A-Z2-7]{16}$", copy.Code);

        // The dossier is done and ready to return online, with the copy as its result, as the back office leaves it.
        var (status, subState, sha, finished) = await w.ScalarsAsync(code);
        Assert.Equal((DossierStatus.Processed, "9.online", copy.Sha256), (status, subState, sha));
        Assert.True(finished);
        Assert.True(await w.ScalarAsync<bool>("""
            SELECT r.signed_by_portal FROM portal.dossier_results r JOIN portal.dossiers d ON d.id = r.dossier_id WHERE d.code = @code
            """, new { code }));
        var history = (await HistoryAsync(code)).TakeLast(2).ToList();
        Assert.Equal([("add-result", "system"), ("done", "system")], history);

        var pdf = await w.Files.ReadAllAsync(copy.Sha256!, default);
        var report = pki.Verifier(w.Clock).Verify(pdf);
        Assert.Equal("TOTAL_PASSED", report.Indication);
        Assert.True(Assert.Single(report.Signatures).CoversWholeFile);
        var pdfsig = Run("pdfsig", pdf, "-nocert");
        Assert.Contains("Signature is Valid.", pdfsig);
        Assert.Contains("Total document signed", pdfsig);
        Assert.Contains("ETSI.CAdES.detached", pdfsig);
        var text = Run("pdftotext", pdf, "-enc", "UTF-8", "-");
        Assert.Contains("Số chứng thực: 1/2026/SCT/BS-ĐT", text.Normalize(System.Text.NormalizationForm.FormC));
        Assert.Contains($"https://dvc.test/xac-thuc/{copy.Code}", text);

        // The citizen is told, with the copy attached and the dossier page as the link.
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var message = await conn.QuerySingleAsync<(string Recipient, string Data)>("""
            SELECT recipient, data::text FROM portal.outbox_messages o JOIN portal.dossiers d ON d.id = o.dossier_id
             WHERE d.code = @code AND o.kind = 'certified-copy-issued'
            """, new { code });
        Assert.Equal("huong@example.vn", message.Recipient);
        var data = JsonSerializer.Deserialize<Dictionary<string, string>>(message.Data)!;
        Assert.Equal($"/ho-so/{code}", data["link"]);
        Assert.Equal(copy.Sha256, data["fileSha256"]);
        Assert.EndsWith(".pdf", data["fileName"]);
        // "done" sent no second, generic notice.
        Assert.Equal(0, await conn.ExecuteScalarAsync<int>("""
            SELECT count(*) FROM portal.outbox_messages o JOIN portal.dossiers d ON d.id = o.dossier_id WHERE d.code = @code AND o.kind = 'result-ready'
            """, new { code }));
        // Running the job again finds nothing more to do.
        Assert.Equal(0, await w.Copies.IssuePendingAsync(default));
    }

    [Fact]
    public async Task Twenty_parallel_issues_number_one_agencys_book_consecutively()
    {
        var w = await CopyWorld.CreateAsync(db, pki);
        var codes = new List<string>();
        for (var i = 0; i < 20; i++) codes.Add(await w.ApprovedAsync(1, ("ban-quet.jpg", Jpeg200.Value)));

        // Twenty workers, each with its own service as separate nodes would have, all started at once.
        var workers = Enumerable.Range(0, 20).Select(_ => w.CopiesWith(pki.Keys)).ToList();
        using var start = new ManualResetEventSlim();
        var runs = workers.Select(c => Task.Run(async () => { start.Wait(); return await c.IssuePendingAsync(default); })).ToList();
        start.Set();
        var issued = await Task.WhenAll(runs);

        Assert.Equal(20, issued.Sum());
        var numbers = new List<int>();
        foreach (var code in codes) numbers.Add((await w.CopyAsync(code))!.BookNo!.Value);
        Assert.Equal(Enumerable.Range(1, 20), numbers.Order());
        Assert.Equal(20, await w.ScalarAsync<int>("""
            SELECT last_no FROM portal.certification_books WHERE agency_code = @agency AND year = 2026 AND kind = 'electronic-copy'
            """, new { agency = w.AgencyCode }));
    }

    [Fact]
    public async Task A_failure_consumes_no_number_stays_pending_with_its_reason_and_is_retried()
    {
        var w = await CopyWorld.CreateAsync(db, pki);
        var first = await w.ApprovedAsync(1, ("ban-quet.jpg", Jpeg200.Value));
        var keyless = w.CopiesWith(new Portal.Core.Signatures.SigningKeys(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()));

        Assert.Equal(0, await keyless.IssuePendingAsync(default));
        var failed = (await w.CopyAsync(first))!;
        Assert.Equal(("pending", 1, (int?)null), (failed.Status, failed.Attempts, failed.BookNo));
        Assert.Contains("Chưa cấu hình khóa ký số", failed.LastError);
        Assert.Equal(0, await w.ScalarAsync<int>(
            "SELECT coalesce(max(last_no), 0) FROM portal.certification_books WHERE agency_code = @agency", new { agency = w.AgencyCode }));
        Assert.Equal(DossierStatus.Processing, (await w.ScalarsAsync(first)).Status);
        // The officer sees why on the dossier page.
        var view = (await w.Office.ViewAsync(w.Staff["agency-leader"], first, "page", default))!;
        Assert.Contains("Chưa cấu hình khóa ký số", view.Copy!.Request!.LastError);

        // Not retried before its time, even by a worker that has the key; then issued with the first number.
        Assert.Equal(0, await w.Copies.IssuePendingAsync(default));
        w.Clock.Now = failed.NextAttemptAt!.Value.AddSeconds(1);
        var second = await w.ApprovedAsync(1, ("ban-quet-2.jpg", Jpeg200.Value));
        Assert.Equal(2, await w.Copies.IssuePendingAsync(default));
        Assert.Equal(1, (await w.CopyAsync(first))!.BookNo);     // requested first, numbered first
        Assert.Equal(2, (await w.CopyAsync(second))!.BookNo);
        Assert.Null((await w.CopyAsync(first))!.LastError);
    }

    [Fact]
    public async Task A_copy_sent_back_after_approval_is_cancelled_not_issued()
    {
        var w = await CopyWorld.CreateAsync(db, pki);
        var code = await w.ApprovedAsync(1, ("ban-quet.jpg", Jpeg200.Value));
        Assert.IsType<ActionOutcome.Done>(await w.ActAsync("agency-leader", code, "return-to-previous", new ActionInput { Reason = "Bản quét mờ." }));

        Assert.Equal(0, await w.Copies.IssuePendingAsync(default));
        Assert.Equal("cancelled", (await w.CopyAsync(code))!.Status);
        Assert.Equal(0, await w.ScalarAsync<int>(
            "SELECT coalesce(max(last_no), 0) FROM portal.certification_books WHERE agency_code = @agency", new { agency = w.AgencyCode }));
    }

    [Fact]
    public async Task At_the_counter_approval_is_refused_until_the_officer_attaches_scans_and_the_number_of_copies()
    {
        var w = await CopyWorld.CreateAsync(db, pki);
        var intake = await w.Office.IntakeAsync(w.Staff["receiving-officer"], new IntakeInput
        {
            ProcedureCode = w.ProcedureCode, Channel = "direct", Applicant = Dossiers.DossierWorld.Huong, DeliveryMethod = "online",
            DocumentsReceived = [1, 2],
        }, "https://dvc.test", default);
        var code = Assert.IsType<IntakeOutcome.Created>(intake).Code;

        var refused = Assert.IsType<ActionOutcome.Refused>(await w.ThroughToApprovalAsync(code, receive: false));
        Assert.Contains("chưa có bản quét của bản chính", refused.Message);
        Assert.Null(await w.CopyAsync(code));

        // The leader holds it now; scans are attached by whoever holds the dossier before approval.
        var leader = w.Staff["agency-leader"];
        var low = Assert.IsType<ActionOutcome.Invalid>(await w.Office.AddScanAsync(leader, code, "mo.jpg", new MemoryStream(TestScans.Jpeg(150)), null, default));
        Assert.Contains("thấp hơn mức tối thiểu 200 dpi", Assert.Single(low.Problems).Message);
        Assert.IsType<ActionOutcome.Done>(await w.Office.AddScanAsync(leader, code, "ban-quet.jpg", new MemoryStream(Jpeg200.Value), null, default));
        Assert.Contains("số bản sao", Assert.IsType<ActionOutcome.Refused>(await w.ActAsync("agency-leader", code, "approve")).Message);
        Assert.IsType<ActionOutcome.Invalid>(await w.Office.SetCopyCountAsync(leader, code, "51", null, default));
        Assert.IsType<ActionOutcome.Done>(await w.Office.SetCopyCountAsync(leader, code, "2", null, default));
        // A specialist of the unit may attach scans too, but not once the dossier has moved past them; a stale page is a conflict.
        Assert.IsType<ActionOutcome.Conflict>(await w.Office.SetCopyCountAsync(leader, code, "2", expectedVersion: 1, default));

        Assert.IsType<ActionOutcome.Done>(await w.ActAsync("agency-leader", code, "approve"));
        var copy = (await w.CopyAsync(code))!;
        Assert.Equal(("pending", 1, (short)2, 4_000L), (copy.Status, copy.Pages, copy.Copies, copy.FeeVnd));
        // After approval the request is fixed.
        Assert.IsType<ActionOutcome.Refused>(await w.Office.AddScanAsync(leader, code, "them.jpg", new MemoryStream(Jpeg200.Value), null, default));
        Assert.Equal(1, await w.Copies.IssuePendingAsync(default));
        Assert.Equal("issued", (await w.CopyAsync(code))!.Status);
    }

    [Fact]
    public async Task The_citizen_cannot_send_scans_under_200_dpi_nor_without_the_number_of_copies()
    {
        var w = await CopyWorld.CreateAsync(db, pki);
        var (applicant, id) = await w.DraftAsync(1);
        var low = Assert.IsType<UploadOutcome.Refused>(await w.Store.UploadAsync(applicant, id, CopyWorld.ScanLine, "chup.jpg",
            new MemoryStream(TestScans.Jpeg(150)), default));
        Assert.Contains("khoảng 150 dpi, thấp hơn mức tối thiểu 200 dpi", low.Message);
        var lying = Assert.IsType<UploadOutcome.Refused>(await w.Store.UploadAsync(applicant, id, CopyWorld.ScanLine, "khai-sai.jpg",
            new MemoryStream(TestScans.WithJfifDensity(Jpeg200.Value, 96)), default));
        Assert.Contains("khoảng 96 dpi", lying.Message);
        var word = Assert.IsType<UploadOutcome.Refused>(await w.Store.UploadAsync(applicant, id, CopyWorld.ScanLine, "ban-sao.txt",
            new MemoryStream("Bản sao"u8.ToArray()), default));
        Assert.Contains("phải là tệp PDF, JPG hoặc PNG", word.Message);

        // Nothing refused was kept; the original is shown at the counter, so only the scans and the number are missing.
        var dossier = (await w.Store.LoadAsync(applicant, id, null, default))!;
        Assert.Empty(dossier.Documents.SelectMany(d => d.Files));
        Assert.True(dossier.Documents.Single(d => d.LineNo == 1).PresentedAtCounter);
        Assert.Equal(["giay-to-2"], Portal.Core.Dossiers.Dossiers.Completeness(dossier).Select(p => p.Field).Distinct());

        var ok = Assert.IsType<UploadOutcome.Accepted>(await w.Store.UploadAsync(applicant, id, CopyWorld.ScanLine, "ban-quet.pdf",
            new MemoryStream(TestScans.PdfOfImages(TestScans.Png(1654, 2339, null), TestScans.Png(1654, 2339, null))), default));
        Assert.Equal((2, 200), (ok.File.Pages, ok.File.ScanDpi));
        dossier = (await w.Store.LoadAsync(applicant, id, null, default))!;
        Assert.Empty(Portal.Core.Dossiers.Dossiers.Completeness(dossier));
        Assert.Equal(2, dossier.ScanPages);
        Assert.Equal(1, dossier.Answers.CopyCount);
        var missingCount = dossier with { Answers = dossier.Answers with { CopyCount = null } };
        Assert.Contains(Portal.Core.Dossiers.Dossiers.Completeness(missingCount), p => p.Message == "Cho biết số bản sao cần chứng thực");
    }

    Task<List<(string Action, string Actor)>> HistoryAsync(string code) => Task.Run(async () =>
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        return (await conn.QueryAsync<(string, string)>("""
            SELECT h.action, h.actor FROM portal.dossier_history h JOIN portal.dossiers d ON d.id = h.dossier_id WHERE d.code = @code ORDER BY h.seq
            """, new { code })).ToList();
    });

    /// <summary>Runs a poppler tool on the bytes (./test.sh installs poppler-utils; a missing tool fails).</summary>
    static string Run(string tool, byte[] pdf, params string[] args)
    {
        var dir = Directory.CreateTempSubdirectory("portal-copy-").FullName;
        try
        {
            var path = Path.Combine(dir, "copy.pdf");
            File.WriteAllBytes(path, pdf);
            var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
            // pdfsig and pdftotext take the file before "-" (stdout) and after their options.
            foreach (var a in args.Where(a => a != "-")) start.ArgumentList.Add(a);
            start.ArgumentList.Add(path);
            if (args.Contains("-")) start.ArgumentList.Add("-");
            using var p = Process.Start(start)!;
            var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            return output;
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
