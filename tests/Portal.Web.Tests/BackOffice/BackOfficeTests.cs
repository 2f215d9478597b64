using Portal.Core.BackOffice;
using Portal.Core.Documents;
using Portal.Core.Dossiers;
using Portal.Tests.Shared;
using Portal.Web.Tests.Database;
using static Portal.Web.Tests.BackOffice.BackOfficeWorld;

namespace Portal.Web.Tests.BackOffice;

// Every decision and transition of the back office on the real database: legal ones change what they should, illegal
// ones are refused with the reason, scoping hides other agencies' dossiers, and lateness lands on the agency that caused it.
[Collection("db")]
public sealed class BackOfficeTests(PostgresFixture db)
{
    static readonly SupplementItem[] Items = [new(1, "Tờ khai theo mẫu", "Thiếu chữ ký ở trang 2"), new(null, "Bản sao sổ đỏ", "Bản chụp mờ")];

    [Fact]
    public async Task Receiving_a_dossier_sets_the_appointment_issues_the_receipt_and_tells_the_citizen()
    {
        var w = await CreateAsync(db);
        var code = await w.SubmittedAsync();
        w.Clock.Now = At(23, 9, 30);

        var done = await w.DoAsync("A:receiving-officer", code, "receive");

        var state = await w.StateAsync(code);
        Assert.Equal((DossierStatus.Received, "2.to_forward", (short?)0, w.A), (state.Status, state.SubState, state.Step, state.Holder));
        Assert.Equal(At(26, 9), state.DueAt);   // 24 working hours from Monday 09:00: Thursday 09:00
        Assert.Contains("09:00 26/11/2026", done.Message);
        Assert.Equal(At(26, 9), await w.InstantAsync("SELECT original_due_at FROM portal.dossiers WHERE code = @code", new { code }));
        Assert.Equal(1, await w.ScalarAsync<int>("""
            SELECT count(*) FROM portal.dossier_forms f JOIN portal.dossiers d ON d.id = f.dossier_id WHERE d.code = @code AND f.kind = 'receipt'
            """, new { code }));
        Assert.Equal("Hồ sơ " + code + " đã được tiếp nhận", await w.ScalarAsync<string>("""
            SELECT subject FROM portal.outbox_messages WHERE kind = 'dossier-received' AND data ->> 'code' = @code
            """, new { code }));
        // The form is recorded with the transition and drawn, signed and kept on first use: the same file every time.
        var formId = await w.ScalarAsync<Guid>("SELECT f.id FROM portal.dossier_forms f JOIN portal.dossiers d ON d.id = f.dossier_id WHERE d.code = @code", new { code });
        Assert.Null(await w.ScalarAsync<string?>("SELECT sha256 FROM portal.dossier_forms WHERE id = @formId", new { formId }));
        var sha = (await w.Office.FormFileAsync(formId, default))!;
        Assert.Equal(sha, await w.Office.FormFileAsync(formId, default));
        Assert.Equal(sha, await w.ScalarAsync<string>("SELECT sha256 FROM portal.dossier_forms WHERE id = @formId", new { formId }));
        var bytes = await new FileStore(w.Citizens.FilesRoot).ReadAllAsync(sha, default);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(bytes[..5]));
        Assert.True(bytes.Length > 10_000, "the Noto fonts are embedded");
    }

    [Fact]
    public async Task Illegal_transitions_are_refused_with_the_reason_and_change_nothing()
    {
        var w = await CreateAsync(db);
        var code = await w.SubmittedAsync();
        await w.DoAsync("A:receiving-officer", code, "receive");

        var again = Assert.IsType<ActionOutcome.Refused>(await w.ActAsync("A:receiving-officer", code, "receive"));
        Assert.Contains("Được tiếp nhận", again.Message);
        Assert.IsType<ActionOutcome.Refused>(await w.ActAsync("A:receiving-officer", code, "refuse", new() { Reason = "Muộn" }));
        Assert.IsType<ActionOutcome.Refused>(await w.ActAsync("A:specialist", code, "done"));
        Assert.IsType<ActionOutcome.Refused>(await w.ActAsync("A:result-officer", code, "return-result", new() { Method = "online" }));
        // A role that may not take the action at all: forbidden, whatever the state.
        Assert.IsType<ActionOutcome.Forbidden>(await w.ActAsync("A:specialist", code, "refuse", new() { Reason = "x" }));
        Assert.IsType<ActionOutcome.Forbidden>(await w.ActAsync("A:supervisor", code, "forward"));
        Assert.Equal(DossierStatus.Received, (await w.StateAsync(code)).Status);
        Assert.Equal(2, await w.ScalarAsync<int>("SELECT count(*) FROM portal.dossier_history h JOIN portal.dossiers d ON d.id = h.dossier_id WHERE d.code = @code", new { code }));
    }

    [Fact]
    public async Task Refusal_needs_a_reason_and_then_ends_the_dossier()
    {
        var w = await CreateAsync(db);
        var code = await w.SubmittedAsync();
        var invalid = Assert.IsType<ActionOutcome.Invalid>(await w.ActAsync("A:receiving-officer", code, "refuse", new() { Reason = "  " }));
        Assert.Equal("reason", invalid.Problems.Single().Field);

        await w.DoAsync("A:receiving-officer", code, "refuse", new() { Reason = "Thủ tục không thuộc thẩm quyền (Điều 5 Nghị định 61/2018/NĐ-CP)" });
        Assert.Equal(DossierStatus.Refused, (await w.StateAsync(code)).Status);
        var after = Assert.IsType<ActionOutcome.Refused>(await w.ActAsync("A:receiving-officer", code, "receive"));
        Assert.Contains("đã kết thúc", after.Message);
    }

    [Fact]
    public async Task Another_agency_neither_sees_nor_acts_on_the_dossier()
    {
        var w = await CreateAsync(db);
        var code = await w.SubmittedAsync();

        Assert.IsType<ActionOutcome.NotFound>(await w.ActAsync("B:receiving-officer", code, "receive"));
        Assert.Null(await w.Office.ViewAsync(w["B:specialist"], code, "page", default));
        Assert.DoesNotContain(await w.Office.InboxAsync(w["B:receiving-officer"], 1, default), d => d.Code == code);
        Assert.Contains(await w.Office.InboxAsync(w["A:receiving-officer"], 1, default), d => d.Code == code);
        // The supervisor reads everything and acts on nothing.
        Assert.NotNull(await w.Office.ViewAsync(w["A:supervisor"], code, "page", default));
        Assert.Equal(1, await w.ScalarAsync<int>("""
            SELECT count(*) FROM portal.dossier_reads r JOIN portal.dossiers d ON d.id = r.dossier_id WHERE d.code = @code AND r.via = 'page'
            """, new { code }));
    }

    [Fact]
    public async Task Of_two_officers_receiving_at_once_one_wins_and_the_other_is_told_why()
    {
        var w = await CreateAsync(db);
        var code = await w.SubmittedAsync();
        var seen = (await w.Office.ViewAsync(w["A:receiving-officer"], code, "page", default))!.RowVersion;
        var second = w["A:receiving-officer"] with { Id = w["A:head-of-division"].Id, Login = w["A:head-of-division"].Login };

        var outcomes = await Task.WhenAll(
            w.Office.ActAsync(w["A:receiving-officer"], code, "receive", new() { ExpectedVersion = seen }, null, "https://dvc.test", default),
            w.Office.ActAsync(second, code, "receive", new() { ExpectedVersion = seen }, null, "https://dvc.test", default));

        Assert.Single(outcomes.OfType<ActionOutcome.Done>());
        var conflict = Assert.IsType<ActionOutcome.Conflict>(outcomes.Single(o => o is not ActionOutcome.Done));
        Assert.Contains("vừa được cán bộ", conflict.Message);
        Assert.Contains("tải lại trang", conflict.Message);
        Assert.Equal(1, await w.ScalarAsync<int>("""
            SELECT count(*) FROM portal.dossier_history h JOIN portal.dossiers d ON d.id = h.dossier_id WHERE d.code = @code AND h.action = 'receive'
            """, new { code }));
    }

    [Fact]
    public async Task Three_agencies_the_second_is_late_it_is_blamed_and_it_drafts_the_apology_which_is_issued_once()
    {
        var w = await CreateAsync(db);
        var code = await w.SubmittedAsync();
        w.Clock.Now = At(23, 9, 30);
        await w.DoAsync("A:receiving-officer", code, "receive");
        w.Clock.Now = At(23, 10);
        await w.DoAsync("A:receiving-officer", code, "forward");                       // step 0 → 1 at A
        Assert.Equal(((short?)1, w.A), ((await w.StateAsync(code)).Step, (await w.StateAsync(code)).Holder));
        // Forward to another agency is the wrong button in processing; transfer is the right one.
        w.Clock.Now = At(23, 14);
        Assert.Contains("Chuyển liên thông", Assert.IsType<ActionOutcome.Refused>(await w.ActAsync("A:specialist", code, "forward")).Message);
        await w.DoAsync("A:specialist", code, "transfer");                             // step 1 → 2 at B (liên thông)
        var atB = await w.StateAsync(code);
        Assert.Equal(((short?)2, w.B, "4.interagency"), (atB.Step, atB.Holder, atB.SubState));
        // A no longer holds it: it can still read it, not act on it.
        Assert.NotNull(await w.Office.ViewAsync(w["A:specialist"], code, "page", default));
        Assert.IsType<ActionOutcome.Refused>(await w.ActAsync("A:specialist", code, "transfer"));

        // Tuesday 15:00: B has used 9 of its 8 working hours. The dossier is due Thursday 09:00 (12 working hours left).
        w.Clock.Now = At(24, 15);
        var refused = Assert.IsType<ActionOutcome.Refused>(await w.ActAsync("A:specialist", code, "draft-apology", new() { Reason = "Chậm" }));
        Assert.Contains("cơ quan gây chậm muộn", refused.Message);
        await w.DoAsync("B:specialist", code, "draft-apology", new() { Reason = "Phải xác minh nguồn gốc đất tại thực địa" });
        Assert.Equal(w.B, await w.ScalarAsync<string>("SELECT agency_code FROM portal.dossier_apologies ap JOIN portal.dossiers d ON d.id = ap.dossier_id WHERE d.code = @code", new { code }));
        // Only B's leader approves it.
        Assert.IsType<ActionOutcome.Refused>(await w.ActAsync("A:agency-leader", code, "approve-apology"));
        w.Clock.Now = At(24, 15, 30);
        var issued = await w.DoAsync("B:agency-leader", code, "approve-apology");
        var newDue = await w.InstantAsync("SELECT new_due FROM portal.dossier_deadline_extensions e JOIN portal.dossiers d ON d.id = e.dossier_id WHERE d.code = @code", new { code });
        Assert.True(newDue > At(26, 9));
        Assert.Equal(newDue, (await w.StateAsync(code)).DueAt);                                   // the due shown everywhere is the new one
        Assert.Equal(At(26, 9), await w.InstantAsync("SELECT original_due_at FROM portal.dossiers WHERE code = @code", new { code }));   // statistics keep the original
        Assert.Contains("hạn trả kết quả mới", issued.Message);
        Assert.Equal(1, await w.ScalarAsync<int>("SELECT count(*) FROM portal.outbox_messages WHERE kind = 'apology' AND data ->> 'code' = @code", new { code }));

        // The second apology is refused, drafted or approved.
        var second = Assert.IsType<ActionOutcome.Refused>(await w.ActAsync("B:specialist", code, "draft-apology", new() { Reason = "Lần nữa" }));
        Assert.Contains("một lần", second.Message);
        Assert.IsType<ActionOutcome.Refused>(await w.ActAsync("B:agency-leader", code, "approve-apology"));

        // Wednesday 09:00 B hands over to C: its step is recorded late on the control slip; A finished its reception the same day (on time) and its appraisal a day early.
        w.Clock.Now = At(25, 9);
        await w.DoAsync("B:specialist", code, "transfer");
        var view = (await w.Office.ViewAsync(w["C:specialist"], code, "page", default))!;
        var handOvers = view.History.Where(h => h.Action is "forward" or "transfer").ToList();
        Assert.Equal(["on-time", "early", "late"], handOvers.Select(h => h.Outcome));
        Assert.Equal([w.A, w.B, w.C], handOvers.Select(h => h.ToAgencyCode));
        Assert.Contains(w.B, view.Clock!.LateAgencies.Count == 0 ? view.Clock.Steps.Where(s => s.Used > s.Budget).Select(s => s.Step.AgencyCode) : view.Clock.LateAgencies);

        // C and A finish: approve, result, done, return.
        w.Clock.Now = At(25, 11);
        await w.DoAsync("C:specialist", code, "transfer");
        Assert.IsType<ActionOutcome.Refused>(await w.ActAsync("A:agency-leader", code, "done"));   // not approved, no result
        await w.DoAsync("A:agency-leader", code, "approve");
        var pdf = await new FileStore(w.Citizens.FilesRoot).SaveAsync(new MemoryStream(TestPdfs.OnePage("Giấy chứng nhận")), 1 << 20, default);
        var result = await w.DoAsync("A:agency-leader", code, "add-result", new() { Title = "Giấy chứng nhận" },
            new ResultFile(((StoreOutcome.Saved)pdf).File, "giay-chung-nhan.pdf"));
        Assert.Contains($"{code}-KQ1", result.Message);
        w.Clock.Now = At(25, 14);
        await w.DoAsync("A:agency-leader", code, "done");
        Assert.Equal((DossierStatus.Processed, w.A), ((await w.StateAsync(code)).Status, (await w.StateAsync(code)).Holder));
        var noName = Assert.IsType<ActionOutcome.Invalid>(await w.ActAsync("A:result-officer", code, "return-result", new() { Method = "counter" }));
        Assert.Equal("receivedBy", noName.Problems.Single().Field);
        await w.DoAsync("A:result-officer", code, "return-result", new() { Method = "counter", ReceivedBy = "Nguyễn Thị Hường" });
        Assert.Equal((DossierStatus.Returned, "10.counter"), ((await w.StateAsync(code)).Status, (await w.StateAsync(code)).SubState));
        Assert.IsType<ActionOutcome.Refused>(await w.ActAsync("A:agency-leader", code, "stop", new() { Reason = "x" }));

        // The citizen finds the receipt, the apology and the result on their page; nobody else does.
        var applicant = await w.ScalarAsync<Guid>("SELECT applicant_id FROM portal.dossiers WHERE code = @code", new { code });
        var toCitizen = await w.Citizens.Store.IssuedAsync(applicant, code, default);
        Assert.Equal(["receipt", "apology", "result"], toCitizen.Select(i => i.Kind));
        Assert.Equal($"{code}-KQ1", toCitizen[^1].ResultCode);
        Assert.Empty(await w.Citizens.Store.IssuedAsync(await w.Citizens.ApplicantAsync(), code, default));
    }

    [Fact]
    public async Task The_late_risk_list_shows_a_dossier_once_the_time_left_is_below_what_the_later_steps_need()
    {
        var w = await CreateAsync(db);
        var code = await w.SubmittedAsync();
        w.Clock.Now = At(23, 9, 30);
        await w.DoAsync("A:receiving-officer", code, "receive");
        await w.DoAsync("A:receiving-officer", code, "forward");
        w.Clock.Now = At(23, 14);
        await w.DoAsync("A:specialist", code, "transfer");
        // At B (step 2), with steps 3 and 4 needing 8 working hours: at risk from Wednesday 09:00 (due Thursday 09:00).
        w.Clock.Now = At(24, 16);
        Assert.DoesNotContain(await w.Office.LateRiskAsync(w["B:specialist"], 1, default), d => d.Code == code);
        w.Clock.Now = At(25, 10);
        Assert.Contains(await w.Office.LateRiskAsync(w["B:specialist"], 1, default), d => d.Code == code);
        Assert.DoesNotContain(await w.Office.LateRiskAsync(w["C:specialist"], 1, default), d => d.Code == code);
    }

    [Fact]
    public async Task An_apology_is_refused_with_less_than_one_working_day_left()
    {
        var w = await CreateAsync(db);
        var code = await w.SubmittedAsync();
        await w.DoAsync("A:receiving-officer", code, "receive");
        await w.DoAsync("A:receiving-officer", code, "forward");
        w.Clock.Now = At(25, 10);   // Wednesday 10:00: 7 working hours before Thursday 09:00
        var refused = Assert.IsType<ActionOutcome.Refused>(await w.ActAsync("A:specialist", code, "draft-apology", new() { Reason = "Chậm" }));
        Assert.Contains("chậm nhất 1 ngày làm việc trước hạn", refused.Message);
        Assert.Equal(0, await w.ScalarAsync<int>("SELECT count(*) FROM portal.dossier_apologies ap JOIN portal.dossiers d ON d.id = ap.dossier_id WHERE d.code = @code", new { code }));
    }

    [Fact]
    public async Task A_supplement_in_processing_moves_the_due_date_by_the_pause_and_the_second_is_flagged_766()
    {
        var w = await CreateAsync(db);
        var code = await w.SubmittedAsync();
        await w.DoAsync("A:receiving-officer", code, "receive");
        await w.DoAsync("A:receiving-officer", code, "forward");
        w.Clock.Now = At(23, 11);
        var first = await w.DoAsync("A:specialist", code, "request-supplement", new() { Items = Items });
        Assert.DoesNotContain("766", first.Message);
        Assert.Equal((DossierStatus.AwaitingSupplement, "5.in_processing"), ((await w.StateAsync(code)).Status, (await w.StateAsync(code)).SubState));
        var id = await w.ScalarAsync<Guid>("SELECT id FROM portal.dossiers WHERE code = @code", new { code });
        var applicant = await w.ScalarAsync<Guid>("SELECT applicant_id FROM portal.dossiers WHERE code = @code", new { code });

        w.Clock.Now = At(25, 11);   // two working days later
        Assert.Null(await w.Citizens.Store.ResubmitAsync(applicant, id, null, default));
        Assert.Equal(At(30, 9), (await w.StateAsync(code)).DueAt);   // Thursday 09:00 + 16 working hours = Monday 30/11 09:00
        Assert.NotNull(await w.ScalarAsync<DateTime?>("SELECT risk_at FROM portal.dossiers WHERE code = @code", new { code }));   // back on the lists

        w.Clock.Now = At(25, 14);
        var empty = Assert.IsType<ActionOutcome.Invalid>(await w.ActAsync("A:specialist", code, "request-supplement", new() { Items = [] }));
        Assert.Equal("items", empty.Problems.Single().Field);
        var second = await w.DoAsync("A:specialist", code, "request-supplement", new() { Items = [Items[0]] });
        Assert.Contains("Quyết định 766", second.Message);
        // While the citizen has not answered, another request is refused (one open request at a time).
        Assert.IsType<ActionOutcome.Refused>(await w.ActAsync("A:specialist", code, "request-supplement", new() { Items = Items }));
    }

    [Fact]
    public async Task Fees_stop_the_clock_until_confirmed_and_a_stop_needs_the_leader()
    {
        var w = await CreateAsync(db);
        var code = await w.SubmittedAsync();
        await w.DoAsync("A:receiving-officer", code, "receive");
        await w.DoAsync("A:receiving-officer", code, "forward");
        Assert.IsType<ActionOutcome.Invalid>(await w.ActAsync("A:specialist", code, "request-fees", new() { AmountVnd = 0 }));
        await w.DoAsync("A:specialist", code, "request-fees", new() { AmountVnd = 1_250_000, Note = "Lệ phí trước bạ" });
        Assert.Equal(DossierStatus.AwaitingPayment, (await w.StateAsync(code)).Status);
        w.Clock.Now = At(24, 9);   // one working day of waiting
        await w.DoAsync("A:specialist", code, "confirm-payment");
        Assert.Equal(DossierStatus.Processing, (await w.StateAsync(code)).Status);
        Assert.True((await w.StateAsync(code)).DueAt > At(26, 9));

        Assert.IsType<ActionOutcome.Forbidden>(await w.ActAsync("A:specialist", code, "stop", new() { Reason = "Không đủ điều kiện" }));
        await w.DoAsync("A:agency-leader", code, "stop", new() { Reason = "Người nộp không đủ điều kiện theo Điều 7" });
        Assert.Equal(DossierStatus.Stopped, (await w.StateAsync(code)).Status);
    }

    [Fact]
    public async Task Assignment_goes_to_a_specialist_of_the_holding_unit_only()
    {
        var w = await CreateAsync(db);
        var code = await w.SubmittedAsync();
        await w.DoAsync("A:receiving-officer", code, "receive");
        await w.DoAsync("A:receiving-officer", code, "forward");
        Assert.IsType<ActionOutcome.Invalid>(await w.ActAsync("A:head-of-division", code, "assign", new() { Assignee = w["B:specialist"].Login }));
        await w.DoAsync("A:head-of-division", code, "assign", new() { Assignee = w["A:specialist"].Login });
        Assert.Contains(await w.Office.ListAsync(w["A:specialist"], null, null, mine: true, 1, default), d => d.Code == code);
    }

    [Fact]
    public async Task Counter_intake_receives_at_once_and_postal_intake_waits_in_the_inbox()
    {
        var w = await CreateAsync(db);
        var officer = w["A:receiving-officer"];
        IntakeInput Input(string channel, short[] documents) => new()
        {
            ProcedureCode = w.Citizens.ProcedureCode, Channel = channel, Applicant = Portal.Web.Tests.Dossiers.DossierWorld.Huong,
            DeliveryMethod = "counter", Waybill = channel == "postal" ? "EE123456789VN" : null, DocumentsReceived = documents,
        };

        var missing = Assert.IsType<IntakeOutcome.Invalid>(await w.Office.IntakeAsync(officer, Input("direct", []), "https://dvc.test", default));
        Assert.Equal("DocumentsReceived", missing.Problems.Single().Field);
        Assert.IsType<IntakeOutcome.Invalid>(await w.Office.IntakeAsync(w["A:specialist"], Input("direct", [1]), "https://dvc.test", default));
        var noWaybill = Assert.IsType<IntakeOutcome.Invalid>(await w.Office.IntakeAsync(officer, Input("postal", [1]) with { Waybill = "" }, "https://dvc.test", default));
        Assert.Equal("Waybill", noWaybill.Problems.Single().Field);

        var counter = Assert.IsType<IntakeOutcome.Created>(await w.Office.IntakeAsync(officer, Input("direct", [1, 2]), "https://dvc.test", default));
        Assert.Equal(DossierStatus.Received, counter.Status);
        Assert.StartsWith(w.A + "-261123-", counter.Code);
        Assert.Equal(("direct", DossierStatus.Received), (await w.ScalarAsync<string>("SELECT channel FROM portal.dossiers WHERE code = @code", new { code = counter.Code }),
            (await w.StateAsync(counter.Code)).Status));
        Assert.Equal(1, await w.ScalarAsync<int>("SELECT count(*) FROM portal.dossier_forms f JOIN portal.dossiers d ON d.id = f.dossier_id WHERE d.code = @code", new { code = counter.Code }));

        var postal = Assert.IsType<IntakeOutcome.Created>(await w.Office.IntakeAsync(officer, Input("postal", [1]), "https://dvc.test", default));
        Assert.Equal(DossierStatus.Submitted, postal.Status);
        Assert.Equal("EE123456789VN", await w.ScalarAsync<string>("SELECT postal_waybill FROM portal.dossiers WHERE code = @code", new { code = postal.Code }));
        Assert.Contains(await w.Office.InboxAsync(officer, 1, default), d => d.Code == postal.Code);
        await w.DoAsync("A:receiving-officer", postal.Code, "receive");
    }

    [Fact]
    public async Task A_withdrawal_request_is_confirmed_into_a_stop_or_declined_back_to_where_it_was()
    {
        var w = await CreateAsync(db);
        var kept = await w.SubmittedAsync();
        var ended = await w.SubmittedAsync();
        foreach (var code in new[] { kept, ended })
        {
            await w.DoAsync("A:receiving-officer", code, "receive");
            await w.DoAsync("A:receiving-officer", code, "forward");
            var id = await w.ScalarAsync<Guid>("SELECT id FROM portal.dossiers WHERE code = @code", new { code });
            var applicant = await w.ScalarAsync<Guid>("SELECT applicant_id FROM portal.dossiers WHERE code = @code", new { code });
            Assert.Null(await w.Citizens.Store.WithdrawAsync(applicant, id, "Tôi không còn nhu cầu", default));
        }
        Assert.IsType<ActionOutcome.Invalid>(await w.ActAsync("A:agency-leader", kept, "decline-withdrawal", new() { Reason = "" }));
        await w.DoAsync("A:agency-leader", kept, "decline-withdrawal", new() { Reason = "Hồ sơ đã được thẩm định xong, chờ ký" });
        Assert.Equal((DossierStatus.Processing, "4.review"), ((await w.StateAsync(kept)).Status, (await w.StateAsync(kept)).SubState));
        await w.DoAsync("A:receiving-officer", ended, "confirm-withdrawal");
        Assert.Equal(DossierStatus.Stopped, (await w.StateAsync(ended)).Status);
        Assert.Equal(1, await w.ScalarAsync<int>("SELECT count(*) FROM portal.dossier_forms f JOIN portal.dossiers d ON d.id = f.dossier_id WHERE d.code = @code AND f.kind = 'stop'", new { code = ended }));
    }
}
