using Portal.Core.Deadlines;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Portal.Core.Catalogue;

public sealed class CatalogueImportException(IReadOnlyList<string> problems)
    : Exception("Không nhập được danh mục thủ tục:\n- " + string.Join("\n- ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

// Imports a catalogue package (agencies, fields, procedures; the format of db/demo/catalogue.json). The whole file is
// validated first and written in one transaction, so a bad file saves nothing. Importing the same file again changes
// nothing: agencies and fields are upserted by code, and a procedure version is added only if it is newer than the
// versions already stored (the previous one then ends where the new one starts).
public static class CatalogueImport
{
    public sealed record Package(List<AgencyIn> Agencies, List<FieldIn> Fields, List<ProcedureIn> Procedures);
    /// <summary>
    /// AnyCommune: the province's "any commune" unit (Ủy ban nhân dân cấp xã) — its procedures are received and processed
    /// by whichever commune the applicant turns to (the 2025 regardless-of-boundary rule), and every commune centre sees them.
    /// </summary>
    public sealed record AgencyIn(string Code, string Name, string Level, string? Parent, string? Address, string? Phone, string? Email,
        bool AnyCommune = false);
    public sealed record FieldIn(string Code, string Name);
    public sealed record ProcessingTimeIn(string Channel, decimal Amount, string Unit, string? Note, TimeOnly? CutOff = null);
    public sealed record FeeIn(string Description, long AmountVnd);
    public sealed record DocumentIn(string Name, short Originals, short Copies, bool Required, string? Template, bool MustBeSigned);
    public sealed record DecisionIn(string Number, DateOnly Date);
    public sealed record ProcedureIn(
        string NationalCode, string Name, string Agency, string Field, string Level, List<string> Channels,
        List<ProcessingTimeIn> ProcessingTimes, List<FeeIn> Fees, List<string> Subjects, string ResultType,
        List<string> LegalBasis, string OnlineLevel, short LegacyLevel, List<DocumentIn> Documents, string Steps,
        string? Requirements, string Description, DecisionIn Decision, DateOnly EffectiveFrom, int Popular,
        bool CertifiedCopy = false)
    {
        /// <summary>
        /// A certified-copy procedure (DOMAIN.md §8) takes the scans of the original in its first copy document (copies
        /// &gt; 0, no originals), e.g. "Bản sao cần chứng thực"; null for other procedures or when it has none.
        /// </summary>
        public short? CertifiedCopyLine => CertifiedCopy && Documents.FindIndex(d => d.Copies > 0 && d.Originals == 0) is var i and >= 0
            ? (short)(i + 1) : null;
    }

    public sealed record Result(int Agencies, int Fields, int VersionsAdded);

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = false };
    static readonly string[] ChannelOrder = ["direct", "online", "postal"];

    public static Package Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Package>(json, Json)
                ?? throw new CatalogueImportException(["Tệp rỗng."]);
        }
        catch (JsonException e)
        {
            throw new CatalogueImportException([$"Tệp JSON không đúng định dạng: {e.Message}"]);
        }
    }

    public static IReadOnlyList<string> Validate(Package package)
    {
        var problems = new List<string>();
        var agencies = package.Agencies.Select(a => a.Code).ToHashSet(StringComparer.Ordinal);
        var fields = package.Fields.Select(f => f.Code).ToHashSet(StringComparer.Ordinal);
        foreach (var dup in package.Agencies.GroupBy(a => a.Code).Where(g => g.Count() > 1))
            problems.Add($"Mã cơ quan {dup.Key} bị trùng.");
        foreach (var a in package.Agencies)
        {
            if (a.Level is not ("province" or "commune")) problems.Add($"Cơ quan {a.Code}: cấp phải là province hoặc commune.");
            if (a.Parent is not null && !agencies.Contains(a.Parent)) problems.Add($"Cơ quan {a.Code}: không có cơ quan cấp trên {a.Parent}.");
        }
        foreach (var dup in package.Fields.GroupBy(f => f.Code).Where(g => g.Count() > 1))
            problems.Add($"Mã lĩnh vực {dup.Key} bị trùng.");
        foreach (var dup in package.Procedures.GroupBy(p => p.NationalCode).Where(g => g.Count() > 1))
            problems.Add($"Mã thủ tục {dup.Key} bị trùng.");

        foreach (var p in package.Procedures)
        {
            var at = $"Thủ tục {p.NationalCode}";
            if (string.IsNullOrWhiteSpace(p.Name)) problems.Add($"{at}: thiếu tên.");
            if (!agencies.Contains(p.Agency)) problems.Add($"{at}: không có cơ quan {p.Agency}.");
            if (!fields.Contains(p.Field)) problems.Add($"{at}: không có lĩnh vực {p.Field}.");
            if (p.Level is not ("province" or "commune")) problems.Add($"{at}: cấp phải là province hoặc commune.");
            if (p.Channels.Count == 0 || p.Channels.Any(c => !ChannelOrder.Contains(c)))
                problems.Add($"{at}: kênh nộp phải là direct, online hoặc postal.");
            if (p.OnlineLevel is not ("full" or "partial" or "none")) problems.Add($"{at}: mức độ trực tuyến phải là full, partial hoặc none.");
            else if ((p.OnlineLevel == "none") == p.Channels.Contains("online"))
                problems.Add($"{at}: thủ tục có kênh trực tuyến khi và chỉ khi có mức độ toàn trình hoặc một phần.");
            if (p.LegacyLevel is < 1 or > 4) problems.Add($"{at}: mức độ cũ phải từ 1 đến 4.");
            foreach (var t in p.ProcessingTimes)
            {
                if (!p.Channels.Contains(t.Channel)) problems.Add($"{at}: thời hạn cho kênh {t.Channel} không có trong danh sách kênh.");
                if (t.Amount <= 0 && t.Unit != "same-day") problems.Add($"{at}: thời hạn giải quyết phải lớn hơn 0.");
                try { DeadlineRule.Create(t.Amount, t.Unit, t.CutOff); }
                catch (DeadlineException e) { problems.Add($"{at}: {e.Message}"); }
            }
            if (p.ProcessingTimes.GroupBy(t => t.Channel).Any(g => g.Count() > 1)) problems.Add($"{at}: một kênh có hai thời hạn.");
            if (p.Fees.Any(f => f.AmountVnd < 0)) problems.Add($"{at}: phí, lệ phí không được âm.");
            if (p.Documents.Any(d => string.IsNullOrWhiteSpace(d.Name))) problems.Add($"{at}: thành phần hồ sơ thiếu tên.");
            if (string.IsNullOrWhiteSpace(p.Decision.Number)) problems.Add($"{at}: thiếu quyết định công bố.");
            if (p.CertifiedCopy && p.CertifiedCopyLine is null)
                problems.Add($"{at}: thủ tục chứng thực bản sao điện tử phải có một thành phần hồ sơ là bản sao (copies > 0, originals = 0) để nhận bản quét.");
        }
        return problems;
    }

    public static Task<Result> ImportAsync(NpgsqlDataSource db, string json, string provinceSuffix, CancellationToken ct) =>
        ImportAsync(db, Parse(json), provinceSuffix, ct);

    public static async Task<Result> ImportAsync(NpgsqlDataSource db, Package package, string provinceSuffix, CancellationToken ct)
    {
        var problems = Validate(package);
        if (problems.Count > 0) throw new CatalogueImportException(problems);

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);

        // Parents first, so each agency's parent id exists when it is written.
        var agencyIds = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var a in package.Agencies.OrderBy(a => a.Parent is null ? 0 : 1))
            agencyIds[a.Code] = await conn.ExecuteScalarAsync<Guid>(UpsertAgencySql, new
            {
                id = Guid.CreateVersion7(), a.Code, a.Name, a.Level, a.Address, a.Phone, a.Email, a.AnyCommune,
                parentCode = a.Parent,
            }, tx);

        var fieldIds = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var f in package.Fields)
            fieldIds[f.Code] = await conn.ExecuteScalarAsync<Guid>(UpsertFieldSql, new { id = Guid.CreateVersion7(), f.Code, f.Name }, tx);

        int added = 0;
        foreach (var p in package.Procedures)
        {
            var code = $"{p.NationalCode}.{provinceSuffix}";
            var procedureId = await conn.ExecuteScalarAsync<Guid>(UpsertProcedureSql, new
            {
                id = Guid.CreateVersion7(), code, p.NationalCode, popularRank = p.Popular > 0 ? (short?)p.Popular : null,
            }, tx);
            var latest = await conn.ExecuteScalarAsync<DateOnly?>(LatestVersionSql, new { procedureId }, tx);
            if (latest is { } l && l >= p.EffectiveFrom) continue;   // already imported (or older than what is stored)

            await conn.ExecuteAsync(CloseCurrentVersionSql, new { procedureId, p.EffectiveFrom }, tx);
            var versionId = Guid.CreateVersion7();
            await conn.ExecuteAsync(InsertVersionSql, new
            {
                id = versionId, procedureId, p.Name, agencyId = agencyIds[p.Agency], fieldId = fieldIds[p.Field], p.Level,
                channels = ChannelOrder.Where(p.Channels.Contains).ToArray(), p.OnlineLevel, p.LegacyLevel,
                subjects = p.Subjects.ToArray(), p.ResultType, legalBasis = p.LegalBasis.ToArray(),
                stepsMd = p.Steps, requirementsMd = p.Requirements, descriptionMd = p.Description,
                decisionNumber = p.Decision.Number, decisionDate = p.Decision.Date, p.EffectiveFrom, certifiedCopyLine = p.CertifiedCopyLine,
            }, tx);
            await conn.ExecuteAsync(InsertTimeSql, p.ProcessingTimes.Select(t => new { versionId, t.Channel, t.Amount, t.Unit, t.Note, t.CutOff }), tx);
            await conn.ExecuteAsync(InsertFeeSql, p.Fees.Select((f, i) => new { versionId, lineNo = (short)(i + 1), f.Description, f.AmountVnd }), tx);
            await conn.ExecuteAsync(InsertDocumentSql, p.Documents.Select((d, i) => new
            {
                versionId, lineNo = (short)(i + 1), d.Name, d.Originals, d.Copies, d.Required, templateFile = d.Template, d.MustBeSigned,
            }), tx);
            added++;
        }

        await CatalogueCache.BumpVersionAsync(conn, tx);   // agencies or fields may have changed even when no version was added
        await tx.CommitAsync(ct);
        return new Result(agencyIds.Count, fieldIds.Count, added);
    }

    const string UpsertAgencySql = """
        INSERT INTO portal.agency AS a (id, code, name, level, parent_id, address, phone, email, any_commune)
        VALUES (@id, @code, @name, @level, (SELECT id FROM portal.agency WHERE code = @parentCode), @address, @phone, @email, @anyCommune)
        ON CONFLICT (code) DO UPDATE
           SET name = EXCLUDED.name, level = EXCLUDED.level, parent_id = EXCLUDED.parent_id,
               address = EXCLUDED.address, phone = EXCLUDED.phone, email = EXCLUDED.email, any_commune = EXCLUDED.any_commune
        RETURNING a.id
        """;

    const string UpsertFieldSql = """
        INSERT INTO portal.field AS f (id, code, name) VALUES (@id, @code, @name)
        ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name
        RETURNING f.id
        """;

    const string UpsertProcedureSql = """
        INSERT INTO portal.procedure AS p (id, code, national_code, popular_rank)
        VALUES (@id, @code, @nationalCode, @popularRank)
        ON CONFLICT (code) DO UPDATE SET popular_rank = EXCLUDED.popular_rank
        RETURNING p.id
        """;

    const string LatestVersionSql = "SELECT max(effective_from) FROM portal.procedure_version WHERE procedure_id = @procedureId";

    const string CloseCurrentVersionSql = """
        UPDATE portal.procedure_version
           SET effective_to = @effectiveFrom
         WHERE procedure_id = @procedureId AND (effective_to IS NULL OR effective_to > @effectiveFrom)
        """;

    const string InsertVersionSql = """
        INSERT INTO portal.procedure_version
               (id, procedure_id, name, agency_id, field_id, level, channels, online_level, legacy_level, subjects,
                result_type, legal_basis, steps_md, requirements_md, description_md, decision_number, decision_date,
                effective_from, certified_copy_line)
        VALUES (@id, @procedureId, @name, @agencyId, @fieldId, @level, @channels, @onlineLevel, @legacyLevel, @subjects,
                @resultType, @legalBasis, @stepsMd, @requirementsMd, @descriptionMd, @decisionNumber, @decisionDate,
                @effectiveFrom, @certifiedCopyLine)
        """;

    const string InsertTimeSql = """
        INSERT INTO portal.procedure_processing_time (version_id, channel, amount, unit, note, cut_off)
        VALUES (@versionId, @channel, @amount, @unit, @note, @cutOff)
        """;

    const string InsertFeeSql = """
        INSERT INTO portal.procedure_fee (version_id, line_no, description, amount_vnd)
        VALUES (@versionId, @lineNo, @description, @amountVnd)
        """;

    const string InsertDocumentSql = """
        INSERT INTO portal.procedure_document (version_id, line_no, name, originals, copies, required, template_file, must_be_signed)
        VALUES (@versionId, @lineNo, @name, @originals, @copies, @required, @templateFile, @mustBeSigned)
        """;
}
