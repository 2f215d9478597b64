using Portal.Core.Deadlines;
using Dapper;
using Npgsql;

namespace Portal.Core.Catalogue;

public sealed record ProcedureDetail
{
    public Guid VersionId { get; init; }
    public string Code { get; init; } = "";
    public string NationalCode { get; init; } = "";
    public string Name { get; init; } = "";
    public string AgencyCode { get; init; } = "";
    public string AgencyName { get; init; } = "";
    public string? AgencyAddress { get; init; }
    public string? AgencyPhone { get; init; }
    public string? AgencyEmail { get; init; }
    public string FieldCode { get; init; } = "";
    public string FieldName { get; init; } = "";
    public string Level { get; init; } = "";
    public string[] Channels { get; init; } = [];
    public string OnlineLevel { get; init; } = "";
    public short LegacyLevel { get; init; }
    public string[] Subjects { get; init; } = [];
    public string ResultType { get; init; } = "";
    public string[] LegalBasis { get; init; } = [];
    public string StepsMd { get; init; } = "";
    public string? RequirementsMd { get; init; }
    public string DescriptionMd { get; init; } = "";
    public string DecisionNumber { get; init; } = "";
    public DateOnly DecisionDate { get; init; }
    public DateOnly EffectiveFrom { get; init; }
    public IReadOnlyList<ProcessingTime> ProcessingTimes { get; init; } = [];
    public IReadOnlyList<Fee> Fees { get; init; } = [];
    public IReadOnlyList<RequiredDocument> Documents { get; init; } = [];

    public bool OfferedOnline => OnlineLevel is "full" or "partial";
}

public sealed record ProcessingTime
{
    public string Channel { get; init; } = "";
    public decimal Amount { get; init; }
    public string Unit { get; init; } = "";
    public string? Note { get; init; }
    public TimeSpan? CutOff { get; init; }

    public DeadlineRule ToRule() => DeadlineRule.Create(Amount, Unit, CutOff is { } c ? TimeOnly.FromTimeSpan(c) : null);
}

public sealed record Fee
{
    public string Description { get; init; } = "";
    public long AmountVnd { get; init; }
}

public sealed record RequiredDocument
{
    public string Name { get; init; } = "";
    public short Originals { get; init; }
    public short Copies { get; init; }
    public bool Required { get; init; }
    public string? TemplateFile { get; init; }
    public bool MustBeSigned { get; init; }
}

public static class ProcedureDetails
{
    // One round trip: the version in force on @today and its lines.
    const string DetailSql = """
        SELECT v.id AS version_id, p.code, p.national_code, v.name,
               a.code AS agency_code, a.name AS agency_name, a.address AS agency_address,
               a.phone AS agency_phone, a.email AS agency_email,
               f.code AS field_code, f.name AS field_name, v.level, v.channels, v.online_level, v.legacy_level,
               v.subjects, v.result_type, v.legal_basis, v.steps_md, v.requirements_md, v.description_md,
               v.decision_number, v.decision_date, v.effective_from
          FROM portal.procedure_version v
          JOIN portal.procedure p ON p.id = v.procedure_id
          JOIN portal.agency a ON a.id = v.agency_id
          JOIN portal.field f ON f.id = v.field_id
         WHERE v.id = portal.version_in_force(@code, @today);
        SELECT channel, amount, unit, note, cut_off
          FROM portal.procedure_processing_time
         WHERE version_id = portal.version_in_force(@code, @today)
         ORDER BY array_position(ARRAY['direct', 'online', 'postal'], channel);
        SELECT description, amount_vnd
          FROM portal.procedure_fee
         WHERE version_id = portal.version_in_force(@code, @today)
         ORDER BY line_no;
        SELECT name, originals, copies, required, template_file, must_be_signed
          FROM portal.procedure_document
         WHERE version_id = portal.version_in_force(@code, @today)
         ORDER BY line_no;
        """;

    public static Task<ProcedureDetail?> LoadCachedAsync(CatalogueCache cache, NpgsqlDataSource db, string code, DateOnly today, CancellationToken ct) =>
        cache.GetAsync($"procedure|{today}|{code}", c => LoadAsync(db, code, today, c), ct);

    public static async Task<ProcedureDetail?> LoadAsync(NpgsqlDataSource db, string code, DateOnly today, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(DetailSql, new { code, today }, cancellationToken: ct));
        var head = await grid.ReadSingleOrDefaultAsync<ProcedureDetail>();
        if (head is null) return null;
        return head with
        {
            ProcessingTimes = (await grid.ReadAsync<ProcessingTime>()).AsList(),
            Fees = (await grid.ReadAsync<Fee>()).AsList(),
            Documents = (await grid.ReadAsync<RequiredDocument>()).AsList(),
        };
    }
}
