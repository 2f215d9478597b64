using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using Npgsql;
using Portal.Core.Deadlines;
using Portal.Core.Documents;
using Portal.Core.Dossiers;
using Portal.Core.Dossiers.Forms;
using Portal.Core.Signatures;

namespace Portal.Core.BackOffice;

/// <summary>What the forms need from the site: the province for the place line, the hotline, the demo marker.</summary>
public sealed record FormSite(string ProvinceName, string Hotline, string? DemoMarker);

/// <summary>The answer to a staff action. Refused and Conflict are 409 in the API, Forbidden 403, NotFound 404.</summary>
public abstract record ActionOutcome
{
    public sealed record Done(short Status, string Message) : ActionOutcome;
    /// <summary>Illegal from the dossier's state (a rule), with the reason.</summary>
    public sealed record Refused(string Message) : ActionOutcome;
    /// <summary>Somebody else changed the dossier since the user looked (optimistic concurrency).</summary>
    public sealed record Conflict(string Message) : ActionOutcome;
    /// <summary>The user may see the dossier but their role may not take this action.</summary>
    public sealed record Forbidden(string Message) : ActionOutcome;
    /// <summary>The input is wrong; the problems are per field.</summary>
    public sealed record Invalid(IReadOnlyList<FieldError> Problems) : ActionOutcome;
    public sealed record NotFound : ActionOutcome;
}

/// <summary>The input of an action: what the page's form or the API's JSON body carries. Each action reads what it needs.</summary>
public sealed record ActionInput
{
    /// <summary>The dossier version the user saw; a different current version is a conflict. Null: not checked (API without If-Match).</summary>
    public int? ExpectedVersion { get; init; }
    public string? Reason { get; init; }
    public string? Note { get; init; }
    public IReadOnlyList<SupplementItem>? Items { get; init; }
    /// <summary>assign: the specialist's login.</summary>
    public string? Assignee { get; init; }
    /// <summary>return-result: counter, post or online.</summary>
    public string? Method { get; init; }
    /// <summary>return-result at the counter: who collected it.</summary>
    public string? ReceivedBy { get; init; }
    public string? Waybill { get; init; }
    public long? AmountVnd { get; init; }
    /// <summary>draft-apology: the new appointment; computed by the deadline engine when absent.</summary>
    public DateTimeOffset? NewDue { get; init; }
    /// <summary>add-result: the result document's title, e.g. "Giấy khai sinh".</summary>
    public string? Title { get; init; }
}

/// <summary>A result document being added: already in the file store.</summary>
public sealed record ResultFile(StoredFile File, string FileName);

