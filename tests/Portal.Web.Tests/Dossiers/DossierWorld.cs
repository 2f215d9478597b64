using Dapper;
using Portal.Core.Catalogue;
using Portal.Core.Deadlines;
using Portal.Core.Documents;
using Portal.Core.Dossiers;
using Portal.Core.Signatures;
using Portal.Tests.Shared;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Dossiers;

// A procedure offered online at its own agency, applicants, and the dossier store over the test database, with a
// clock the test controls. Monday 23/11/2026 09:00 in Vietnam is a working morning.
public sealed class DossierWorld
{
    public static readonly DateTimeOffset Monday9 = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(7));

    public required PostgresFixture Db { get; init; }
    public required TestClock Clock { get; init; }
    public required Portal.Core.Dossiers.Dossiers Store { get; init; }
    public required string AgencyCode { get; init; }
    public required string ProcedureCode { get; init; }
    public required string FilesRoot { get; init; }
    /// <summary>What was imported, so a test can publish a new version of the same procedure.</summary>
    public required (CatalogueImport.AgencyIn Agency, CatalogueImport.FieldIn Field, CatalogueImport.ProcedureIn Procedure) Catalogue { get; init; }

    public static async Task<DossierWorld> CreateAsync(PostgresFixture db, DossierRules? rules = null, DateTimeOffset? now = null)
    {
        var agency = Given.Agency();
        var field = Given.Field();
        var procedure = Given.Procedure(agency.Code, field.Code);
        await Given.ImportAsync(db, [agency], [field], [procedure]);
        var clock = new TestClock(now ?? Monday9);
        var root = Path.Combine(Path.GetTempPath(), "portal-files-" + Guid.NewGuid().ToString("N"));
        var store = new Portal.Core.Dossiers.Dossiers(db.DataSource, new FileStore(root),
            new SignatureStore(db.DataSource, SignaturePolicy.Version1, clock), new CalendarStore(db.DataSource), clock, rules ?? new DossierRules());
        return new DossierWorld
        {
            Db = db, Clock = clock, Store = store, AgencyCode = agency.Code, ProcedureCode = procedure.Code(), FilesRoot = root,
            Catalogue = (agency, field, procedure),
        };
    }

    /// <summary>An applicant row as the accounts code makes it (individual with a CCCD).</summary>
    public async Task<Guid> ApplicantAsync()
    {
        await using var conn = await Db.DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<Guid>("""
            INSERT INTO portal.applicants (kind, full_name, birth_date, id_number, address, email, phone)
            VALUES ('individual', 'Nguyễn Thị Hường', '1990-03-05', @id, 'Xã Hòa An, tỉnh Bình Sơn', 'huong@example.vn', '0912345678')
            RETURNING id
            """, new { id = $"0{Given.Next():00000000000}"[..12] });
    }

    public static ApplicantAnswers Huong => new()
    {
        Kind = "individual", FullName = "Nguyễn Thị Hường", BirthDate = "5/3/1990", IdNumber = "001190012345",
        Address = "Thôn 3, xã Hòa An, tỉnh Bình Sơn", Phone = "0912 345 678", Email = "huong@example.vn",
    };

    /// <summary>A draft with every answer given and the required document uploaded: ready to send.</summary>
    public async Task<Guid> CompleteDraftAsync(Guid applicant)
    {
        var id = (await Store.StartAsync(applicant, ProcedureCode, Huong, default))!.Value;
        var dossier = (await Store.LoadAsync(applicant, id, null, default))!;
        var answers = dossier.Answers with
        {
            Owner = new OwnerAnswers { SameAsApplicant = true },
            Delivery = new DeliveryAnswers { Method = "online" },
            Declared = true,
        };
        Assert.NotNull(await Store.SaveAnswersAsync(applicant, id, dossier.RowVersion, answers, "kiem-tra", default));
        var upload = await Store.UploadAsync(applicant, id, 1, "to-khai.pdf", new MemoryStream(TestPdfs.OnePage("Tờ khai")), default);
        Assert.IsType<UploadOutcome.Accepted>(upload);
        return id;
    }

    public async Task<T> ScalarAsync<T>(string sql, object? args = null)
    {
        await using var conn = await Db.DataSource.OpenConnectionAsync();
        return (await conn.ExecuteScalarAsync<T>(sql, args))!;
    }
}
