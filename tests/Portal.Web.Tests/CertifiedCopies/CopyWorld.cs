using System.Security.Cryptography.X509Certificates;
using Dapper;
using Microsoft.Extensions.Configuration;
using Portal.Core.BackOffice;
using Portal.Core.CertifiedCopies;
using Portal.Core.Catalogue;
using Portal.Core.Deadlines;
using Portal.Core.Documents;
using Portal.Core.Dossiers;
using Portal.Core.Identity;
using Portal.Core.Signatures;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.CertifiedCopies;

/// <summary>A demo-style PKI for the agency's key (DemoPki in a temporary folder), trusted by the verifiers of these tests.</summary>
public sealed class CopyPki : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("portal-copies-pki-").FullName;

    public CopyPki()
    {
        DemoPki.Ensure(dir, TimeProvider.System);
        Root = X509Certificate2.CreateFromPem(File.ReadAllText(RootPem));
        Crls = new CmsEvidence();
        foreach (var crl in CrlPaths) Crls.Crls.Add(File.ReadAllBytes(crl));
    }

    public string RootPem => Path.Combine(dir, DemoPki.RootFile);
    public string SignerPath => Path.Combine(dir, DemoPki.SignerFile);
    public string PasswordPath => Path.Combine(dir, DemoPki.PasswordFile);
    public IEnumerable<string> CrlPaths => DemoPki.CrlFiles.Select(f => Path.Combine(dir, f));
    public X509Certificate2 Root { get; }
    public CmsEvidence Crls { get; }

    /// <summary>Portal:Signing as the demo writes it: the default key for every unit.</summary>
    public SigningKeys Keys => new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Portal:Signing:Pkcs12"] = SignerPath,
        ["Portal:Signing:PasswordFile"] = PasswordPath,
    }).Build());

    public SignatureVerifier Verifier(TimeProvider clock) => new(TrustStore.Default([Root], []), SignaturePolicy.Version1, clock, Crls);

    public void Dispose() => Directory.Delete(dir, recursive: true);
}

