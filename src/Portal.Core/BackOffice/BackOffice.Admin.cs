using Dapper;
using Portal.Core.Deadlines;
using Portal.Core.Dossiers;

namespace Portal.Core.BackOffice;

/// <summary>A procedure version as the workflow editor lists it.</summary>
public sealed record WorkflowVersion
{
    public Guid VersionId { get; init; }
    public string ProcedureCode { get; init; } = "";
    public string Name { get; init; } = "";
    public string AgencyName { get; init; } = "";
    public DateOnly EffectiveFrom { get; init; }
    public bool Custom { get; init; }
}

/// <summary>One line of the tracking book (Sổ theo dõi hồ sơ, §4.8).</summary>
public sealed record TrackingBookRow
{
    public string Code { get; init; } = "";
    public string ProcedureName { get; init; } = "";
    public string? ApplicantName { get; init; }
    public string? Phone { get; init; }
    public string Channel { get; init; } = "";
    public DateTimeOffset? ReceivedAt { get; init; }
    public DateTimeOffset? OriginalDueAt { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public string? ForwardedTo { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public short Status { get; init; }
    public DateTimeOffset? ReturnedAt { get; init; }
    public string? ReturnedTo { get; init; }
    public string? ReturnMethod { get; init; }
    public bool Apologised { get; init; }

    /// <summary>Sớm hạn / Đúng hạn / Trễ hạn against the due held to (the apology's if one was issued); empty while open.</summary>
    public string Outcome => FinishedAt is { } f && DueAt is { } due
        ? f > due ? "Trễ hạn" : LegalTime.DateOf(f) < LegalTime.DateOf(due) ? "Sớm hạn" : "Đúng hạn"
        : "";
    public string StatusName => DossierStatus.Name(Status);
}

/// <summary>Counter (channel direct) and postal (channel postal) intake: what the officer types from the paper dossier.</summary>
public sealed record IntakeInput
{
    public string ProcedureCode { get; init; } = "";
    /// <summary>direct (counter: received at once, status 2) or postal (status 1, then received like an online dossier).</summary>
    public string Channel { get; init; } = "direct";
    public ApplicantAnswers Applicant { get; init; } = new();
    /// <summary>counter, post or online.</summary>
    public string DeliveryMethod { get; init; } = "counter";
    /// <summary>Postal intake: the waybill number of the parcel.</summary>
    public string? Waybill { get; init; }
    /// <summary>The procedure's documents (line numbers) received on paper.</summary>
    public IReadOnlyList<short> DocumentsReceived { get; init; } = [];
}

public abstract record IntakeOutcome
{
    public sealed record Created(string Code, short Status) : IntakeOutcome;
    public sealed record Invalid(IReadOnlyList<FieldError> Problems) : IntakeOutcome;
}

public sealed partial class BackOffice
{
    // ---- workflow editor (administrators) ----

    const string VersionSelect = """
        SELECT v.id AS version_id, p.code AS procedure_code, v.name, a.name AS agency_name, v.effective_from,
               EXISTS (SELECT 1 FROM portal.workflow_steps w WHERE w.version_id = v.id) AS custom
          FROM portal.procedure_version v JOIN portal.procedure p ON p.id = v.procedure_id JOIN portal.agency a ON a.id = v.agency_id
        """;

    public async Task<IReadOnlyList<WorkflowVersion>> WorkflowVersionsAsync(string? search, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return [.. await conn.QueryAsync<WorkflowVersion>(new CommandDefinition(VersionSelect + """
             WHERE (v.effective_to IS NULL OR v.effective_to > current_date)
               AND (@search::text IS NULL OR v.search_name LIKE '%' || portal.fold(@search) || '%' OR p.code LIKE @search || '%')
             ORDER BY v.name LIMIT 200
            """, new { search = string.IsNullOrWhiteSpace(search) ? null : search.Trim() }, cancellationToken: ct))];
    }

    /// <summary>A version's workflow (custom or default), its legal time, and what the editor says about it.</summary>
    public async Task<(WorkflowVersion Version, DeadlineRule Legal, IReadOnlyList<WorkflowStep> Steps, IReadOnlyList<string> Problems)?> WorkflowAsync(Guid versionId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var v = await conn.QuerySingleOrDefaultAsync<(Guid AgencyId, string Code, string Name, bool AnyCommune)?>(new CommandDefinition("""
            SELECT a.id, a.code, a.name, a.any_commune FROM portal.procedure_version v JOIN portal.agency a ON a.id = v.agency_id WHERE v.id = @versionId
            """, new { versionId }, cancellationToken: ct));
        if (v is not { } agency) return null;
        var version = await conn.QuerySingleAsync<WorkflowVersion>(new CommandDefinition(VersionSelect + " WHERE v.id = @versionId",
            new { versionId }, cancellationToken: ct));
        var (legal, steps) = await WorkflowAsync(conn, null, versionId, agency.AgencyId, agency.Code, agency.Name, agency.AnyCommune, ct);
        return (version, legal, steps, Workflow.Check(steps, legal));
    }

    /// <summary>
    /// Replaces a version's workflow. Saved even when the budgets do not add up to the legal time (the editor shows the
    /// warning, an administrator may be mid-way); refused when the steps themselves are malformed. Agencies by code.
    /// Dossiers already in processing keep their step numbers; a removed step ends at its next hand-over.
    /// </summary>
    public async Task<IReadOnlyList<string>> SaveWorkflowAsync(Guid versionId, IReadOnlyList<WorkflowStep> steps, string actor, CancellationToken ct)
    {
        if (Workflow.Shape(steps) is { Count: > 0 } shape) return shape;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var resolved = new List<(WorkflowStep Step, Guid? AgencyId)>();
        foreach (var s in steps)
        {
            Guid? agencyId = null;
            if (s.AgencyCode is { Length: > 0 } code)
            {
                agencyId = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(
                    "SELECT id FROM portal.agency WHERE code = @code", new { code }, tx, cancellationToken: ct));
                if (agencyId is null) return [$"Bước {s.Step}: không có cơ quan mã “{code}”."];
            }
            resolved.Add((s, agencyId));
        }
        await conn.ExecuteAsync(new CommandDefinition("DELETE FROM portal.workflow_steps WHERE version_id = @versionId", new { versionId }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO portal.workflow_steps (version_id, step, name, agency_id, role, amount, unit, actions, updated_at, updated_by)
            VALUES (@versionId, @step, @name, @agencyId, @role, @amount, @unit, @actions, now(), @actor)
            """, resolved.Select(r => new
        {
            versionId, step = (short)r.Step.Step, name = r.Step.Name.Trim(), r.AgencyId, r.Step.Role, r.Step.Amount, r.Step.Unit,
            actions = r.Step.Actions, actor,
        }), tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return [];
    }

    // ---- tracking book ----

    /// <summary>The tracking book of the user's units (or one of them) for dossiers received in [from, to] (local dates).</summary>
    public async Task<IReadOnlyList<TrackingBookRow>> TrackingBookAsync(StaffUser user, string? unitCode, DateOnly from, DateOnly to,
        short? status, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        if (await UnitsAsync(conn, user, unitCode, ct) is not { } filter) return [];
        var (units, everything) = filter;
        var sql = """
            SELECT d.code, v.name AS procedure_name, d.applicant_name, d.lookup_phone AS phone, d.channel, d.received_at,
                   d.original_due_at, d.due_at,
                   (SELECT string_agg(DISTINCT t.name, ', ') FROM portal.dossier_history h JOIN portal.agency t ON t.code = h.to_agency_code
                     WHERE h.dossier_id = d.id AND h.action IN ('forward', 'transfer')) AS forwarded_to,
                   d.finished_at, d.status, d.returned_at, d.returned_to, d.return_method,
                   EXISTS (SELECT 1 FROM portal.dossier_deadline_extensions e WHERE e.dossier_id = d.id) AS apologised
              FROM portal.dossiers d JOIN portal.procedure_version v ON v.id = d.version_id
             WHERE d.received_at >= @start AND d.received_at < @end
            """
            + (everything ? "" : " AND d.receiving_agency_id = ANY (@units)")
            + (status is { } ? " AND d.status = @status" : "")
            + " ORDER BY d.received_at, d.code LIMIT @limit";
        return [.. await conn.QueryAsync<TrackingBookRow>(new CommandDefinition(sql, new
        {
            units, status, limit,
            start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), LegalTime.Offset).ToUniversalTime(),
            end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), LegalTime.Offset).ToUniversalTime(),
        }, cancellationToken: ct))];
    }
}