/// <summary>
/// The one-stop back office (DOMAIN.md §3.4): every staff action is one method call that checks scope, role, state
/// and the version the user saw, then writes the status, the history row (with the control-slip columns), the clock
/// ledger change, the issued form and the outbox message in one transaction.
/// </summary>
public sealed partial class BackOffice(NpgsqlDataSource db, FileStore files, CalendarStore calendars, TimeProvider clock,
    SigningKeys keys, PadesSigner signer, FormSite site)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    readonly ConcurrentDictionary<string, Lazy<SigningKey?>> signingKeys = new(StringComparer.Ordinal);

    // ---- scope ----

    const string ScopeSql = """
        WITH RECURSIVE home AS (
            SELECT id, code, level FROM portal.agency WHERE code = @agency
        ), units AS (
            SELECT id, code FROM home
            UNION ALL
            SELECT a.id, a.code FROM portal.agency a JOIN units u ON a.parent_id = u.id
        )
        SELECT id, code FROM units
        UNION
        SELECT id, code FROM portal.agency WHERE any_commune AND EXISTS (SELECT 1 FROM home WHERE level = 'commune')
        """;

    /// <summary>
    /// The lists' scope, kept per home unit for a minute: the agency tree changes with a catalogue import, a few times
    /// a year, and the lists are the hottest staff pages. Actions read the scope fresh with the dossier they lock.
    /// </summary>
    readonly ConcurrentDictionary<string, (DateTimeOffset At, StaffScope Scope)> scopes = new(StringComparer.Ordinal);
    static readonly TimeSpan ScopeLifetime = TimeSpan.FromMinutes(1);

    async Task<StaffScope> ScopeAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, StaffUser user, CancellationToken ct)
    {
        if (user.IsSupervisor) return new StaffScope([], [], true);
        if (user.AgencyCode is not { } agency) return new StaffScope([], [], false);
        var now = clock.GetUtcNow();
        if (scopes.TryGetValue(agency, out var cached) && now - cached.At < ScopeLifetime && now >= cached.At) return cached.Scope;
        var rows = (await conn.QueryAsync<(Guid Id, string Code)>(new CommandDefinition(ScopeSql, new { agency }, tx, cancellationToken: ct))).ToList();
        var scope = new StaffScope([.. rows.Select(r => r.Id)], [.. rows.Select(r => r.Code)], false);
        scopes[agency] = (now, scope);
        return scope;
    }

    // ---- the dossier as an action sees it ----

    sealed record Row
    {
        public Guid Id { get; init; }
        public string Code { get; init; } = "";
        public short Status { get; init; }
        public string? SubState { get; init; }
        public int RowVersion { get; init; }
        public short? Step { get; init; }
        public Guid VersionId { get; init; }
        public string Channel { get; init; } = "";
        public string? DeliveryMethod { get; init; }
        public Guid? ApplicantId { get; init; }
        public DossierAnswers Answers { get; init; } = new();
        public DateTimeOffset? SubmittedAt { get; init; }
        public DateTimeOffset? ReceivedAt { get; init; }
        public DateTimeOffset? DueAt { get; init; }
        public DateTimeOffset? OriginalDueAt { get; init; }
        public DateTimeOffset? ApprovedAt { get; init; }
        public Guid? AssigneeId { get; init; }
        public Guid ReceivingId { get; init; }
        public string ReceivingCode { get; init; } = "";
        public string ReceivingName { get; init; } = "";
        public bool ReceivingAnyCommune { get; init; }
        public Guid? HolderId { get; init; }
        public string? HolderCode { get; init; }
        public string? HolderName { get; init; }
        public string ProcedureCode { get; init; } = "";
        public string ProcedureName { get; init; } = "";
        public Guid VersionAgencyId { get; init; }
        public string VersionAgencyCode { get; init; } = "";
        public string VersionAgencyName { get; init; } = "";
        public bool VersionAgencyAnyCommune { get; init; }
        public bool Finished { get; init; }
        public string? ReturnMethod { get; init; }
        /// <summary>The document holding the scans when the procedure issues electronic certified copies (DOMAIN.md §8).</summary>
        public short? CertifiedCopyLine { get; init; }

        /// <summary>The unit that holds the dossier now: the holder once received, the receiving unit before.</summary>
        public Guid Holder => HolderId ?? ReceivingId;
        public string HolderCodeOrReceiving => HolderCode ?? ReceivingCode;
        public string? Email => Answers.Applicant is { Email: { Length: > 0 } e } ? e : null;
        public string ApplicantName => Answers.Applicant?.FullName ?? "";
    }

    const string RowSelect = """
        SELECT d.id, d.code, d.status, d.sub_state, d.row_version, d.step, d.version_id, d.channel, d.delivery_method,
               d.applicant_id, d.answers::text AS answers, d.submitted_at, d.received_at, d.due_at, d.original_due_at,
               d.approved_at, d.assignee_id, d.finished_at IS NOT NULL AS finished, d.return_method,
               r.id AS receiving_id, r.code AS receiving_code, r.name AS receiving_name, r.any_commune AS receiving_any_commune,
               h.id AS holder_id, h.code AS holder_code, h.name AS holder_name,
               p.code AS procedure_code, v.name AS procedure_name,
               va.id AS version_agency_id, va.code AS version_agency_code, va.name AS version_agency_name,
               va.any_commune AS version_agency_any_commune, v.certified_copy_line
          FROM portal.dossiers d
          JOIN portal.agency r ON r.id = d.receiving_agency_id
          LEFT JOIN portal.agency h ON h.id = d.holder_agency_id
          JOIN portal.procedure_version v ON v.id = d.version_id
          JOIN portal.procedure p ON p.id = v.procedure_id
          JOIN portal.agency va ON va.id = v.agency_id
        """;

    /// <summary>
    /// The dossier's id, version and receiving unit, read on a connection that is returned at once: the caller then
    /// builds the unit's calendar (which may open connections of its own) before holding one for the real work.
    /// </summary>
    async Task<(Guid Id, Guid VersionId, string AgencyCode)?> KeyAsync(string code, CancellationToken ct)
    {
        await using var read = await db.OpenConnectionAsync(ct);
        return await read.QuerySingleOrDefaultAsync<(Guid, Guid, string)?>(new CommandDefinition("""
            SELECT d.id, d.version_id, a.code FROM portal.dossiers d JOIN portal.agency a ON a.id = d.receiving_agency_id
             WHERE d.code = @code AND d.status > 0
            """, new { code }, cancellationToken: ct));
    }

    /// <summary>Who may see a dossier: its holder's, its receiving unit's and every unit its clock passed through.</summary>
    static async Task<bool> VisibleAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Row d, StaffScope scope, CancellationToken ct) =>
        scope.Everything || scope.Covers(d.Holder) || scope.Covers(d.ReceivingId)
        || await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM portal.dossier_clock_segments WHERE dossier_id = @id AND agency_code = ANY (@codes))",
            new { id = d.Id, codes = scope.UnitCodes }, tx, cancellationToken: ct));

    // ---- workflow and clock ----

    const string WorkflowSql = """
        SELECT ws.step, ws.name,
               CASE WHEN a.any_commune THEN NULL ELSE ws.agency_id END AS agency_id,
               CASE WHEN a.any_commune THEN NULL ELSE a.code END AS agency_code,
               CASE WHEN a.any_commune THEN NULL ELSE a.name END AS agency_name,
               ws.role, ws.amount, ws.unit, ws.actions
          FROM portal.workflow_steps ws LEFT JOIN portal.agency a ON a.id = ws.agency_id
         WHERE ws.version_id = @versionId ORDER BY ws.step
        """;

    /// <summary>A version's workflow: what the administrator wrote, else the default from its processing time.</summary>
    static async Task<(DeadlineRule Legal, IReadOnlyList<WorkflowStep> Steps)> WorkflowAsync(NpgsqlConnection conn, NpgsqlTransaction? tx,
        Guid versionId, Guid agencyId, string agencyCode, string agencyName, bool anyCommune, CancellationToken ct)
    {
        var time = await conn.QuerySingleAsync<Catalogue.ProcessingTime>(new CommandDefinition(Dossiers.Dossiers.RuleSql, new { versionId }, tx, cancellationToken: ct));
        var legal = time.ToRule();
        var steps = (await conn.QueryAsync<WorkflowStep>(new CommandDefinition(WorkflowSql, new { versionId }, tx, cancellationToken: ct))).ToList();
        return (legal, steps.Count > 0 ? steps : DefaultWorkflow(legal, agencyId, agencyCode, agencyName, anyCommune));
    }

    /// <summary>The default workflow; a commune procedure is processed where it was received (its agency is the province's "any commune" unit).</summary>
    static IReadOnlyList<WorkflowStep> DefaultWorkflow(DeadlineRule legal, Guid agencyId, string agencyCode, string agencyName, bool anyCommune) =>
        anyCommune
            ? [.. Workflow.Default(legal, Guid.Empty, "", "").Select(s => s with { AgencyId = null, AgencyCode = null, AgencyName = null })]
            : Workflow.Default(legal, agencyId, agencyCode, agencyName);

    static IReadOnlyList<WorkflowStep> DefaultWorkflow(DeadlineRule legal, Row d) =>
        DefaultWorkflow(legal, d.VersionAgencyId, d.VersionAgencyCode, d.VersionAgencyName, d.VersionAgencyAnyCommune);

    static Task<(DeadlineRule Legal, IReadOnlyList<WorkflowStep> Steps)> WorkflowAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Row d, CancellationToken ct) =>
        WorkflowAsync(conn, tx, d.VersionId, d.VersionAgencyId, d.VersionAgencyCode, d.VersionAgencyName, d.VersionAgencyAnyCommune, ct);

    static async Task<ClockLedger> LedgerAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Row d, DeadlineRule legal,
        IReadOnlyList<WorkflowStep> steps, CancellationToken ct) =>
        new(legal, Workflow.Budgets(steps, d.ReceivingCode), await ClockLedgerStore.LoadAsync(conn, d.Id, tx),
            await ClockLedgerStore.LoadExtensionAsync(conn, d.Id, tx));

    /// <summary>The dates the lists need, derived from the ledger: the due held to, the current step's due, and the
    /// instant from which the time left is less than what the later steps need (the late-risk list).</summary>
    static (DateTimeOffset? Due, DateTimeOffset? StepDue, DateTimeOffset? RiskAt) Plan(ClockLedger ledger, WorkingCalendar calendar,
        IReadOnlyList<WorkflowStep> steps, int? step, DateTimeOffset now)
    {
        if (ledger.Segments.Count == 0) return (null, null, null);
        var summary = ledger.Compute(calendar, now);
        var due = summary.EffectiveDue;
        if (!ledger.IsRunning || step is not { } current) return (due, null, null);
        var stepDue = summary.Steps.FirstOrDefault(s => s.Step.Step == current)?.Due;
        var laterTicks = (long)(steps.Where(s => s.Step > current).Sum(s => s.Hours) * TimeSpan.TicksPerHour);
        var risk = calendar.AtPosition(calendar.Position(due) - laterTicks, atEnd: true);
        return (due, stepDue, risk);
    }

    static string? OutcomeKey(DossierClass? c) => c switch
    {
        DossierClass.Early => "early",
        DossierClass.OnTime => "on-time",
        DossierClass.Late => "late",
        _ => null,
    };

    public static string OutcomeName(string? key) => key switch
    {
        "early" => "Sớm hạn",
        "on-time" => "Đúng hạn",
        "late" => "Trễ hạn",
        _ => "",
    };

    // ---- writing ----

    const string UpdateSql = """
        UPDATE portal.dossiers
           SET status = @status, sub_state = @subState, step = @step, holder_agency_id = @holder, due_at = @due,
               step_due_at = @stepDue, risk_at = @riskAt, updated_at = @now, row_version = row_version + 1
         WHERE id = @id
        """;

    async Task UpdateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, short status, string? subState, int? step, Guid? holder,
        (DateTimeOffset? Due, DateTimeOffset? StepDue, DateTimeOffset? RiskAt) plan, DateTimeOffset now, CancellationToken ct) =>
        await conn.ExecuteAsync(new CommandDefinition(UpdateSql, new
        {
            id, status, subState, step = (short?)step, holder, due = plan.Due?.ToUniversalTime(), stepDue = plan.StepDue?.ToUniversalTime(),
            riskAt = plan.RiskAt?.ToUniversalTime(), now,
        }, tx, cancellationToken: ct));

    /// <summary>For an action that changes the dossier without a new status: later actions compare this version.</summary>
    static Task TouchAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, DateTimeOffset now, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(
            "UPDATE portal.dossiers SET updated_at = @now, row_version = row_version + 1 WHERE id = @id", new { id, now }, tx, cancellationToken: ct));

    const string HistorySql = """
        INSERT INTO portal.dossier_history (dossier_id, seq, at, action, from_status, to_status, actor, agency_code, note,
                                            step, to_step, to_agency_code, receiver, outcome)
        SELECT @id, coalesce(max(seq), 0) + 1, @at, @action, @from, @to, @actor, @agencyCode, @note,
               @step, @toStep, @toAgencyCode, @receiver, @outcome
          FROM portal.dossier_history WHERE dossier_id = @id
        """;

    internal sealed record HistoryRow(string Action, short From, short To, string? AgencyCode, string? Note)
    {
        public short? Step { get; init; }
        public short? ToStep { get; init; }
        public string? ToAgencyCode { get; init; }
        public string? Receiver { get; init; }
        public string? Outcome { get; init; }
    }

    internal static Task HistoryAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, DateTimeOffset at, string actor, HistoryRow h, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(HistorySql, new
        {
            id, at = at.ToUniversalTime(), h.Action, h.From, h.To, actor, h.AgencyCode, h.Note, h.Step, h.ToStep, h.ToAgencyCode,
            h.Receiver, h.Outcome,
        }, tx, cancellationToken: ct));

    SigningKey? KeyFor(string agencyCode) =>
        signingKeys.GetOrAdd(agencyCode, code => new Lazy<SigningKey?>(() => keys.For(code))).Value;

    /// <summary>Signs a PDF with the unit's key (or the portal's default); unsigned when no key is configured.</summary>
    async Task<(byte[] Pdf, bool Signed)> SignAsync(byte[] pdf, string agencyCode, string reason, CancellationToken ct)
    {
        if (KeyFor(agencyCode) is not { } key) return (pdf, false);
        return (await signer.SignAsync(pdf, key, new SignOptions { Reason = reason, Location = site.ProvinceName }, ct), true);
    }

    async Task<StoredFile> StoreAsync(NpgsqlConnection conn, NpgsqlTransaction tx, byte[] bytes, DateTimeOffset now, CancellationToken ct)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        var outcome = await files.SaveAsync(stream, long.MaxValue, ct);
        var stored = ((StoreOutcome.Saved)outcome).File;
        await FileStore.RecordAsync(conn, tx, stored, now);
        return stored;
    }

    /// <summary>Records an issued form (what it says, who signs it) and returns its id, linked from the outbox message.</summary>
    static Task<Guid> IssueFormAsync<T>(NpgsqlConnection conn, NpgsqlTransaction tx, Guid dossierId, string kind, T form, string agencyCode,
        string actor, DateTimeOffset now, CancellationToken ct) =>
        conn.ExecuteScalarAsync<Guid>(new CommandDefinition("""
            INSERT INTO portal.dossier_forms (dossier_id, kind, data, agency_code, issued_at, issued_by)
            VALUES (@dossierId, @kind, @data::jsonb, @agencyCode, @now, @actor) RETURNING id
            """, new { dossierId, kind, data = JsonSerializer.Serialize(form, Json), agencyCode, now, actor }, tx, cancellationToken: ct));

    /// <summary>
    /// The signed PDF of an issued form, drawn and signed the first time it is asked for and kept. Two first requests
    /// at once may both draw it; the first stored wins and both answer with it.
    /// </summary>
    public async Task<string?> FormFileAsync(Guid formId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var form = await conn.QuerySingleOrDefaultAsync<(string Kind, string Data, string AgencyCode, string? Sha256)?>(new CommandDefinition(
            "SELECT kind, data::text, agency_code, sha256 FROM portal.dossier_forms WHERE id = @formId", new { formId }, cancellationToken: ct));
        if (form is not { } f) return null;
        if (f.Sha256 is { } done) return done;
        var pdf = f.Kind switch
        {
            "receipt" => OfficeForms.Build(JsonSerializer.Deserialize<ReceptionSlip>(f.Data, Json)!),
            "supplement" => OfficeForms.Build(JsonSerializer.Deserialize<SupplementNotice>(f.Data, Json)!),
            "refusal" => OfficeForms.Build(JsonSerializer.Deserialize<RefusalNotice>(f.Data, Json)!),
            "apology" => OfficeForms.Build(JsonSerializer.Deserialize<ApologyLetter>(f.Data, Json)!),
            "stop" => OfficeForms.Build(JsonSerializer.Deserialize<StopNotice>(f.Data, Json)!),
            _ => throw new InvalidOperationException($"Unknown form kind {f.Kind}."),
        };
        var (signed, _) = await SignAsync(pdf, f.AgencyCode, FormReason(f.Kind), ct);
        var now = clock.GetUtcNow();
        await using var tx = await conn.BeginTransactionAsync(ct);
        var stored = await StoreAsync(conn, tx, signed, now, ct);
        var sha = await conn.ExecuteScalarAsync<string>(new CommandDefinition("""
            WITH won AS (
                UPDATE portal.dossier_forms SET sha256 = @sha, rendered_at = @now WHERE id = @formId AND sha256 IS NULL RETURNING sha256
            )
            SELECT sha256 FROM won UNION ALL SELECT sha256 FROM portal.dossier_forms WHERE id = @formId AND NOT EXISTS (SELECT 1 FROM won)
            """, new { formId, sha = stored.Sha256, now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return sha;
    }

    public static string FormReason(string kind) => kind switch
    {
        "receipt" => "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "supplement" => "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        "refusal" => "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
        "apology" => "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
        "stop" => "Thông báo dừng giải quyết hồ sơ",
        _ => kind,
    };

    static Dossiers.Forms.FormApplicant ApplicantOf(Row d)
    {
        var a = d.Answers.Applicant ?? new ApplicantAnswers();
        return new()
        {
            Name = a.FullName, Address = a.Address, Phone = a.Phone, Email = a.Email == "" ? null : a.Email,
            IdNumber = a.Identifier == "" ? null : a.Identifier,
            OwnerName = d.Answers.Owner is { SameAsApplicant: false } o ? o.FullName : null,
        };
    }

    Dossiers.Forms.FormHeader HeaderOf(Row d, string unitName, string lookupBase, DateTimeOffset now) => new()
    {
        UnitName = unitName, ProvinceName = site.ProvinceName, DossierCode = d.Code,
        LookupUrl = $"{lookupBase}/tra-cuu?ma={Uri.EscapeDataString(d.Code)}", IssuedAt = now, Hotline = site.Hotline,
        DemoMarker = site.DemoMarker,
    };

    public Stream OpenFile(string sha256) => files.OpenRead(sha256);

    /// <summary>
    /// Recomputes the list dates (due, step due, late-risk instant) from the ledger after a change made outside the back
    /// office, in the caller's transaction: the citizen's resubmission restarts the clock.
    /// </summary>
    public static async Task RefreshAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid dossierId, WorkingCalendar calendar, DateTimeOffset now, CancellationToken ct)
    {
        var d = await conn.QuerySingleAsync<Row>(new CommandDefinition(RowSelect + " WHERE d.id = @dossierId", new { dossierId }, tx, cancellationToken: ct));
        var (legal, steps) = await WorkflowAsync(conn, tx, d, ct);
        var ledger = await LedgerAsync(conn, tx, d, legal, steps, ct);
        var plan = Plan(ledger, calendar, steps, d.Step, now);
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE portal.dossiers SET due_at = @due, step_due_at = @stepDue, risk_at = @riskAt WHERE id = @dossierId
            """, new { dossierId, due = plan.Due?.ToUniversalTime(), stepDue = plan.StepDue?.ToUniversalTime(), riskAt = plan.RiskAt?.ToUniversalTime() },
            tx, cancellationToken: ct));
    }
}