/// <summary>
/// A certified-copy procedure (same day, 15:00 cut-off, "Bản chính" presented and "Bản sao cần chứng thực" scanned) at
/// its own agency, with a receiving officer, a specialist and a leader; the stores and the copies service over the
/// test database with a clock the test sets. Monday 23/11/2026 09:00 in Vietnam.
/// </summary>
public sealed class CopyWorld
{
    public static readonly DateTimeOffset Monday9 = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(7));
    public const short ScanLine = 2;

    public required PostgresFixture Db { get; init; }
    public required TestClock Clock { get; init; }
    public required Portal.Core.Dossiers.Dossiers Store { get; init; }
    public required Portal.Core.BackOffice.BackOffice Office { get; init; }
    public required Portal.Core.CertifiedCopies.CertifiedCopies Copies { get; init; }
    public required string AgencyCode { get; init; }
    public required string AgencyName { get; init; }
    public required string ProcedureCode { get; init; }
    public required FileStore Files { get; init; }
    public required Dictionary<string, StaffUser> Staff { get; init; }
    public required CopyPki Pki { get; init; }
    public required SignatureStore Signatures { get; init; }

    public static CatalogueImport.ProcedureIn Procedure(string agency, string field) => Given.Procedure(agency, field,
        name: $"Chứng thực bản sao từ bản chính (thử {Given.Next()})", level: "commune", onlineLevel: "partial") with
    {
        ProcessingTimes = [.. new[] { "direct", "online", "postal" }.Select(c => new CatalogueImport.ProcessingTimeIn(c, 0, "same-day",
            "Trong ngày tiếp nhận; nếu tiếp nhận sau 15 giờ thì trong ngày làm việc tiếp theo", new TimeOnly(15, 0)))],
        Documents =
        [
            new("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao", 1, 0, true, null, false),
            new("Bản sao cần chứng thực", 0, 1, true, null, false),
        ],
        CertifiedCopy = true,
    };

    public static async Task<CopyWorld> CreateAsync(PostgresFixture db, CopyPki pki, bool withKey = true,
        Func<string, string, CatalogueImport.ProcedureIn>? procedureOf = null, string? filesRoot = null, DateTimeOffset? now = null)
    {
        var agency = Given.Agency(name: $"Ủy ban nhân dân xã Thử {Given.Next()}", level: "commune");
        var field = Given.Field();
        var procedure = (procedureOf ?? Procedure)(agency.Code, field.Code);
        await Given.ImportAsync(db, [agency], [field], [procedure]);
        var clock = new TestClock(now ?? Monday9);
        var files = new FileStore(filesRoot ?? Path.Combine(Path.GetTempPath(), "portal-files-" + Guid.NewGuid().ToString("N")));
        var calendars = new CalendarStore(db.DataSource);
        var signatures = new SignatureStore(db.DataSource, SignaturePolicy.Version1, clock, TrustStore.Default([pki.Root], []), pki.Crls);
        var store = new Portal.Core.Dossiers.Dossiers(db.DataSource, files, signatures, calendars, clock, new DossierRules());
        var site = new FormSite("tỉnh Bình Sơn", "1900 0000", null);
        var keys = withKey ? pki.Keys : new SigningKeys(new ConfigurationBuilder().Build());
        var office = new Portal.Core.BackOffice.BackOffice(db.DataSource, files, calendars, clock, keys, new PadesSigner(clock), site);
        var copies = new Portal.Core.CertifiedCopies.CertifiedCopies(db.DataSource, clock, office, files, calendars, keys, new PadesSigner(clock),
            signatures, site, new CertifiedCopySettings("https://dvc.test"));

        var staff = new Dictionary<string, StaffUser>();
        var accounts = new StaffAccounts(db.DataSource);
        foreach (var (role, name) in new[] { ("receiving-officer", "Lê Thị Tiếp Nhận"), ("specialist", "Phạm Văn Chuyên"), ("agency-leader", "Trần Văn Bình") })
        {
            var login = $"{role[..4]}{Given.Next()}";
            Assert.Empty(await accounts.CreateAsync(login, name, "mat-khau-kiem-thu-2026", [role], agency.Code, default));
            await using var conn = await db.DataSource.OpenConnectionAsync();
            var id = await conn.ExecuteScalarAsync<Guid>("SELECT id FROM portal.staff_accounts WHERE login = @login", new { login });
            staff[role] = new StaffUser(id, login, name, [role], agency.Code);
        }
        return new CopyWorld
        {
            Db = db, Clock = clock, Store = store, Office = office, Copies = copies, AgencyCode = agency.Code, AgencyName = agency.Name,
            ProcedureCode = procedure.Code(), Files = files, Staff = staff, Pki = pki, Signatures = signatures,
        };
    }

    /// <summary>The same world's data seen by another copies service (another worker, or one without a key).</summary>
    public Portal.Core.CertifiedCopies.CertifiedCopies CopiesWith(SigningKeys keys) => new(Db.DataSource, Clock, Office, Files,
        new CalendarStore(Db.DataSource), keys, new PadesSigner(Clock), Signatures, new FormSite("tỉnh Bình Sơn", "1900 0000", null),
        new CertifiedCopySettings("https://dvc.test"));

    public async Task<Guid> ApplicantAsync()
    {
        await using var conn = await Db.DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<Guid>("""
            INSERT INTO portal.applicants (kind, full_name, birth_date, id_number, address, email, phone)
            VALUES ('individual', 'Nguyễn Thị Hường', '1990-03-05', @id, 'Xã Hòa An, tỉnh Bình Sơn', 'huong@example.vn', '0912345678')
            RETURNING id
            """, new { id = $"0{Given.Next():00000000000}"[..12] });
    }

    /// <summary>A draft with every answer, the scans uploaded and the number of copies: ready to send.</summary>
    public async Task<(Guid Applicant, Guid Id)> DraftAsync(int copies, params (string Name, byte[] Bytes)[] scans)
    {
        var applicant = await ApplicantAsync();
        var id = (await Store.StartAsync(applicant, ProcedureCode, Dossiers.DossierWorld.Huong, default))!.Value;
        var dossier = (await Store.LoadAsync(applicant, id, null, default))!;
        var answers = dossier.Answers with
        {
            Owner = new OwnerAnswers { SameAsApplicant = true }, Delivery = new DeliveryAnswers { Method = "online" }, Declared = true,
            CopyCount = copies,
        };
        Assert.NotNull(await Store.SaveAnswersAsync(applicant, id, dossier.RowVersion, answers, "kiem-tra", default));
        foreach (var (name, bytes) in scans)
            Assert.IsType<UploadOutcome.Accepted>(await Store.UploadAsync(applicant, id, ScanLine, name, new MemoryStream(bytes), default));
        return (applicant, id);
    }

    public async Task<string> SubmittedAsync(int copies, params (string Name, byte[] Bytes)[] scans)
    {
        var (applicant, id) = await DraftAsync(copies, scans);
        return Assert.IsType<SubmitOutcome.Submitted>(await Store.SubmitAsync(applicant, id, null, "https://dvc.test", default)).Code;
    }

    public Task<ActionOutcome> ActAsync(string who, string code, string action, ActionInput? input = null) =>
        Office.ActAsync(Staff[who], code, action, input ?? new ActionInput(), null, "https://dvc.test", default);

    /// <summary>Received, handed to the specialist, to the leader (the default workflow), and approved by the leader.</summary>
    public async Task<ActionOutcome> ThroughToApprovalAsync(string code, bool receive = true)
    {
        if (receive) Assert.IsType<ActionOutcome.Done>(await ActAsync("receiving-officer", code, "receive"));
        Assert.IsType<ActionOutcome.Done>(await ActAsync("receiving-officer", code, "forward"));
        Assert.IsType<ActionOutcome.Done>(await ActAsync("specialist", code, "forward"));
        return await ActAsync("agency-leader", code, "approve");
    }

    public async Task<string> ApprovedAsync(int copies, params (string Name, byte[] Bytes)[] scans)
    {
        var code = await SubmittedAsync(copies, scans);
        Assert.IsType<ActionOutcome.Done>(await ThroughToApprovalAsync(code));
        return code;
    }

    public sealed record CopyRow
    {
        public string Status { get; init; } = "";
        public int Pages { get; init; }
        public short Copies { get; init; }
        public long FeeVnd { get; init; }
        public int Attempts { get; init; }
        public string? LastError { get; init; }
        public string? Code { get; init; }
        public short? BookYear { get; init; }
        public int? BookNo { get; init; }
        public string? Sha256 { get; init; }
        public string? SignerName { get; init; }
        public string? ResultCode { get; init; }
        public DateTimeOffset? NextAttemptAt { get; init; }
    }

    public async Task<CopyRow?> CopyAsync(string dossierCode)
    {
        await using var conn = await Db.DataSource.OpenConnectionAsync();
        return await conn.QuerySingleOrDefaultAsync<CopyRow>("""
            SELECT c.status, c.pages, c.copies, c.fee_vnd, c.attempts, c.last_error, c.code, c.book_year, c.book_no, c.sha256, c.signer_name,
                   c.result_code, c.next_attempt_at
              FROM portal.certified_copies c JOIN portal.dossiers d ON d.id = c.dossier_id
             WHERE d.code = @dossierCode ORDER BY c.requested_at DESC LIMIT 1
            """, new { dossierCode });
    }

    /// <summary>The dossier's status, sub-state, its last result's SHA-256 and whether processing has ended.</summary>
    public async Task<(short Status, string? SubState, string? ResultSha256, bool Finished)> ScalarsAsync(string code)
    {
        await using var conn = await Db.DataSource.OpenConnectionAsync();
        return await conn.QuerySingleAsync<(short, string?, string?, bool)>("""
            SELECT d.status, d.sub_state, (SELECT r.sha256 FROM portal.dossier_results r WHERE r.dossier_id = d.id ORDER BY r.n DESC LIMIT 1),
                   d.finished_at IS NOT NULL
              FROM portal.dossiers d WHERE d.code = @code
            """, new { code });
    }

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var conn = await Db.DataSource.OpenConnectionAsync();
        return (await conn.ExecuteScalarAsync<T>(sql, args))!;
    }
}
