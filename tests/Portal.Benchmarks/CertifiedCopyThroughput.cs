using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Portal.Core.BackOffice;
using Portal.Core.Catalogue;
using Portal.Core.CertifiedCopies;
using Portal.Core.Database;
using Portal.Core.Deadlines;
using Portal.Core.Documents;
using Portal.Core.Dossiers;
using Portal.Core.Identity;
using Portal.Core.Signatures;
using Portal.Tests.Shared;

namespace Portal.Benchmarks;

/// <summary>
/// Certified copies issued per minute for a 2-page scan (docs/PERFORMANCE.md, "Certified copies (issue 7)"): on a
/// scratch database with the demo catalogue, N counter requests for 2.000815 at one commune are taken through the
/// production code to approval (intake, the officer's 2-page scan, number of copies, two hand-overs, approval); then
/// W workers run <see cref="Portal.Core.CertifiedCopies.CertifiedCopies.IssuePendingAsync"/> at once until all are
/// issued (build, number, sign with an RSA-3072 demo key, verify, store, result, done, notice). Figures, no asserts.
///   dotnet run -c Release --project tests/Portal.Benchmarks -- certified-copies &lt;connection string&gt; [copies] [workers…]
/// </summary>
public static class CertifiedCopyThroughput
{
    const string Commune = "000.22.01.H99";   // Ủy ban nhân dân xã Tân Phước in the demo catalogue
    const string Procedure = "2.000815.H99";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 1) { Console.Error.WriteLine("certified-copies <connection string> [copies=100] [workers=1 4]"); return 2; }
        var connectionString = args[0];
        var copies = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
        int[] workerCounts = args.Length > 2 ? [.. args[2..].Select(a => int.Parse(a, CultureInfo.InvariantCulture))] : [1, 4];

        await Migrator.ApplyAsync(connectionString, default);
        await using var db = Db.CreateDataSource(connectionString);
        var root = FindRoot();
        await CatalogueImport.ImportAsync(db, await File.ReadAllTextAsync(Path.Combine(root, "db", "demo", "catalogue.json")), "H99", default);

        var work = Directory.CreateTempSubdirectory("portal-copies-bench-").FullName;
        try
        {
            DemoPki.Ensure(Path.Combine(work, "pki"), TimeProvider.System);
            var keys = new SigningKeys(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Portal:Signing:Pkcs12"] = Path.Combine(work, "pki", DemoPki.SignerFile),
                ["Portal:Signing:PasswordFile"] = Path.Combine(work, "pki", DemoPki.PasswordFile),
            }).Build());
            var clock = TimeProvider.System;
            var files = new FileStore(Path.Combine(work, "files"));
            var calendars = new CalendarStore(db);
            var signatures = new SignatureStore(db, SignaturePolicy.Version1, clock,
                TrustStore.Default(TrustStore.ReadPem(await File.ReadAllTextAsync(Path.Combine(work, "pki", DemoPki.RootFile))), []));
            var site = new FormSite("tỉnh Bình Sơn", "1900 0000", DemoPki.Marker);
            var office = new BackOffice(db, files, calendars, clock, keys, new PadesSigner(clock), site);
            var staff = await StaffAsync(db);

            // A 2-page scan as a scanner makes it: one PDF, each page a 200 dpi JPEG of an A4 page with drawing on it.
            var scan = TestScans.PdfOfImages(TestScans.Jpeg(200, "Trang 1 - ban chinh", detail: 20_000), TestScans.Jpeg(200, "Trang 2 - ban chinh", detail: 20_000));
            Console.WriteLine($"scan: 2 pages, {scan.Length / 1024} KiB; {Environment.ProcessorCount} CPUs");
            await BreakdownAsync(scan, keys, signatures);

            foreach (var workers in workerCounts)
            {
                var seeding = Stopwatch.StartNew();
                for (var i = 0; i < copies; i++) await ApprovedAsync(office, staff, scan);
                Console.WriteLine($"seeded {copies} approved requests in {seeding.Elapsed.TotalSeconds:0.0} s");

                var services = Enumerable.Range(0, workers).Select(_ => new Portal.Core.CertifiedCopies.CertifiedCopies(db, clock, office, files,
                    calendars, keys, new PadesSigner(clock), signatures, site, new CertifiedCopySettings("https://dichvucong.binhson.gov.vn"))).ToList();
                var watch = Stopwatch.StartNew();
                var issued = (await Task.WhenAll(services.Select(s => Task.Run(() => s.IssuePendingAsync(default))))).Sum();
                watch.Stop();
                await using var conn = await db.OpenConnectionAsync();
                var pending = await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM portal.certified_copies WHERE status = 'pending'");
                var size = await conn.ExecuteScalarAsync<double>("SELECT avg(size) FROM portal.certified_copies WHERE status = 'issued'");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"workers {workers}: {issued} copies in {watch.Elapsed.TotalSeconds:0.00} s = {issued / watch.Elapsed.TotalMinutes:0} copies/min " +
                    $"({watch.Elapsed.TotalMilliseconds / issued:0.0} ms each); {pending} left pending; copy {size / 1024:0} KiB"));
            }
            return 0;
        }
        finally { Directory.Delete(work, recursive: true); }
    }

    /// <summary>The CPU-bound steps of one issue, outside the database: medians of 20 after a warm-up.</summary>
    static async Task BreakdownAsync(byte[] scan, SigningKeys keys, SignatureStore signatures)
    {
        var key = keys.For(null)!;
        var signer = new PadesSigner(TimeProvider.System);
        var verifier = await signatures.VerifierAsync(default);
        var statement = new CopyStatement
        {
            AgencyName = "Ủy ban nhân dân xã Tân Phước", ProvinceName = "tỉnh Bình Sơn", BookNumber = "1/2026/SCT/BS-ĐT", IssuedAt = DateTimeOffset.UtcNow,
            SignerName = "Cán bộ đo tải", SignerTitle = "Lãnh đạo cơ quan", DossierCode = "000.22.01.H99-261123-0001", Copies = 1, FeeVnd = 4000,
            VerifyUrl = "https://dichvucong.binhson.gov.vn/xac-thuc/ABCDEFGHIJKLMNOP", VerifyCode = "ABCDEFGHIJKLMNOP", DemoMarker = DemoPki.Marker,
        };
        var (build, sign, verify) = (new List<double>(), new List<double>(), new List<double>());
        for (var i = 0; i < 23; i++)
        {
            var t = Stopwatch.StartNew();
            var pdf = CopyPdf.Build([new ScanFile("scan.pdf", scan, FileType.Pdf)], statement);
            var built = t.Elapsed.TotalMilliseconds;
            var signed = await signer.SignAsync(pdf, key, new SignOptions { Reason = "Đo tải" }, default);
            var signedAt = t.Elapsed.TotalMilliseconds;
            verifier.Verify(signed);
            if (i < 3) continue;
            (build, sign, verify) = ([.. build, built], [.. sign, signedAt - built], [.. verify, t.Elapsed.TotalMilliseconds - signedAt]);
        }
        static double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one copy, median of 20: build PDF {Median(build):0.0} ms, sign {Median(sign):0.0} ms, verify {Median(verify):0.0} ms"));
    }

    static async Task<Dictionary<string, StaffUser>> StaffAsync(NpgsqlDataSource db)
    {
        var accounts = new StaffAccounts(db);
        var staff = new Dictionary<string, StaffUser>();
        var suffix = Random.Shared.Next(10_000, 99_999).ToString(CultureInfo.InvariantCulture);
        foreach (var role in new[] { "receiving-officer", "specialist", "agency-leader" })
        {
            var login = $"bench.{role[..4]}.{suffix}";
            var problems = await accounts.CreateAsync(login, $"Cán bộ đo tải ({role})", "mat-khau-do-tai-2026", [role], Commune, default);
            if (problems.Count > 0) throw new InvalidOperationException(string.Join(" ", problems));
            await using var conn = await db.OpenConnectionAsync();
            staff[role] = new StaffUser(await conn.ExecuteScalarAsync<Guid>("SELECT id FROM portal.staff_accounts WHERE login = @login", new { login }),
                login, $"Cán bộ đo tải ({role})", [role], Commune);
        }
        return staff;
    }

    static async Task ApprovedAsync(BackOffice office, Dictionary<string, StaffUser> staff, byte[] scan)
    {
        var created = await office.IntakeAsync(staff["receiving-officer"], new IntakeInput
        {
            ProcedureCode = Procedure, Channel = "direct", DeliveryMethod = "counter", DocumentsReceived = [1, 2],
            Applicant = new ApplicantAnswers
            {
                Kind = "individual", FullName = "Nguyễn Văn Đo Tải", BirthDate = "05/03/1990", IdNumber = "001190012345",
                Address = "Thôn 1, xã Tân Phước, tỉnh Bình Sơn", Phone = "0912 345 678", Email = "do.tai@example.vn",
            },
        }, "https://dichvucong.binhson.gov.vn", default);
        var code = created is IntakeOutcome.Created c ? c.Code : throw new InvalidOperationException($"intake: {created}");
        Expect(await office.AddScanAsync(staff["receiving-officer"], code, "ban-quet-2-trang.pdf", new MemoryStream(scan), null, default));
        Expect(await office.SetCopyCountAsync(staff["receiving-officer"], code, "1", null, default));
        Expect(await office.ActAsync(staff["receiving-officer"], code, "forward", new ActionInput(), null, "", default));
        Expect(await office.ActAsync(staff["specialist"], code, "forward", new ActionInput(), null, "", default));
        Expect(await office.ActAsync(staff["agency-leader"], code, "approve", new ActionInput(), null, "", default));
    }

    static void Expect(ActionOutcome outcome)
    {
        if (outcome is not ActionOutcome.Done) throw new InvalidOperationException($"not done: {outcome}");
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
