using Dapper;
using Npgsql;
using Portal.Core.Deadlines;
using Portal.Core.Dossiers;

namespace Portal.Core.BackOffice;

/// <summary>A line of a staff list (inbox, processing, late risk, tracking book).</summary>
public sealed record OfficeListItem
{
    public Guid Id { get; init; }
    public string Code { get; init; } = "";
    public string ProcedureName { get; init; } = "";
    public string? ApplicantName { get; init; }
    public short Status { get; init; }
    public string? SubState { get; init; }
    public string Channel { get; init; } = "";
    public DateTimeOffset? SubmittedAt { get; init; }
    public DateTimeOffset? ReceivedAt { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public DateTimeOffset? OriginalDueAt { get; init; }
    public DateTimeOffset? StepDueAt { get; init; }
    public DateTimeOffset? RiskAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DateTimeOffset? ReturnedAt { get; init; }
    public string? ReturnedTo { get; init; }
    public string? HolderName { get; init; }
    public string? ReceivingName { get; init; }
    public short? Step { get; init; }
    public string? AssigneeName { get; init; }
    public string StatusName => DossierStatus.Name(Status);
}

/// <summary>One history row as staff see it, with the control-slip columns.</summary>
public sealed record OfficeHistoryEntry
{
    public int Seq { get; init; }
    public DateTimeOffset At { get; init; }
    public string Action { get; init; } = "";
    public short? FromStatus { get; init; }
    public short ToStatus { get; init; }
    public string Actor { get; init; } = "";
    public string? ActorName { get; init; }
    public string? AgencyCode { get; init; }
    public string? AgencyName { get; init; }
    public string? Note { get; init; }
    public short? Step { get; init; }
    public short? ToStep { get; init; }
    public string? ToAgencyCode { get; init; }
    public string? ToAgencyName { get; init; }
    public string? Receiver { get; init; }
    public string? Outcome { get; init; }

    public string ActionName => StaffActions.Find(Action)?.Name ?? Action switch
    {
        "submit" => "Nộp hồ sơ trực tuyến",
        "intake" => "Tiếp nhận trực tiếp",
        "postal-intake" => "Nhận hồ sơ qua bưu chính",
        "resubmit" => "Công dân nộp bổ sung",
        "withdraw" => "Công dân yêu cầu rút hồ sơ",
        "add-scan" => "Tải bản quét bản chính",
        "remove-scan" => "Gỡ bản quét",
        "copy-count" => "Ghi số bản sao",
        _ => Action,
    };

    /// <summary>A hand-over row of the control slip (§4.7).</summary>
    public bool IsHandOver => Action is "forward" or "transfer" or "return-to-previous" or "done" or "receive" or "intake" or "return-result";
    public string OutcomeName => BackOffice.OutcomeName(Outcome);
    public string Who => ActorName is { } n ? $"{n} ({Actor.Replace("staff:", "", StringComparison.Ordinal)})"
        : Actor.StartsWith("applicant:", StringComparison.Ordinal) ? "Người nộp hồ sơ"
        : Actor == "system" ? "Hệ thống (tự động)" : Actor;
}

public sealed record ResultDocument
{
    public short N { get; init; }
    public string Code { get; init; } = "";
    public string Title { get; init; } = "";
    public string FileName { get; init; } = "";
    public string Sha256 { get; init; } = "";
    public long Size { get; init; }
    public string MediaType { get; init; } = "";
    public bool SignedByPortal { get; init; }
    public DateTimeOffset AddedAt { get; init; }
}

public sealed record IssuedForm
{
    public Guid Id { get; init; }
    public string Kind { get; init; } = "";
    /// <summary>Null until the PDF is first drawn (<see cref="BackOffice.FormFileAsync"/>).</summary>
    public string? Sha256 { get; init; }
    public DateTimeOffset IssuedAt { get; init; }
    public string IssuedBy { get; init; } = "";
    public string Name => BackOffice.FormReason(Kind);
}

public sealed record ApologyDraft
{
    public string AgencyCode { get; init; } = "";
    public string AgencyName { get; init; } = "";
    public string Reason { get; init; } = "";
    public DateTimeOffset CurrentDue { get; init; }
    public DateTimeOffset NewDue { get; init; }
    public string RulesVersion { get; init; } = "";
    public DateTimeOffset DraftedAt { get; init; }
    public string DraftedBy { get; init; } = "";
    public DateTimeOffset? ApprovedAt { get; init; }
    public string? ApprovedBy { get; init; }
}

public sealed record OfficeFile
{
    public Guid Id { get; init; }
    public short LineNo { get; init; }
    public string DocumentName { get; init; } = "";
    public string FileName { get; init; } = "";
    public long Size { get; init; }
    public string MediaType { get; init; } = "";
    public string? Indication { get; init; }
    public int? Pages { get; init; }
    public int? ScanDpi { get; init; }
}

/// <summary>A dossier as a staff member sees it: everything, and what they may do now.</summary>
public sealed record OfficeDossier
{
    public required OfficeListItem Item { get; init; }
    public required int RowVersion { get; init; }
    public required string? DeliveryMethod { get; init; }
    public required DossierAnswers Answers { get; init; }
    public required string ProcedureCode { get; init; }
    public required string ReceivingName { get; init; }
    public required string? HolderCode { get; init; }
    public required DateTimeOffset? ApprovedAt { get; init; }
    public required string? ReturnMethod { get; init; }
    public required IReadOnlyList<WorkflowStep> Workflow { get; init; }
    public required IReadOnlyList<OfficeHistoryEntry> History { get; init; }
    public required IReadOnlyList<ResultDocument> Results { get; init; }
    public required IReadOnlyList<IssuedForm> Forms { get; init; }
    public required IReadOnlyList<SupplementRequest> Requests { get; init; }
    public required IReadOnlyList<OfficeFile> Files { get; init; }
    public required ApologyDraft? Apology { get; init; }
    public required ClockSummary? Clock { get; init; }
    public required IReadOnlyList<StaffAction> Actions { get; init; }
    public required IReadOnlyList<(string Login, string Name)> Specialists { get; init; }
    /// <summary>The electronic certified copy, for procedures that issue one (DOMAIN.md §8); null otherwise.</summary>
    public OfficeCopy? Copy { get; init; }

