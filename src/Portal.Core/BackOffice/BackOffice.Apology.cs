using Dapper;
using Portal.Core.Deadlines;
using Portal.Core.Dossiers;
using Portal.Core.Dossiers.Forms;

namespace Portal.Core.BackOffice;

public sealed partial class BackOffice
{
    /// <summary>
    /// The agency that causes the delay (R-G1, §6.7): the first step, in workflow order, that has used more than its
    /// budget; while none has, the unit holding the dossier now.
    /// </summary>
    static (string Code, ClockSummary Summary) Responsible(Context c)
    {
        var summary = c.Ledger.Compute(c.Calendar, c.Now);
        var over = summary.Steps.Where(s => s.Used > s.Budget).OrderBy(s => s.Step.Step).FirstOrDefault();
        return (over?.Step.AgencyCode ?? c.D.HolderCodeOrReceiving, summary);
    }

    /// <summary>The rules of the apology (versioned): once per dossier, and at least N working days before the current due.</summary>
    async Task<string?> ApologyBlockedAsync(Context c, ClockSummary summary, ApologyRules rules, bool approving)
    {
        if (c.Ledger.Extension is not null)
            return $"Hồ sơ đã được xin lỗi và hẹn lại một lần (hạn mới {LegalTime.Local(c.Ledger.Extension.NewDue):HH:mm dd/MM/yyyy}); theo quy định chỉ được hẹn lại một lần ({rules.Source}).";
        var approved = await c.Conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM portal.dossier_apologies WHERE dossier_id = @id AND approved_at IS NOT NULL)",
            new { id = c.D.Id }, c.Tx, cancellationToken: c.Ct));
        if (approved) return "Văn bản xin lỗi của hồ sơ này đã được phát hành; chỉ được hẹn lại một lần.";
        var left = c.Calendar.WorkingTimeBetween(c.Now, summary.CurrentDue);
        var needed = (long)(rules.MinWorkingDaysBefore * c.Calendar.DayTicks);
        if (left.Ticks < needed)
            return $"Chỉ còn {Workflow.Duration((decimal)left.TotalHours)} đến hạn trả kết quả ({LegalTime.Local(summary.CurrentDue):HH:mm dd/MM/yyyy}); " +
                   $"văn bản xin lỗi phải {(approving ? "được phát hành" : "được gửi")} chậm nhất {rules.MinWorkingDaysBefore:0.##} ngày làm việc trước hạn ({rules.Source}).";
        return null;
    }

    async Task<ActionOutcome> DraftApologyAsync(Context c, ActionInput input)
    {
        var d = c.D;
        var reason = Text.Clean(input.Reason, 2000);
        if (reason == "") return new ActionOutcome.Invalid([new("reason", "Nêu lý do chậm trả kết quả.")]);
        var (responsible, summary) = Responsible(c);
        if (!c.Scope.CoversCode(responsible))
        {
            var name = await c.Conn.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT name FROM portal.agency WHERE code = @responsible", new { responsible }, c.Tx, cancellationToken: c.Ct));
            return new ActionOutcome.Refused($"Hồ sơ chậm ở {name ?? responsible}; cơ quan gây chậm muộn soạn văn bản xin lỗi.");
        }
        var rules = ApologyRules.For(LegalTime.DateOf(c.Now));
        if (await ApologyBlockedAsync(c, summary, rules, approving: false) is { } blocked) return new ActionOutcome.Refused(blocked);
        var newDue = input.NewDue ?? ProposedDue(c, summary);
        if (newDue <= summary.CurrentDue)
            return new ActionOutcome.Invalid([new("newDue", $"Ngày hẹn mới phải sau hạn hiện tại ({LegalTime.Local(summary.CurrentDue):HH:mm dd/MM/yyyy}).")]);
        if (!c.Calendar.IsWorkingDay(LegalTime.DateOf(newDue)))
            return new ActionOutcome.Invalid([new("newDue", $"Ngày {LegalTime.DateOf(newDue):dd/MM/yyyy} là ngày nghỉ; hãy chọn một ngày làm việc.")]);
        await c.Conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO portal.dossier_apologies (dossier_id, agency_code, reason, current_due, new_due, rules_version, drafted_at, drafted_by)
            VALUES (@id, @responsible, @reason, @currentDue, @newDue, @version, @now, @actor)
            ON CONFLICT (dossier_id) DO UPDATE
               SET agency_code = EXCLUDED.agency_code, reason = EXCLUDED.reason, current_due = EXCLUDED.current_due,
                   new_due = EXCLUDED.new_due, rules_version = EXCLUDED.rules_version, drafted_at = EXCLUDED.drafted_at,
                   drafted_by = EXCLUDED.drafted_by
             WHERE dossier_apologies.approved_at IS NULL
            """, new
        {
            id = d.Id, responsible, reason, currentDue = summary.CurrentDue.ToUniversalTime(), newDue = newDue.ToUniversalTime(),
            version = rules.Version, now = c.Now, actor = c.Actor,
        }, c.Tx, cancellationToken: c.Ct));
        await TouchAsync(c.Conn, c.Tx, d.Id, c.Now, c.Ct);
        await HistoryAsync(c.Conn, c.Tx, d.Id, c.Now, c.Actor, new("draft-apology", d.Status, d.Status, responsible,
            $"Đề xuất hẹn lại {LegalTime.Local(newDue):HH:mm dd/MM/yyyy}. Lý do: {reason}") { Step = d.Step }, c.Ct);
        return new ActionOutcome.Done(d.Status,
            $"Đã soạn văn bản xin lỗi, đề xuất hẹn lại {LegalTime.Local(newDue):HH:mm dd/MM/yyyy}; chờ lãnh đạo cơ quan duyệt.");
    }

    /// <summary>
    /// The new appointment the deadline engine proposes: from now, the current step's remaining budget (at least a
    /// quarter of it) plus the budgets of the later steps; never earlier than one working day after the current due.
    /// </summary>
    static DateTimeOffset ProposedDue(Context c, ClockSummary summary)
    {
        var step = c.D.Step ?? 0;
        var current = summary.Steps.FirstOrDefault(s => s.Step.Step == step);
        var currentLeft = current is null ? 0 : Math.Max(current.Left.Ticks, current.Budget.Ticks / 4);
        var later = (long)(c.Steps.Where(s => s.Step > step).Sum(s => s.Hours) * TimeSpan.TicksPerHour);
        var position = c.Calendar.Position(c.Now) + currentLeft + later;
        var floor = c.Calendar.Position(summary.CurrentDue) + c.Calendar.DayTicks;
        return c.Calendar.AtPosition(Math.Max(position, floor), atEnd: true);
    }

    async Task<ActionOutcome> ApproveApologyAsync(Context c)
    {
        var d = c.D;
        var draft = await c.Conn.QuerySingleOrDefaultAsync<(string AgencyCode, string Reason, DateTimeOffset NewDue, DateTimeOffset? ApprovedAt, string AgencyName)?>(
            new CommandDefinition("""
                SELECT ap.agency_code, ap.reason, ap.new_due, ap.approved_at, a.name
                  FROM portal.dossier_apologies ap JOIN portal.agency a ON a.code = ap.agency_code
                 WHERE ap.dossier_id = @id
                """, new { id = d.Id }, c.Tx, cancellationToken: c.Ct));
        if (draft is not { } ap) return new ActionOutcome.Refused("Chưa có văn bản xin lỗi nào được soạn cho hồ sơ này.");
        if (!c.Scope.CoversCode(ap.AgencyCode))
            return new ActionOutcome.Refused($"Văn bản xin lỗi do {ap.AgencyName} soạn; lãnh đạo {ap.AgencyName} duyệt.");
        var summary = c.Ledger.Compute(c.Calendar, c.Now);
        var rules = ApologyRules.For(LegalTime.DateOf(c.Now));
        if (await ApologyBlockedAsync(c, summary, rules, approving: true) is { } blocked) return new ActionOutcome.Refused(blocked);
        var extension = c.Ledger.GrantExtension(c.Calendar, c.Now, ap.NewDue, ap.Reason);
        await ClockLedgerStore.SaveExtensionAsync(c.Conn, c.Tx, d.Id, extension, c.Actor);
        await c.Conn.ExecuteAsync(new CommandDefinition("""
            UPDATE portal.dossier_apologies SET approved_at = @now, approved_by = @actor WHERE dossier_id = @id
            """, new { id = d.Id, now = c.Now, actor = c.Actor }, c.Tx, cancellationToken: c.Ct));
        var plan = Plan(c.Ledger, c.Calendar, c.Steps, d.Step, c.Now);
        await UpdateAsync(c.Conn, c.Tx, d.Id, d.Status, d.SubState, d.Step, d.HolderId, plan, c.Now, c.Ct);
        var form = new ApologyLetter
        {
            Header = HeaderOf(d, ap.AgencyName, c.LookupBase, c.Now), Procedure = new(d.ProcedureCode, d.ProcedureName),
            Applicant = ApplicantOf(d), ReceivedAt = d.ReceivedAt ?? d.SubmittedAt ?? c.Now, OriginalDue = summary.CurrentDue,
            NewDue = ap.NewDue, Reason = ap.Reason, SignerName = c.User.Name, SignerTitle = "Thủ trưởng cơ quan",
        };
        var formId = await IssueFormAsync(c.Conn, c.Tx, d.Id, "apology", form, ap.AgencyCode, c.Actor, c.Now, c.Ct);
        await HistoryAsync(c.Conn, c.Tx, d.Id, c.Now, c.Actor, new("approve-apology", d.Status, d.Status, ap.AgencyCode,
            $"Xin lỗi và hẹn lại: {LegalTime.Local(summary.CurrentDue):HH:mm dd/MM/yyyy} → {LegalTime.Local(ap.NewDue):HH:mm dd/MM/yyyy}. Lý do: {ap.Reason}")
        { Step = d.Step }, c.Ct);
        await EmailAsync(c, "apology", $"Hồ sơ {d.Code}: thư xin lỗi và hẹn lại ngày trả kết quả",
            $"""
            {ap.AgencyName} thành thật xin lỗi vì hồ sơ {d.Code} ({d.ProcedureName}) chưa giải quyết được đúng hạn {LegalTime.Local(summary.CurrentDue):HH:mm dd/MM/yyyy}.
            Lý do: {ap.Reason}
            Ngày hẹn trả kết quả mới: {LegalTime.Local(ap.NewDue):HH:mm dd/MM/yyyy}.
            Phiếu xin lỗi và hẹn lại ngày trả kết quả được đính kèm.
            """, formId);
        return new ActionOutcome.Done(d.Status, $"Đã phát hành văn bản xin lỗi; hạn trả kết quả mới {LegalTime.Local(ap.NewDue):HH:mm dd/MM/yyyy}.");
    }
}
