using System.Text.Json;
using Dapper;
using Portal.Core.Deadlines;
using Portal.Core.Dossiers;
using Portal.Core.Identity;

namespace Portal.Core.BackOffice;

public sealed partial class BackOffice
{
    const string IntakeSql = """
        INSERT INTO portal.dossiers (applicant_id, procedure_id, version_id, receiving_agency_id, status, sub_state, code, channel,
                                     answers, current_step, created_at, updated_at, submitted_at, applicant_name, lookup_phone,
                                     lookup_id_number, delivery_method, postal_waybill, holder_agency_id)
        VALUES (NULL, @procedureId, @versionId, @unitId, 1, @subState, @code, @channel, @answers::jsonb, 'kiem-tra', @now, @now, @now,
                @applicantName, @phone, @identifier, @delivery, @waybill, @unitId)
        RETURNING id
        """;

    /// <summary>
    /// A paper dossier typed in by the officer: at the counter (channel direct) it is registered and received at once
    /// (status 2, receipt issued); by post (channel postal, with the waybill) it is registered (status 1, 1.postal) and
    /// waits in the inbox to be checked like an online one. The code is the officer's unit's (R-C3).
    /// </summary>
    public async Task<IntakeOutcome> IntakeAsync(StaffUser user, IntakeInput input, string lookupBase, CancellationToken ct)
    {
        var problems = new List<FieldError>();
        if (!user.Has("receiving-officer")) problems.Add(new("", "Chỉ cán bộ tiếp nhận nhận hồ sơ trực tiếp hoặc qua bưu chính."));
        if (user.AgencyCode is null) problems.Add(new("", "Tài khoản của bạn chưa gắn với đơn vị tiếp nhận nào."));
        var applicant = input.Applicant.Normalised();
        problems.AddRange(applicant.Validate());
        if (input.Channel is not ("direct" or "postal")) problems.Add(new("Channel", "Chọn hình thức nộp: trực tiếp hoặc qua bưu chính."));
        var waybill = Text.Clean(input.Waybill, 40);
        if (input.Channel == "postal" && waybill == "") problems.Add(new("Waybill", "Nhập số vận đơn của bưu gửi."));
        if (input.DeliveryMethod is not ("counter" or "post" or "online")) problems.Add(new("DeliveryMethod", "Chọn cách nhận kết quả."));
        if (input.DeliveryMethod == "online" && applicant.Email == "")
            problems.Add(new("Email", "Nhận kết quả trực tuyến cần địa chỉ email của người nộp."));
        var version = await InForceAsync(input.ProcedureCode, ct);
        if (version is null) problems.Add(new("ProcedureCode", "Chọn một thủ tục đang có hiệu lực."));
        else if (!version.Value.Channels.Contains(input.Channel))
            problems.Add(new("Channel", input.Channel == "postal" ? "Thủ tục này không nhận hồ sơ qua bưu chính." : "Thủ tục này không nhận hồ sơ trực tiếp."));
        if (problems.Count > 0) return new IntakeOutcome.Invalid(problems);
        var v = version!.Value;
        if (v.RequiredLines.Except(input.DocumentsReceived).Any())
            return new IntakeOutcome.Invalid([new("DocumentsReceived",
                "Hồ sơ giấy chưa đủ thành phần bắt buộc. Hướng dẫn người nộp bổ sung, hoặc tiếp nhận khi đã đủ (không tiếp nhận hồ sơ thiếu).")]);

        var now = clock.GetUtcNow();
        var calendar = await calendars.CalendarAsync(user.AgencyCode, ct);
        string code;
        await using (var conn = await db.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            var unit = await conn.QuerySingleAsync<Guid>(new CommandDefinition("SELECT id FROM portal.agency WHERE code = @code",
                new { code = user.AgencyCode }, tx, cancellationToken: ct));
            code = await DossierCode.NextAsync(conn, tx, user.AgencyCode!, LegalTime.DateOf(now));
            var answers = new DossierAnswers
            {
                Applicant = applicant, Owner = new OwnerAnswers { SameAsApplicant = true },
                Delivery = new DeliveryAnswers { Method = input.DeliveryMethod },
            };
            var id = await conn.ExecuteScalarAsync<Guid>(new CommandDefinition(IntakeSql, new
            {
                procedureId = v.ProcedureId, versionId = v.VersionId, unitId = unit, subState = input.Channel == "postal" ? "1.postal" : "1.counter",
                code, channel = input.Channel, answers = JsonSerializer.Serialize(answers, Json), now, applicantName = applicant.FullName,
                phone = Logins.Phone(applicant.Phone), identifier = applicant.Identifier == "" ? null : applicant.Identifier,
                delivery = input.DeliveryMethod, waybill = waybill == "" ? null : waybill,
            }, tx, cancellationToken: ct));
            var ledger = new ClockLedger(v.Rule);
            ledger.Start(now, user.AgencyCode!, 0);
            await ClockLedgerStore.SaveAsync(conn, tx, id, ledger.Segments, user.Actor);
            await conn.ExecuteAsync(new CommandDefinition("UPDATE portal.dossiers SET due_at = @due WHERE id = @id",
                new { id, due = ledger.Compute(calendar, now).CurrentDue.ToUniversalTime() }, tx, cancellationToken: ct));
            var received = string.Join("; ", v.Documents.Where(d => input.DocumentsReceived.Contains(d.LineNo)).Select(d => d.Name));
            await HistoryAsync(conn, tx, id, now, user.Actor, new(input.Channel == "postal" ? "postal-intake" : "intake", 0, DossierStatus.Submitted,
                user.AgencyCode, input.Channel == "postal" ? $"Bưu gửi số {waybill}. Giấy tờ: {received}" : $"Giấy tờ nhận bản giấy: {received}") { Step = 0 }, ct);
            await tx.CommitAsync(ct);
        }
        if (input.Channel == "postal") return new IntakeOutcome.Created(code, DossierStatus.Submitted);
        // At the counter the complete dossier is received at once: the same action as for an online one (receipt, clock).
        var outcome = await ActAsync(user, code, "receive", new ActionInput(), null, lookupBase, ct);
        return new IntakeOutcome.Created(code, outcome is ActionOutcome.Done ? DossierStatus.Received : DossierStatus.Submitted);
    }