    public string Code => Item.Code;
    public short Status => Item.Status;
    public WorkflowStep? CurrentStep => Item.Step is { } s ? Workflow.FirstOrDefault(w => w.Step == s) : null;
    public bool Can(string action) => Actions.Any(a => a.Key == action);
}

public sealed partial class BackOffice
{
    const string ListSelect = """
        SELECT d.id, d.code, v.name AS procedure_name, d.applicant_name, d.status, d.sub_state, d.channel, d.submitted_at,
               d.received_at, d.due_at, d.original_due_at, d.step_due_at, d.risk_at, d.finished_at, d.returned_at, d.returned_to,
               h.name AS holder_name, r.name AS receiving_name, d.step, s.display_name AS assignee_name
          FROM portal.dossiers d
          JOIN portal.procedure_version v ON v.id = d.version_id
          JOIN portal.agency r ON r.id = d.receiving_agency_id
          LEFT JOIN portal.agency h ON h.id = d.holder_agency_id
          LEFT JOIN portal.staff_accounts s ON s.id = d.assignee_id
        """;

    public const int PageSize = 50;

    /// <summary>Online and postal dossiers waiting for reception (status 1) at the user's units, oldest first.</summary>
    public async Task<IReadOnlyList<OfficeListItem>> InboxAsync(StaffUser user, int page, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var scope = await ScopeAsync(conn, null, user, ct);
        var sql = ListSelect + (scope.Everything ? " WHERE d.status = 1" : " WHERE d.status = 1 AND d.receiving_agency_id = ANY (@units)")
                  + " ORDER BY d.submitted_at, d.id LIMIT @limit OFFSET @offset";
        return [.. await conn.QueryAsync<OfficeListItem>(new CommandDefinition(sql,
            new { units = scope.Units, limit = PageSize, offset = Math.Max(0, page - 1) * PageSize }, cancellationToken: ct))];
    }

    /// <summary>Dossiers held by the user's units, by status (null: every open status 2–9), optionally one unit, soonest due first.</summary>
    public async Task<IReadOnlyList<OfficeListItem>> ListAsync(StaffUser user, short? status, string? unitCode, bool mine, int page, CancellationToken ct)
    {
        // Before opening a connection: InboxAsync opens its own, and a request must never hold one while waiting for another.
        if (status == DossierStatus.Submitted)
            return await InboxAsync(user, page, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        if (await UnitsAsync(conn, user, unitCode, ct) is not { } filter) return [];
        var (units, everything) = filter;
        var sql = ListSelect + " WHERE "
                  + (everything ? "true" : "d.holder_agency_id = ANY (@units)")
                  + (status is { } ? " AND d.status = @status" : " AND d.status BETWEEN 2 AND 9")
                  + (mine ? " AND d.assignee_id = @me" : "")
                  + " ORDER BY d.due_at NULLS LAST, d.id LIMIT @limit OFFSET @offset";
        return [.. await conn.QueryAsync<OfficeListItem>(new CommandDefinition(sql,
            new { units, status, me = user.Id, limit = PageSize, offset = Math.Max(0, page - 1) * PageSize }, cancellationToken: ct))];
    }

    /// <summary>
    /// The units a list covers: the user's (everything for a supervisor), or the one unit asked for when it is among
    /// them; null when it is not (the list is then empty).
    /// </summary>
    async Task<(Guid[] Units, bool Everything)?> UnitsAsync(NpgsqlConnection conn, StaffUser user, string? unitCode, CancellationToken ct)
    {
        var scope = await ScopeAsync(conn, null, user, ct);
        if (unitCode is not { Length: > 0 }) return (scope.Units, scope.Everything);
        var unit = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition("SELECT id FROM portal.agency WHERE code = @unitCode", new { unitCode }, cancellationToken: ct));
        return unit is { } u && scope.Covers(u) ? ([u], false) : null;
    }

