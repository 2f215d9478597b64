using System.Globalization;
using System.Text.Json;
using Dapper;
using Npgsql;
using Portal.Core.Deadlines;
using Portal.Core.Documents;
using Portal.Core.Dossiers;
using Portal.Core.Dossiers.Forms;
using Portal.Core.Notifications;

namespace Portal.Core.BackOffice;

public sealed partial class BackOffice
{
    static BackOffice() => System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(Dossiers.Dossiers).TypeHandle);

    /// <summary>Everything one action needs, loaded and locked once.</summary>
    sealed class Context
    {
        public required NpgsqlConnection Conn { get; init; }
        public required NpgsqlTransaction Tx { get; init; }
        public required Row D { get; init; }
        public required StaffUser User { get; init; }
        public required StaffScope Scope { get; init; }
        public required DeadlineRule Legal { get; init; }
        public required IReadOnlyList<WorkflowStep> Steps { get; init; }
        public required ClockLedger Ledger { get; init; }
        public required WorkingCalendar Calendar { get; init; }
        public required DateTimeOffset Now { get; init; }
        public required string LookupBase { get; init; }
        public required CancellationToken Ct { get; init; }
        /// <summary>Who the history names; the user's "staff:login" unless a job acts ("system").</summary>
        public string? ActorOverride { get; init; }
        public string Actor => ActorOverride ?? User.Actor;
        public WorkflowStep? Current => D.Step is { } s ? Steps.FirstOrDefault(x => x.Step == s) : null;
        public WorkflowStep? StepAt(int step) => Steps.FirstOrDefault(x => x.Step == step);
    }

    /// <summary>
    /// Takes one action on a dossier. Order of checks: found and visible (else 404, never "not yours"), the action exists,
    /// the user's role, the version the user saw (conflict), the status (refused with the reason), then the action's own
    /// rules. Everything it writes is one transaction.
    /// </summary>
    public async Task<ActionOutcome> ActAsync(StaffUser user, string code, string actionKey, ActionInput input, ResultFile? file,
        string lookupBase, CancellationToken ct)
    {
        if (StaffActions.Find(actionKey) is not { } action) return new ActionOutcome.NotFound();
        // The calendar first, so that the action never holds two connections at once.
        if (await KeyAsync(code, ct) is not { } k) return new ActionOutcome.NotFound();
        var calendar = await calendars.CalendarAsync(k.AgencyCode, ct);

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // The row lock, the user's units, the procedure's time and workflow and the clock: one round trip.
        Row? d;
        StaffScope scope;
        Catalogue.ProcessingTime time;
        List<WorkflowStep> stored;
        IReadOnlyList<ClockSegment> segments;
        Extension? extension;
        await using (var batch = await conn.QueryMultipleAsync(new CommandDefinition(ActBatchSql,
            new { dossierId = k.Id, versionId = k.VersionId, agency = user.AgencyCode }, tx, cancellationToken: ct)))
        {
            d = await batch.ReadSingleOrDefaultAsync<Row>();
            var units = (await batch.ReadAsync<(Guid Id, string Code)>()).ToList();
            scope = user.IsSupervisor ? new StaffScope([], [], true) : new StaffScope([.. units.Select(u => u.Id)], [.. units.Select(u => u.Code)], false);
            time = await batch.ReadSingleAsync<Catalogue.ProcessingTime>();
            stored = (await batch.ReadAsync<WorkflowStep>()).ToList();
            segments = await ClockLedgerStore.ReadSegmentsAsync(batch);
            extension = await ClockLedgerStore.ReadExtensionAsync(batch);
        }
        if (d is null) return new ActionOutcome.NotFound();
        if (!await VisibleAsync(conn, tx, d, scope, ct)) return new ActionOutcome.NotFound();
        if (user.IsSupervisor || !user.HasAny(action.Roles))
            return new ActionOutcome.Forbidden(
                $"Vai trò của bạn không được “{action.Name.ToLowerInvariant()}”. Thao tác này dành cho: {string.Join(", ", action.Roles.Select(r => Identity.StaffRoles.Labels[r]))}.");
        // The apology is the business of the agency that caused the delay, which may no longer hold the dossier.
        if (!scope.Covers(d.Holder) && action.Key is not ("draft-apology" or "approve-apology"))
            return new ActionOutcome.Refused($"Hồ sơ đang do {d.HolderName ?? d.ReceivingName} giữ; đơn vị của bạn không thao tác được trên hồ sơ này lúc này.");
        if (input.ExpectedVersion is { } seen && seen != d.RowVersion)
        {
            // Read now, not with the row: the statement that waited for the lock saw the history as it was before.
            var last = await conn.QuerySingleAsync<(string Actor, DateTimeOffset At)>(new CommandDefinition(
                "SELECT actor, at FROM portal.dossier_history WHERE dossier_id = @id ORDER BY seq DESC LIMIT 1", new { id = d.Id }, tx, cancellationToken: ct));
            return new ActionOutcome.Conflict(ConflictMessage(d, last.Actor, last.At));
        }
        if (!action.AllowedFrom(d.Status)) return new ActionOutcome.Refused(StaffActions.NotFrom(action, d.Status));

        var legal = time.ToRule();
        var steps = stored.Count > 0 ? stored : DefaultWorkflow(legal, d);
        var ledger = new ClockLedger(legal, Workflow.Budgets(steps, d.ReceivingCode), segments, extension);
        var c = new Context
        {
            Conn = conn, Tx = tx, D = d, User = user, Scope = scope, Legal = legal, Steps = steps, Ledger = ledger, Calendar = calendar,
            Now = clock.GetUtcNow(), LookupBase = lookupBase, Ct = ct,
        };
        if (action.StepBound && d.Status == DossierStatus.Processing && c.Current is { } current && !current.Allows(action.Key))
            return new ActionOutcome.Refused($"Bước “{current.Name}” của quy trình không có thao tác “{action.Name.ToLowerInvariant()}”.");

        ActionOutcome outcome;
        try
        {
            outcome = action.Key switch
            {
                "receive" => await ReceiveAsync(c),
                "request-supplement" => await RequestSupplementAsync(c, input),
                "refuse" => await RefuseAsync(c, input),
                "assign" => await AssignAsync(c, input),
                "forward" => await MoveAsync(c, input, transfer: false),
                "transfer" => await MoveAsync(c, input, transfer: true),
                "return-to-previous" => await BackAsync(c, input),
                "request-fees" => await RequestFeesAsync(c, input),
                "confirm-payment" => await ConfirmPaymentAsync(c, input),
                "stop" => await StopAsync(c, input, withdrawal: false),
                "confirm-withdrawal" => await StopAsync(c, input, withdrawal: true),
                "decline-withdrawal" => await DeclineWithdrawalAsync(c, input),
                "approve" => await ApproveAsync(c, input),
                "add-result" => await AddResultAsync(c, input, file),
                "done" => await DoneAsync(c),
                "return-result" => await ReturnResultAsync(c, input),
                "draft-apology" => await DraftApologyAsync(c, input),
                "approve-apology" => await ApproveApologyAsync(c),
                _ => new ActionOutcome.NotFound(),
            };
        }
        catch (DeadlineException e)
        {
            outcome = new ActionOutcome.Refused(e.Message);
        }
        if (outcome is ActionOutcome.Done) await tx.CommitAsync(ct);
        else await tx.RollbackAsync(ct);
        return outcome;
    }

    const string ActBatchSql = RowSelect + " WHERE d.id = @dossierId AND d.status > 0 FOR UPDATE OF d;\n" + ScopeSql + ";\n" + Dossiers.Dossiers.RuleSql + ";\n"
        + WorkflowSql + ";\n" + ClockLedgerStore.SegmentsSql + ";\n" + ClockLedgerStore.ExtensionOfDossierSql;

    static string ConflictMessage(Row d, string lastActor, DateTimeOffset lastAt)
    {
        var who = lastActor.StartsWith("staff:", StringComparison.Ordinal) ? $"cán bộ {lastActor[6..]}" : "người khác";
        var when = $" lúc {LegalTime.Local(lastAt):HH:mm dd/MM/yyyy}";
        return $"Hồ sơ {d.Code} vừa được {who} cập nhật{when} (trạng thái hiện tại: “{DossierStatus.Name(d.Status)}”). " +
               "Thao tác của bạn chưa được ghi. Hãy tải lại trang để xem trạng thái mới rồi làm lại nếu vẫn cần; nội dung bạn đã nhập vẫn còn trong biểu mẫu.";
    }

    static IReadOnlyList<FieldError> Require(params (string Field, string? Value, string Message)[] fields) =>
        [.. fields.Where(f => string.IsNullOrWhiteSpace(f.Value)).Select(f => new FieldError(f.Field, f.Message))];

    static string SubStateFor(WorkflowStep step, Row d) =>
        step.AgencyId is { } a && a != d.VersionAgencyId ? "4.interagency"
        : step.Role is "agency-leader" or "head-of-division" ? "4.approve"
        : step.Role == "specialist" ? "4.review" : "4.assign";

    static string DeliveryName(string? method) => method switch
    {
        "counter" => "Tại Bộ phận Một cửa",
        "post" => "Qua dịch vụ bưu chính công ích",
        _ => "Trực tuyến (tải về trên Cổng dịch vụ công)",
    };

    static string ChannelName(string channel) => channel switch
    {
        "direct" => "Trực tiếp",
        "postal" => "Bưu chính công ích",
        _ => "Trực tuyến",
    };

    async Task EmailAsync(Context c, string kind, string subject, string body, Guid? formId = null)
    {
        if (c.D.Email is not { } email) return;
        var data = new Dictionary<string, string> { ["code"] = c.D.Code };
        if (formId is { } f) data["formId"] = f.ToString();
        await Outbox.EnqueueAsync(c.Conn, c.Tx, new OutboxMessage(kind, email, subject, body) { DossierId = c.D.Id, Data = data }, c.Now);
    }

    // ---- reception ----

    async Task<ActionOutcome> ReceiveAsync(Context c)
    {
        var d = c.D;
        // A dossier addressed to the "any commune" unit belongs, once received, to the commune centre that received it.
        var receiving = d.ReceivingAnyCommune && c.User.AgencyCode is { } home
            ? await c.Conn.QuerySingleAsync<(Guid Id, string Code, string Name)>(new CommandDefinition(
                "SELECT id, code, name FROM portal.agency WHERE code = @home", new { home }, c.Tx, cancellationToken: c.Ct))
            : (Id: d.ReceivingId, Code: d.ReceivingCode, Name: d.ReceivingName);
        if (c.Ledger.Segments.Count == 0) c.Ledger.Start(c.Now, receiving.Code, 0);
        else if (c.Ledger.IsStopped) c.Ledger.Resume(c.Now, receiving.Code, 0);
        await ClockLedgerStore.SaveAsync(c.Conn, c.Tx, d.Id, c.Ledger.Segments, c.Actor);
        var plan = Plan(c.Ledger, c.Calendar, c.Steps, 0, c.Now);
        await c.Conn.ExecuteAsync(new CommandDefinition("""
            UPDATE portal.dossiers SET receiving_agency_id = @receiving, received_at = @now, original_due_at = @due WHERE id = @id
            """, new { id = d.Id, receiving = receiving.Id, now = c.Now, due = plan.Due?.ToUniversalTime() }, c.Tx, cancellationToken: c.Ct));
        await UpdateAsync(c.Conn, c.Tx, d.Id, DossierStatus.Received, "2.to_forward", 0, receiving.Id, plan, c.Now, c.Ct);
        var due = plan.Due!.Value;
        var documents = await ReceivedDocumentsAsync(c);
        var form = new ReceptionSlip
        {
            Header = HeaderOf(d, receiving.Name, c.LookupBase, c.Now),
            Procedure = new(d.ProcedureCode, d.ProcedureName), Applicant = ApplicantOf(d), Channel = ChannelName(d.Channel),
            Documents = documents, ProcessingTime = c.Legal.ToString(), ReceivedAt = c.Now, DueAt = due,
            ReturnMethod = DeliveryName(d.DeliveryMethod), OfficerName = c.User.Name,
        };
        var formId = await IssueFormAsync(c.Conn, c.Tx, d.Id, "receipt", form, receiving.Code, c.Actor, c.Now, c.Ct);
        await HistoryAsync(c.Conn, c.Tx, d.Id, c.Now, c.Actor, new("receive", d.Status, DossierStatus.Received, receiving.Code,
            $"Hẹn trả kết quả {LegalTime.Local(due):HH:mm dd/MM/yyyy}") { Step = 0 }, c.Ct);
        await EmailAsync(c, "dossier-received", $"Hồ sơ {d.Code} đã được tiếp nhận",
            $"""
            Hồ sơ {d.Code} ({d.ProcedureName}) đã được {receiving.Name} tiếp nhận lúc {LegalTime.Local(c.Now):HH:mm dd/MM/yyyy}.
            Ngày hẹn trả kết quả: {LegalTime.Local(due):HH:mm dd/MM/yyyy}.
            Giấy tiếp nhận hồ sơ và hẹn trả kết quả được đính kèm.
            """, formId);
        return new ActionOutcome.Done(DossierStatus.Received, $"Đã tiếp nhận hồ sơ {d.Code}; hẹn trả kết quả {LegalTime.Local(due):HH:mm dd/MM/yyyy}.");
    }

    async Task<IReadOnlyList<ReceivedDocument>> ReceivedDocumentsAsync(Context c)
    {
        var rows = await c.Conn.QueryAsync<(short LineNo, string Name, short Originals, short Copies, string? FileName)>(new CommandDefinition("""
            SELECT pd.line_no, pd.name, pd.originals, pd.copies, f.file_name
              FROM portal.procedure_document pd
              LEFT JOIN portal.dossier_files f ON f.dossier_id = @id AND f.line_no = pd.line_no AND f.removed_at IS NULL
             WHERE pd.version_id = @versionId
             ORDER BY pd.line_no, f.uploaded_at
            """, new { id = c.D.Id, c.D.VersionId }, c.Tx, cancellationToken: c.Ct));
        return [.. rows.GroupBy(r => r.LineNo).Where(g => g.Any(r => r.FileName is not null) || c.D.Channel != "online")
            .Select(g => new ReceivedDocument(g.First().Name, g.First().Originals, g.First().Copies,
                [.. g.Where(r => r.FileName is not null).Select(r => r.FileName!)]))];
    }

    async Task<ActionOutcome> RequestSupplementAsync(Context c, ActionInput input)
    {
        var d = c.D;
        var items = (input.Items ?? []).Where(i => !string.IsNullOrWhiteSpace(i.Name) || !string.IsNullOrWhiteSpace(i.Reason))
            .Select(i => new SupplementItem(i.LineNo, Text.Clean(i.Name, 300), Text.Clean(i.Reason, 1000))).ToList();
        if (items.Count == 0) return new ActionOutcome.Invalid([new("items", "Liệt kê mọi giấy tờ cần bổ sung, mỗi giấy tờ kèm lý do.")]);
        if (items.Any(i => i.Name == "" || i.Reason == ""))
            return new ActionOutcome.Invalid([new("items", "Mỗi giấy tờ cần bổ sung phải có tên và lý do.")]);
        var atReception = d.Status == DossierStatus.Submitted;
        if (c.Ledger.IsRunning) c.Ledger.Stop(c.Now, atReception ? ClockCause.WaitingForCitizen : ClockCause.SupplementRequested);
        await ClockLedgerStore.SaveAsync(c.Conn, c.Tx, d.Id, c.Ledger.Segments, c.Actor);
        var note = Text.Clean(input.Note, 1000) is { Length: > 0 } n ? n : null;
        await c.Conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO portal.supplement_requests (dossier_id, requested_at, requested_by, at_reception, items, note)
            VALUES (@id, @now, @actor, @atReception, @items::jsonb, @note)
            """, new { id = d.Id, now = c.Now, actor = c.Actor, atReception, items = JsonSerializer.Serialize(items, Json), note },
            c.Tx, cancellationToken: c.Ct));
        var plan = Plan(c.Ledger, c.Calendar, c.Steps, d.Step, c.Now);
        await UpdateAsync(c.Conn, c.Tx, d.Id, DossierStatus.AwaitingSupplement, atReception ? "5.at_reception" : "5.in_processing",
            d.Step, d.HolderId, plan, c.Now, c.Ct);
        // R-E4 / Decision 766: more than one request during processing counts the dossier as late whatever the dates say.
        var during = c.Ledger.SupplementRequests;
        var flag = !atReception && during > 1
            ? $" Đây là lần yêu cầu bổ sung thứ {during} trong quá trình xử lý: hồ sơ được tính là trễ hạn theo Quyết định 766/QĐ-TTg."
            : "";
        var form = new SupplementNotice
        {
            Header = HeaderOf(d, d.HolderName ?? d.ReceivingName, c.LookupBase, c.Now), Procedure = new(d.ProcedureCode, d.ProcedureName),
            Applicant = ApplicantOf(d), Items = [.. items.Select(i => new SupplementLine(i.Name, i.Reason))], AtReception = atReception,
            Note = note, RulesUrl = $"{c.LookupBase}/thu-tuc/{d.ProcedureCode}", OfficerName = c.User.Name,
        };
        var formId = await IssueFormAsync(c.Conn, c.Tx, d.Id, "supplement", form, d.HolderCodeOrReceiving, c.Actor, c.Now, c.Ct);
        await HistoryAsync(c.Conn, c.Tx, d.Id, c.Now, c.Actor, new("request-supplement", d.Status, DossierStatus.AwaitingSupplement,
            d.HolderCodeOrReceiving, string.Join("; ", items.Select(i => $"{i.Name}: {i.Reason}")) + flag) { Step = d.Step }, c.Ct);
        await EmailAsync(c, "supplement-requested", $"Hồ sơ {d.Code} cần bổ sung giấy tờ",
            $"""
            Hồ sơ {d.Code} cần bổ sung:
            {string.Join("\n", items.Select(i => $"- {i.Name}: {i.Reason}"))}

            Đăng nhập vào mục Hồ sơ của tôi để tải giấy tờ bổ sung và gửi lại. Phiếu yêu cầu bổ sung được đính kèm.
            """, formId);
        return new ActionOutcome.Done(DossierStatus.AwaitingSupplement,
            $"Đã gửi yêu cầu bổ sung {items.Count} giấy tờ cho người nộp.{flag}");
    }

    async Task<ActionOutcome> RefuseAsync(Context c, ActionInput input)
    {
        var d = c.D;
        var reason = Text.Clean(input.Reason, 2000);
        if (reason == "") return new ActionOutcome.Invalid([new("reason", "Nêu lý do từ chối và căn cứ pháp lý.")]);
        if (c.Ledger.Segments.Count > 0 && c.Ledger.Finished is null) c.Ledger.Finish(c.Now);
        await ClockLedgerStore.SaveAsync(c.Conn, c.Tx, d.Id, c.Ledger.Segments, c.Actor);
        await UpdateAsync(c.Conn, c.Tx, d.Id, DossierStatus.Refused, null, d.Step, d.HolderId, (d.DueAt, null, null), c.Now, c.Ct);
        await FinishedAtAsync(c);
        var form = new RefusalNotice
        {
            Header = HeaderOf(d, d.ReceivingName, c.LookupBase, c.Now), Procedure = new(d.ProcedureCode, d.ProcedureName),
            Applicant = ApplicantOf(d), Reason = reason, OfficerName = c.User.Name,
        };
        var formId = await IssueFormAsync(c.Conn, c.Tx, d.Id, "refusal", form, d.ReceivingCode, c.Actor, c.Now, c.Ct);
        await HistoryAsync(c.Conn, c.Tx, d.Id, c.Now, c.Actor, new("refuse", d.Status, DossierStatus.Refused, d.ReceivingCode, reason), c.Ct);
        await EmailAsync(c, "dossier-refused", $"Hồ sơ {d.Code} không được tiếp nhận",
            $"""
            Hồ sơ {d.Code} ({d.ProcedureName}) không được tiếp nhận.
            Lý do: {reason}
            Phiếu từ chối tiếp nhận được đính kèm.
            """, formId);
        return new ActionOutcome.Done(DossierStatus.Refused, $"Đã từ chối tiếp nhận hồ sơ {d.Code}.");
    }

    Task FinishedAtAsync(Context c) => c.Conn.ExecuteAsync(new CommandDefinition(
        "UPDATE portal.dossiers SET finished_at = @now WHERE id = @id", new { id = c.D.Id, now = c.Now }, c.Tx, cancellationToken: c.Ct));

    // ---- routing ----

    async Task<ActionOutcome> AssignAsync(Context c, ActionInput input)
    {
        var d = c.D;
        var login = Text.Clean(input.Assignee, 64).ToLowerInvariant();
        if (login == "") return new ActionOutcome.Invalid([new("assignee", "Chọn chuyên viên được phân công.")]);
        var specialist = await c.Conn.QuerySingleOrDefaultAsync<(Guid Id, string DisplayName)?>(new CommandDefinition("""
            SELECT s.id, s.display_name FROM portal.staff_accounts s JOIN portal.agency a ON a.code = s.agency_code
             WHERE s.login = @login AND 'specialist' = ANY (s.roles) AND a.id = @holder
            """, new { login, holder = d.Holder }, c.Tx, cancellationToken: c.Ct));
        if (specialist is not { } s)
            return new ActionOutcome.Invalid([new("assignee", $"Không có chuyên viên “{login}” thuộc {d.HolderName ?? d.ReceivingName}.")]);
        await c.Conn.ExecuteAsync(new CommandDefinition("""
            UPDATE portal.dossiers SET assignee_id = @assignee, updated_at = @now, row_version = row_version + 1 WHERE id = @id
            """, new { id = d.Id, assignee = s.Id, now = c.Now }, c.Tx, cancellationToken: c.Ct));
        await HistoryAsync(c.Conn, c.Tx, d.Id, c.Now, c.Actor, new("assign", d.Status, d.Status, d.HolderCodeOrReceiving,
            Text.Clean(input.Note, 500) is { Length: > 0 } n ? n : null) { Step = d.Step, Receiver = $"{s.DisplayName} ({login})" }, c.Ct);
        return new ActionOutcome.Done(d.Status, $"Đã phân công hồ sơ {d.Code} cho {s.DisplayName}.");
    }

    /// <summary>Forward (same agency, or the one-stop's hand-over to the competent agency) and transfer (liên thông).</summary>
    async Task<ActionOutcome> MoveAsync(Context c, ActionInput input, bool transfer)
    {
        var d = c.D;
        var from = d.Step ?? 0;
        if (c.StepAt(from + 1) is not { } next)
            return new ActionOutcome.Refused("Hồ sơ đang ở bước cuối của quy trình; hãy phê duyệt và “Hoàn thành xử lý”.");
        var target = next.AgencyId is { } agencyId
            ? (Id: agencyId, Code: next.AgencyCode!, Name: next.AgencyName!)
            : (Id: d.ReceivingId, Code: d.ReceivingCode, Name: d.ReceivingName);
        var changesAgency = target.Id != d.Holder;
        // From reception (2) the one-stop forwards to whoever the next step names; in processing a change of agency is liên thông.
        if (d.Status == DossierStatus.Processing && changesAgency && !transfer)
            return new ActionOutcome.Refused($"Bước tiếp theo (“{next.Name}”) do {target.Name} thực hiện; hãy dùng “Chuyển liên thông”.");
        if (transfer && !changesAgency)
            return new ActionOutcome.Refused($"Bước tiếp theo (“{next.Name}”) vẫn do đơn vị đang giữ hồ sơ thực hiện; hãy dùng “Chuyển bước tiếp theo”.");
        if (!c.Ledger.IsRunning) return new ActionOutcome.Refused("Đồng hồ của hồ sơ đang dừng; không thể chuyển bước.");
        c.Ledger.HandOver(c.Now, target.Code, next.Step);
        await ClockLedgerStore.SaveAsync(c.Conn, c.Tx, d.Id, c.Ledger.Segments, c.Actor);
        var closed = c.Ledger.Compute(c.Calendar, c.Now).Steps.FirstOrDefault(s => s.Step.Step == from);
        var plan = Plan(c.Ledger, c.Calendar, c.Steps, next.Step, c.Now);
        await UpdateAsync(c.Conn, c.Tx, d.Id, DossierStatus.Processing, SubStateFor(next, d), next.Step, target.Id, plan, c.Now, c.Ct);
        await c.Conn.ExecuteAsync(new CommandDefinition("UPDATE portal.dossiers SET assignee_id = NULL WHERE id = @id",
            new { id = d.Id }, c.Tx, cancellationToken: c.Ct));
        var key = transfer ? "transfer" : "forward";
        var outcome = OutcomeKey(closed?.Outcome);
        await HistoryAsync(c.Conn, c.Tx, d.Id, c.Now, c.Actor, new(key, d.Status, DossierStatus.Processing, d.HolderCodeOrReceiving,
            Text.Clean(input.Note, 1000) is { Length: > 0 } n ? n : null)
        { Step = (short)from, ToStep = (short)next.Step, ToAgencyCode = target.Code, Receiver = target.Name, Outcome = outcome }, c.Ct);
        return new ActionOutcome.Done(DossierStatus.Processing,
            $"Đã chuyển hồ sơ {d.Code} đến bước “{next.Name}” ({target.Name}). Bước vừa xong: {OutcomeName(outcome).ToLowerInvariant()}.");
    }

    async Task<ActionOutcome> BackAsync(Context c, ActionInput input)
    {
        var d = c.D;
        var reason = Text.Clean(input.Reason, 1000);
        if (reason == "") return new ActionOutcome.Invalid([new("reason", "Nêu lý do trả lại bước trước.")]);
        var from = d.Step ?? 0;
        if (from <= 1 || c.StepAt(from - 1) is not { } previous)
            return new ActionOutcome.Refused("Hồ sơ đang ở bước xử lý đầu tiên; không có bước trước để trả lại.");
        var target = previous.AgencyId is { } agencyId
            ? (Id: agencyId, Code: previous.AgencyCode!, Name: previous.AgencyName!)
            : (Id: d.ReceivingId, Code: d.ReceivingCode, Name: d.ReceivingName);
        if (!c.Ledger.IsRunning) return new ActionOutcome.Refused("Đồng hồ của hồ sơ đang dừng; không thể chuyển bước.");
        c.Ledger.HandOver(c.Now, target.Code, previous.Step);
        await ClockLedgerStore.SaveAsync(c.Conn, c.Tx, d.Id, c.Ledger.Segments, c.Actor);
        var plan = Plan(c.Ledger, c.Calendar, c.Steps, previous.Step, c.Now);
        await UpdateAsync(c.Conn, c.Tx, d.Id, DossierStatus.Processing, SubStateFor(previous, d), previous.Step, target.Id, plan, c.Now, c.Ct);
        await c.Conn.ExecuteAsync(new CommandDefinition("UPDATE portal.dossiers SET approved_at = NULL, approved_by = NULL WHERE id = @id",
            new { id = d.Id }, c.Tx, cancellationToken: c.Ct));
        await HistoryAsync(c.Conn, c.Tx, d.Id, c.Now, c.Actor, new("return-to-previous", d.Status, DossierStatus.Processing,
            d.HolderCodeOrReceiving, reason) { Step = (short)from, ToStep = (short)previous.Step, ToAgencyCode = target.Code, Receiver = target.Name }, c.Ct);
        return new ActionOutcome.Done(DossierStatus.Processing, $"Đã trả hồ sơ {d.Code} về bước “{previous.Name}”.");
    }

    // ---- pauses and ends ----

    async Task<ActionOutcome> RequestFeesAsync(Context c, ActionInput input)
    {
        var d = c.D;
        if (input.AmountVnd is not > 0) return new ActionOutcome.Invalid([new("amountVnd", "Nhập số tiền phải nộp (đồng), lớn hơn 0.")]);
        var note = Text.Clean(input.Note, 1000);
        if (!c.Ledger.IsRunning) return new ActionOutcome.Refused("Đồng hồ của hồ sơ đang dừng.");
        c.Ledger.Stop(c.Now, ClockCause.WaitingForFees);
        await ClockLedgerStore.SaveAsync(c.Conn, c.Tx, d.Id, c.Ledger.Segments, c.Actor);
        var plan = Plan(c.Ledger, c.Calendar, c.Steps, d.Step, c.Now);
        await UpdateAsync(c.Conn, c.Tx, d.Id, DossierStatus.AwaitingPayment, "6.unpaid", d.Step, d.HolderId, plan, c.Now, c.Ct);
        var amount = input.AmountVnd.Value.ToString("N0", CultureInfo.GetCultureInfo("vi-VN"));
        await HistoryAsync(c.Conn, c.Tx, d.Id, c.Now, c.Actor, new("request-fees", d.Status, DossierStatus.AwaitingPayment, d.HolderCode,
            $"{amount} đồng{(note == "" ? "" : $": {note}")}") { Step = d.Step }, c.Ct);
        await EmailAsync(c, "fees-requested", $"Hồ sơ {d.Code}: đề nghị thực hiện nghĩa vụ tài chính",
            $"""
            Hồ sơ {d.Code} cần thực hiện nghĩa vụ tài chính: {amount} đồng. {note}
            Thời gian chờ nộp không tính vào thời hạn giải quyết.
            """);
        return new ActionOutcome.Done(DossierStatus.AwaitingPayment, $"Đã gửi đề nghị nộp {amount} đồng; đồng hồ dừng đến khi xác nhận đã nộp.");
    }

    async Task<ActionOutcome> ConfirmPaymentAsync(Context c, ActionInput input)
    {
        var d = c.D;
        var owner = c.Ledger.Segments[^1];
        if (c.Ledger.IsStopped) c.Ledger.Resume(c.Now, owner.AgencyCode ?? d.HolderCodeOrReceiving, owner.Step ?? d.Step ?? 0);
        await ClockLedgerStore.SaveAsync(c.Conn, c.Tx, d.Id, c.Ledger.Segments, c.Actor);
        var plan = Plan(c.Ledger, c.Calendar, c.Steps, d.Step, c.Now);
        var step = c.Current;
        await UpdateAsync(c.Conn, c.Tx, d.Id, DossierStatus.Processing, step is null ? "4.review" : SubStateFor(step, d), d.Step, d.HolderId, plan, c.Now, c.Ct);
        await HistoryAsync(c.Conn, c.Tx, d.Id, c.Now, c.Actor, new("confirm-payment", d.Status, DossierStatus.Processing, d.HolderCode,
            Text.Clean(input.Note, 500) is { Length: > 0 } n ? n : null) { Step = d.Step }, c.Ct);
        return new ActionOutcome.Done(DossierStatus.Processing,
            $"Đã xác nhận nộp nghĩa vụ tài chính; hạn trả kết quả mới {LegalTime.Local(plan.Due!.Value):HH:mm dd/MM/yyyy}.");
    }

    async Task<ActionOutcome> StopAsync(Context c, ActionInput input, bool withdrawal)
    {
        var d = c.D;
        var reason = Text.Clean(input.Reason, 2000);
        if (withdrawal && reason == "") reason = "Người nộp yêu cầu rút hồ sơ và cơ quan đã đồng ý.";
        if (reason == "") return new ActionOutcome.Invalid([new("reason", "Nêu lý do dừng giải quyết và căn cứ pháp lý.")]);
        if (c.Ledger.Segments.Count > 0 && c.Ledger.Finished is null) c.Ledger.Finish(c.Now);
        await ClockLedgerStore.SaveAsync(c.Conn, c.Tx, d.Id, c.Ledger.Segments, c.Actor);
        await UpdateAsync(c.Conn, c.Tx, d.Id, DossierStatus.Stopped, null, d.Step, d.HolderId, (d.DueAt, null, null), c.Now, c.Ct);
        await FinishedAtAsync(c);
        var form = new StopNotice
        {
            Header = HeaderOf(d, d.HolderName ?? d.ReceivingName, c.LookupBase, c.Now), Procedure = new(d.ProcedureCode, d.ProcedureName),
            Applicant = ApplicantOf(d), Reason = reason, SignerName = c.User.Name,
        };
        var formId = await IssueFormAsync(c.Conn, c.Tx, d.Id, "stop", form, d.HolderCodeOrReceiving, c.Actor, c.Now, c.Ct);
        await HistoryAsync(c.Conn, c.Tx, d.Id, c.Now, c.Actor, new(withdrawal ? "confirm-withdrawal" : "stop", d.Status, DossierStatus.Stopped,
            d.HolderCodeOrReceiving, reason) { Step = d.Step }, c.Ct);
        await EmailAsync(c, "dossier-stopped", $"Hồ sơ {d.Code} đã dừng giải quyết",
            $"""
            Hồ sơ {d.Code} ({d.ProcedureName}) đã dừng giải quyết.
            Lý do: {reason}
            Thông báo dừng giải quyết hồ sơ được đính kèm.
            """, formId);
        return new ActionOutcome.Done(DossierStatus.Stopped, $"Hồ sơ {d.Code} đã dừng giải quyết.");
    }

    async Task<ActionOutcome> DeclineWithdrawalAsync(Context c, ActionInput input)
    {
        var d = c.D;
        var reason = Text.Clean(input.Reason, 1000);
        if (reason == "") return new ActionOutcome.Invalid([new("reason", "Nêu lý do không đồng ý cho rút hồ sơ.")]);
        var previous = d.SubState is { } s && s.StartsWith("7.from-", StringComparison.Ordinal) && short.TryParse(s[7..], out var p)
            ? p : DossierStatus.Processing;
        var subState = previous switch
        {
            DossierStatus.Submitted => "1.online",
            DossierStatus.Received => "2.to_forward",
            DossierStatus.AwaitingSupplement => "5.in_processing",
            DossierStatus.AwaitingPayment => "6.unpaid",
            _ => c.Current is { } step ? SubStateFor(step, d) : "4.review",
        };
        var plan = Plan(c.Ledger, c.Calendar, c.Steps, d.Step, c.Now);
        await UpdateAsync(c.Conn, c.Tx, d.Id, previous, subState, d.Step, d.HolderId, plan, c.Now, c.Ct);
        await HistoryAsync(c.Conn, c.Tx, d.Id, c.Now, c.Actor, new("decline-withdrawal", d.Status, previous, d.HolderCodeOrReceiving, reason) { Step = d.Step }, c.Ct);
        await EmailAsync(c, "withdrawal-declined", $"Hồ sơ {d.Code}: yêu cầu rút hồ sơ không được chấp nhận",
            $"Yêu cầu rút hồ sơ {d.Code} không được chấp nhận. Lý do: {reason}\nHồ sơ tiếp tục được giải quyết.");
        return new ActionOutcome.Done(previous, $"Hồ sơ {d.Code} tiếp tục được giải quyết.");
    }

    // ---- results ----

    async Task<ActionOutcome> ApproveAsync(Context c, ActionInput input)
    {
        var d = c.D;
        // A certified copy: the approval is the certifying officer's check against the presented original, and it
        // queues the copy for issue (number, signature, result) by the certified-copies job.
        var copy = d.CertifiedCopyLine is null ? null : await RequestCertifiedCopyAsync(c);
        if (copy is ActionOutcome.Refused) return copy;
        await c.Conn.ExecuteAsync(new CommandDefinition("""
            UPDATE portal.dossiers SET approved_at = @now, approved_by = @actor, sub_state = '4.sign', updated_at = @now,
                   row_version = row_version + 1
             WHERE id = @id
            """, new { id = d.Id, now = c.Now, actor = c.Actor }, c.Tx, cancellationToken: c.Ct));
        await HistoryAsync(c.Conn, c.Tx, d.Id, c.Now, c.Actor, new("approve", d.Status, d.Status, d.HolderCode,
            Text.Clean(input.Note, 1000) is { Length: > 0 } n ? n : null) { Step = d.Step }, c.Ct);
        return copy ?? new ActionOutcome.Done(d.Status, $"Đã phê duyệt kết quả hồ sơ {d.Code}.");
    }

    /// <param name="signedByAgency">The file already carries the agency's signature made by Portal (a certified copy).</param>
    async Task<ActionOutcome> AddResultAsync(Context c, ActionInput input, ResultFile? file, bool signedByAgency = false)
    {
        var d = c.D;
        var title = Text.Clean(input.Title, 300);
        var problems = new List<FieldError>();
        if (title == "") problems.Add(new("title", "Nhập tên văn bản kết quả, ví dụ “Giấy khai sinh”."));
        if (file is null) problems.Add(new("file", "Chọn tệp văn bản kết quả (PDF có chữ ký số của cơ quan, hoặc PDF để hệ thống ký)."));
        if (problems.Count > 0) return new ActionOutcome.Invalid(problems);
        var stored = file!.File;
        var signedByPortal = signedByAgency;
        // R-H1: the electronic result carries the competent agency's signature. A PDF that is not yet validly signed
        // is signed with the holding unit's key here.
        if (stored.Type == FileType.Pdf && !signedByAgency)
        {
            var bytes = await files.ReadAllAsync(stored.Sha256, c.Ct);
            if (Signatures.Pdf.PdfSignatureScan.Read(bytes, c.Ct).Signatures.Count == 0)
            {
                var (signed, did) = await SignAsync(bytes, d.HolderCodeOrReceiving, $"Kết quả giải quyết hồ sơ {d.Code}", c.Ct);
                if (did)
                {
                    stored = await StoreAsync(c.Conn, c.Tx, signed, c.Now, c.Ct);
                    signedByPortal = true;
                }
            }
        }
        await FileStore.RecordAsync(c.Conn, c.Tx, stored, c.Now);
        var n = await c.Conn.ExecuteScalarAsync<short>(new CommandDefinition(
            "SELECT coalesce(max(n), 0) + 1 FROM portal.dossier_results WHERE dossier_id = @id", new { id = d.Id }, c.Tx, cancellationToken: c.Ct));
        var resultCode = $"{d.Code}-KQ{n}";
        await c.Conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO portal.dossier_results (dossier_id, n, code, title, file_name, sha256, size, media_type, signed_by_portal, added_at, added_by)
            VALUES (@id, @n, @resultCode, @title, @fileName, @sha, @size, @mediaType, @signedByPortal, @now, @actor)
            """, new
        {
            id = d.Id, n, resultCode, title, fileName = FileNames.Sanitise(file.FileName), sha = stored.Sha256, size = stored.Size,
            mediaType = stored.Type.MediaType, signedByPortal, now = c.Now, actor = c.Actor,
        }, c.Tx, cancellationToken: c.Ct));
        await TouchAsync(c.Conn, c.Tx, d.Id, c.Now, c.Ct);
        await HistoryAsync(c.Conn, c.Tx, d.Id, c.Now, c.Actor, new("add-result", d.Status, d.Status, d.HolderCode,
            $"{resultCode}: {title}{(signedByPortal ? " (đã ký số)" : "")}") { Step = d.Step }, c.Ct);
        return new ActionOutcome.Done(d.Status, $"Đã thêm kết quả {resultCode}{(signedByPortal ? ", đã ký số bằng chứng thư của cơ quan" : "")}.");
    }

    async Task<ActionOutcome> DoneAsync(Context c, bool notify = true)
    {
        var d = c.D;
        var results = await c.Conn.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM portal.dossier_results WHERE dossier_id = @id", new { id = d.Id }, c.Tx, cancellationToken: c.Ct));
        if (d.ApprovedAt is null) return new ActionOutcome.Refused("Kết quả chưa được lãnh đạo phê duyệt; hãy chuyển lãnh đạo phê duyệt trước.");
        if (results == 0) return new ActionOutcome.Refused("Hồ sơ chưa có văn bản kết quả; hãy thêm kết quả trước khi hoàn thành.");
        var step = d.Step ?? 0;
        c.Ledger.Finish(c.Now);
        await ClockLedgerStore.SaveAsync(c.Conn, c.Tx, d.Id, c.Ledger.Segments, c.Actor);
        var summary = c.Ledger.Compute(c.Calendar, c.Now);
        var closed = summary.Steps.FirstOrDefault(s => s.Step.Step == step);
        var subState = d.DeliveryMethod switch { "post" => "9.post", "counter" => "9.counter", _ => "9.online" };
        // The result goes back to the one-stop that received the dossier, which returns it.
        await UpdateAsync(c.Conn, c.Tx, d.Id, DossierStatus.Processed, subState, step, d.ReceivingId, (summary.EffectiveDue, null, null), c.Now, c.Ct);
        await FinishedAtAsync(c);
        var outcome = OutcomeKey(Classification.Classify(summary.EffectiveDue, c.Now, summary.SupplementRequests, c.Now,
            ClassificationRules.For(LegalTime.DateOf(c.Now))));
        await HistoryAsync(c.Conn, c.Tx, d.Id, c.Now, c.Actor, new("done", d.Status, DossierStatus.Processed, d.HolderCode,
            $"Hồ sơ {OutcomeName(outcome).ToLowerInvariant()}.")
        { Step = (short)step, ToAgencyCode = d.ReceivingCode, Receiver = d.ReceivingName, Outcome = OutcomeKey(closed?.Outcome) }, c.Ct);
        if (notify)
        {
            await EmailAsync(c, "result-ready", $"Hồ sơ {d.Code} đã có kết quả",
                d.DeliveryMethod switch
                {
                    "counter" => $"Hồ sơ {d.Code} đã có kết quả. Mời ông/bà đến {d.ReceivingName} để nhận kết quả, mang theo giấy tờ tùy thân.",
                    "post" => $"Hồ sơ {d.Code} đã có kết quả; kết quả sẽ được chuyển đến ông/bà qua dịch vụ bưu chính công ích.",
                    _ => $"Hồ sơ {d.Code} đã có kết quả. Đăng nhập mục Hồ sơ của tôi để tải kết quả điện tử.",
                });
        }
        return new ActionOutcome.Done(DossierStatus.Processed, $"Hồ sơ {d.Code} đã xử lý xong ({OutcomeName(outcome).ToLowerInvariant()}); chờ trả kết quả.");
    }

    async Task<ActionOutcome> ReturnResultAsync(Context c, ActionInput input)
    {
        var d = c.D;
        var method = input.Method ?? d.DeliveryMethod ?? "online";
        string? to = method switch
        {
            "counter" => Text.Clean(input.ReceivedBy, 200),
            "post" => Text.Clean(input.Waybill, 40),
            "online" => d.ApplicantName,
            _ => null,
        };
        if (to is null) return new ActionOutcome.Invalid([new("method", "Chọn cách trả kết quả: tại quầy, qua bưu chính hoặc trực tuyến.")]);
        if (to == "")
            return new ActionOutcome.Invalid([method == "counter"
                ? new FieldError("receivedBy", "Nhập họ tên người nhận kết quả.")
                : new FieldError("waybill", "Nhập số vận đơn bưu chính.")]);
        await c.Conn.ExecuteAsync(new CommandDefinition("""
            UPDATE portal.dossiers SET returned_at = @now, return_method = @method, returned_to = @to WHERE id = @id
            """, new { id = d.Id, now = c.Now, method, to }, c.Tx, cancellationToken: c.Ct));
        await UpdateAsync(c.Conn, c.Tx, d.Id, DossierStatus.Returned, $"10.{method}", d.Step, d.HolderId, (d.DueAt, null, null), c.Now, c.Ct);
        var how = method switch { "counter" => $"tại quầy cho {to}", "post" => $"qua bưu chính, vận đơn {to}", _ => "trực tuyến" };
        await HistoryAsync(c.Conn, c.Tx, d.Id, c.Now, c.Actor, new("return-result", d.Status, DossierStatus.Returned, d.HolderCodeOrReceiving,
            $"Trả kết quả {how}.") { Receiver = to }, c.Ct);
        await EmailAsync(c, "result-returned", $"Hồ sơ {d.Code} đã trả kết quả", $"Kết quả hồ sơ {d.Code} đã được trả {how}.");
        return new ActionOutcome.Done(DossierStatus.Returned, $"Đã trả kết quả hồ sơ {d.Code} {how}.");
    }
}