    async Task<(Guid ProcedureId, Guid VersionId, string[] Channels, DeadlineRule Rule, short[] RequiredLines, IReadOnlyList<(short LineNo, string Name, bool Required)> Documents)?> InForceAsync(
        string procedureCode, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var v = await conn.QuerySingleOrDefaultAsync<(Guid ProcedureId, Guid VersionId, string[] Channels)?>(new CommandDefinition("""
            SELECT p.id, v.id, v.channels FROM portal.procedure p JOIN portal.procedure_version v ON v.procedure_id = p.id
             WHERE p.code = @procedureCode AND v.effective_from <= @today AND (v.effective_to IS NULL OR v.effective_to > @today)
            """, new { procedureCode = procedureCode.Trim(), today = LegalTime.Today(clock) }, cancellationToken: ct));
        if (v is not { } version) return null;
        var time = await conn.QuerySingleAsync<Catalogue.ProcessingTime>(new CommandDefinition("""
            SELECT amount, unit, cut_off FROM portal.procedure_processing_time
             WHERE version_id = @VersionId ORDER BY channel = 'direct' DESC LIMIT 1
            """, new { version.VersionId }, cancellationToken: ct));
        var docs = (await conn.QueryAsync<(short LineNo, string Name, bool Required)>(new CommandDefinition(
            "SELECT line_no, name, required FROM portal.procedure_document WHERE version_id = @VersionId ORDER BY line_no",
            new { version.VersionId }, cancellationToken: ct))).ToList();
        return (version.ProcedureId, version.VersionId, version.Channels, time.ToRule(), [.. docs.Where(d => d.Required).Select(d => d.LineNo)], docs);
    }
}