    /// <summary>
    /// "Nguy cơ trễ hạn": dossiers in processing at the user's units whose time left is already below what the later
    /// steps need (risk_at, kept by every transition from the ledger), soonest due first.
    /// </summary>
    public async Task<IReadOnlyList<OfficeListItem>> LateRiskAsync(StaffUser user, int page, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var scope = await ScopeAsync(conn, null, user, ct);
        var sql = ListSelect + " WHERE d.status IN (2, 4) AND d.risk_at <= @now"
                  + (scope.Everything ? "" : " AND d.holder_agency_id = ANY (@units)")
                  + " ORDER BY d.due_at, d.id LIMIT @limit OFFSET @offset";
        return [.. await conn.QueryAsync<OfficeListItem>(new CommandDefinition(sql,
            new { units = scope.Units, now = clock.GetUtcNow(), limit = PageSize, offset = Math.Max(0, page - 1) * PageSize }, cancellationToken: ct))];
    }

    const string HistorySelect = """
        SELECT h.seq, h.at, h.action, h.from_status, h.to_status, h.actor, s.display_name AS actor_name, h.agency_code,
               a.name AS agency_name, h.note, h.step, h.to_step, h.to_agency_code, t.name AS to_agency_name, h.receiver, h.outcome
          FROM portal.dossier_history h
          LEFT JOIN portal.agency a ON a.code = h.agency_code
          LEFT JOIN portal.agency t ON t.code = h.to_agency_code
          LEFT JOIN portal.staff_accounts s ON h.actor = 'staff:' || s.login
         WHERE h.dossier_id = @id ORDER BY h.seq
        """;

