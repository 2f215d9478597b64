using Dapper;
using Portal.Core.Catalogue;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Catalogue;

[Collection("db")]
public sealed class CatalogueImportTests(PostgresFixture db)
{
    [Fact]
    public async Task Importing_the_same_package_twice_adds_nothing_the_second_time()
    {
        var agency = Given.Agency();
        var field = Given.Field();
        var procedure = Given.Procedure(agency.Code, field.Code);

        var first = await Given.ImportAsync(db, [agency], [field], [procedure]);
        var second = await Given.ImportAsync(db, [agency], [field], [procedure]);

        Assert.Equal(1, first.VersionsAdded);
        Assert.Equal(0, second.VersionsAdded);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await conn.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM portal.procedure_version v JOIN portal.procedure p ON p.id = v.procedure_id WHERE p.code = @code",
            new { code = procedure.Code() }));
    }

    [Fact]
    public async Task A_newer_version_ends_the_previous_one_and_older_dossiers_keep_theirs()
    {
        var agency = Given.Agency();
        var field = Given.Field();
        var v1 = Given.Procedure(agency.Code, field.Code, effectiveFrom: new DateOnly(2025, 7, 15));
        var v2 = v1 with { Name = v1.Name + " (sửa đổi)", EffectiveFrom = new DateOnly(2026, 3, 1) };

        await Given.ImportAsync(db, [agency], [field], [v1]);
        await Given.ImportAsync(db, [agency], [field], [v2]);

        var before = await ProcedureDetails.LoadAsync(db.DataSource, v1.Code(), new DateOnly(2026, 2, 28), default);
        var after = await ProcedureDetails.LoadAsync(db.DataSource, v1.Code(), new DateOnly(2026, 3, 1), default);
        Assert.Equal(v1.Name, before!.Name);
        Assert.Equal(v2.Name, after!.Name);
        Assert.NotEqual(before.VersionId, after.VersionId);
        Assert.Null(await ProcedureDetails.LoadAsync(db.DataSource, v1.Code(), new DateOnly(2025, 7, 14), default));
    }

    [Fact]
    public async Task The_any_commune_flag_is_read_from_the_package_and_stored()
    {
        var communes = Given.Agency(level: "commune");
        var plain = Given.Agency(level: "commune");
        var json = System.Text.Json.JsonSerializer.Serialize(new
        {
            agencies = new object[]
            {
                new { code = communes.Code, name = communes.Name, level = "commune", parent = (string?)null, anyCommune = true },
                new { code = plain.Code, name = plain.Name, level = "commune", parent = (string?)null },
            },
            fields = Array.Empty<object>(),
            procedures = Array.Empty<object>(),
        });

        await CatalogueImport.ImportAsync(db.DataSource, json, "T01", default);

        await using var conn = await db.DataSource.OpenConnectionAsync();
        Assert.True(await conn.ExecuteScalarAsync<bool>("SELECT any_commune FROM portal.agency WHERE code = @code", new { code = communes.Code }));
        Assert.False(await conn.ExecuteScalarAsync<bool>("SELECT any_commune FROM portal.agency WHERE code = @code", new { code = plain.Code }));
    }

    [Fact]
    public async Task An_invalid_package_saves_nothing()
    {
        var agency = Given.Agency();
        var field = Given.Field();
        var good = Given.Procedure(agency.Code, field.Code);
        var bad = Given.Procedure("000.00.00.KHONG", field.Code);

        var e = await Assert.ThrowsAsync<CatalogueImportException>(() => Given.ImportAsync(db, [agency], [field], [good, bad]));

        Assert.Contains(e.Problems, p => p.Contains("000.00.00.KHONG"));
        await using var conn = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM portal.agency WHERE code = @code", new { code = agency.Code }));
    }

    [Fact]
    public async Task The_database_refuses_two_versions_in_force_on_the_same_day()
    {
        var agency = Given.Agency();
        var field = Given.Field();
        var procedure = Given.Procedure(agency.Code, field.Code);
        await Given.ImportAsync(db, [agency], [field], [procedure]);

        await using var conn = await db.DataSource.OpenConnectionAsync();
        var e = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => conn.ExecuteAsync("""
            INSERT INTO portal.procedure_version (id, procedure_id, name, agency_id, field_id, level, channels, online_level,
                   legacy_level, result_type, decision_number, decision_date, effective_from)
            SELECT gen_random_uuid(), v.procedure_id, v.name, v.agency_id, v.field_id, v.level, v.channels, v.online_level,
                   v.legacy_level, v.result_type, v.decision_number, v.decision_date, v.effective_from + 30
              FROM portal.procedure_version v JOIN portal.procedure p ON p.id = v.procedure_id
             WHERE p.code = @code
            """, new { code = procedure.Code() }));
        Assert.Equal("23P01", e.SqlState);   // exclusion_violation
    }
}