    /// <summary>The dossier for a staff page or the staff API; null when not visible to the user (404). Each read is logged.</summary>
    public async Task<OfficeDossier?> ViewAsync(StaffUser user, string code, string via, CancellationToken ct)
    {
        if (await KeyAsync(code, ct) is not { } k) return null;
        var calendar = await calendars.CalendarAsync(k.AgencyCode, ct);

        await using var conn = await db.OpenConnectionAsync(ct);
        var d = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(RowSelect + " WHERE d.code = @code AND d.status > 0", new { code }, cancellationToken: ct));
        if (d is null) return null;
        var scope = await ScopeAsync(conn, null, user, ct);
        if (!await VisibleAsync(conn, null, d, scope, ct)) return null;
        var now = clock.GetUtcNow();
        await conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO portal.dossier_reads (dossier_id, at, staff_id, via) VALUES (@id, @now, @staff, @via)",
            new { id = d.Id, now, staff = user.Id, via }, cancellationToken: ct));

        var (legal, steps) = await WorkflowAsync(conn, null, d, ct);
        var segments = await ClockLedgerStore.LoadAsync(conn, d.Id);
        var extension = await ClockLedgerStore.LoadExtensionAsync(conn, d.Id);
        ClockSummary? summary = null;
        if (segments.Count > 0)
        {
            // A finished dossier's clock ends at its last segment.
            var ledger = new ClockLedger(legal, Workflow.Budgets(steps, d.ReceivingCode), segments, extension,
                d.Finished && segments[^1].End is { } end ? end : null);
            summary = ledger.Compute(calendar, now);
        }
        await using var batch = await conn.QueryMultipleAsync(new CommandDefinition(
            ListSelect + " WHERE d.id = @id;\n" + HistorySelect + ";\n" + """
            SELECT n, code, title, file_name, sha256, size, media_type, signed_by_portal, added_at FROM portal.dossier_results WHERE dossier_id = @id ORDER BY n;
            SELECT id, kind, sha256, issued_at, issued_by FROM portal.dossier_forms WHERE dossier_id = @id ORDER BY issued_at, id;
            SELECT ap.agency_code, a.name AS agency_name, ap.reason, ap.current_due, ap.new_due, ap.rules_version, ap.drafted_at, ap.drafted_by,
                   ap.approved_at, ap.approved_by
              FROM portal.dossier_apologies ap JOIN portal.agency a ON a.code = ap.agency_code WHERE ap.dossier_id = @id;
            SELECT f.id, f.line_no, pd.name AS document_name, f.file_name, f.size, f.media_type, r.indication, f.pages, f.scan_dpi
              FROM portal.dossier_files f
              JOIN portal.dossiers d ON d.id = f.dossier_id
              LEFT JOIN portal.procedure_document pd ON pd.version_id = d.version_id AND pd.line_no = f.line_no
              LEFT JOIN portal.signature_reports r ON r.id = f.signature_report_id
             WHERE f.dossier_id = @id AND f.removed_at IS NULL ORDER BY f.line_no, f.uploaded_at;
            SELECT s.login, s.display_name FROM portal.staff_accounts s JOIN portal.agency a ON a.code = s.agency_code
             WHERE a.id = @holder AND 'specialist' = ANY (s.roles) ORDER BY s.display_name
            """, new { id = d.Id, holder = d.Holder }, cancellationToken: ct));
        var item = await batch.ReadSingleAsync<OfficeListItem>();
        var history = (await batch.ReadAsync<OfficeHistoryEntry>()).ToList();
        var results = (await batch.ReadAsync<ResultDocument>()).ToList();
        var forms = (await batch.ReadAsync<IssuedForm>()).ToList();
        var apology = await batch.ReadSingleOrDefaultAsync<ApologyDraft>();
        var fileRows = (await batch.ReadAsync<OfficeFile>()).ToList();
        var specialists = (await batch.ReadAsync<(string, string)>()).ToList();
        var requests = (await conn.QueryAsync<RequestView>(new CommandDefinition(
            "SELECT id, requested_at, at_reception, items::text AS items, note, answered_at FROM portal.supplement_requests WHERE dossier_id = @id ORDER BY requested_at",
            new { id = d.Id }, cancellationToken: ct))).Select(r => r.ToRequest()).ToList();

        var current = d.Step is { } st ? steps.FirstOrDefault(s => s.Step == st) : null;
        var actions = user.IsSupervisor || !scope.Covers(d.Holder)
            ? []
            : StaffActions.All.Where(a => a.AllowedFrom(d.Status) && user.HasAny(a.Roles)
                && !(a.StepBound && d.Status == DossierStatus.Processing && current is not null && !current.Allows(a.Key))).ToList();
        return new OfficeDossier
        {
            Item = item, RowVersion = d.RowVersion, DeliveryMethod = d.DeliveryMethod, Answers = d.Answers, ProcedureCode = d.ProcedureCode,
            ReceivingName = d.ReceivingName, HolderCode = d.HolderCode, ApprovedAt = d.ApprovedAt, ReturnMethod = d.ReturnMethod,
            Workflow = steps, History = history, Results = results, Forms = forms, Requests = requests, Files = fileRows, Apology = apology,
            Clock = summary, Actions = actions, Specialists = specialists,
            Copy = await CopyViewAsync(conn, d, fileRows, user, scope, ct),
        };
    }

    sealed record RequestView
    {
        public Guid Id { get; init; }
        public DateTimeOffset RequestedAt { get; init; }
        public bool AtReception { get; init; }
        public string Items { get; init; } = "[]";
        public string? Note { get; init; }
        public DateTimeOffset? AnsweredAt { get; init; }

        public SupplementRequest ToRequest() => new()
        {
            Id = Id, RequestedAt = RequestedAt, AtReception = AtReception, Note = Note, AnsweredAt = AnsweredAt,
            Items = System.Text.Json.JsonSerializer.Deserialize<List<SupplementItem>>(Items, Json) ?? [],
        };
    }

    /// <summary>A form, result or submitted file of a dossier the user may see; null otherwise.</summary>
    public async Task<(string Sha256, string MediaType, string FileName)?> DocumentAsync(StaffUser user, string code, string kind, Guid? id, short? n, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var d = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(RowSelect + " WHERE d.code = @code AND d.status > 0", new { code }, cancellationToken: ct));
        if (d is null) return null;
        var scope = await ScopeAsync(conn, null, user, ct);
        if (!await VisibleAsync(conn, null, d, scope, ct)) return null;
        return kind switch
        {
            "form" => await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT kind FROM portal.dossier_forms WHERE id = @id AND dossier_id = @dossier", new { id, dossier = d.Id }, cancellationToken: ct)) is { } formKind
                && await FormFileAsync(id!.Value, ct) is { } sha
                ? (sha, "application/pdf", $"{formKind}-{code}.pdf")
                : null,
            "result" => await conn.QuerySingleOrDefaultAsync<(string, string, string)?>(new CommandDefinition(
                "SELECT sha256, media_type, file_name FROM portal.dossier_results WHERE n = @n AND dossier_id = @dossier",
                new { n, dossier = d.Id }, cancellationToken: ct)),
            "file" => await conn.QuerySingleOrDefaultAsync<(string, string, string)?>(new CommandDefinition(
                "SELECT sha256, media_type, file_name FROM portal.dossier_files WHERE id = @id AND dossier_id = @dossier",
                new { id, dossier = d.Id }, cancellationToken: ct)),
            _ => null,
        };
    }
}
