using Dapper;
using Portal.Core.BackOffice;
using Portal.Core.Deadlines;
using Portal.Core.Documents;
using Portal.Core.Dossiers;
using Portal.Core.Identity;
using Portal.Core.Reminders;
using Portal.Tests.Shared;
using Portal.Web.Tests.BackOffice;
using Portal.Web.Tests.Database;
using Portal.Web.Tests.Dossiers;
using static Portal.Web.Tests.BackOffice.BackOfficeWorld;

namespace Portal.Web.Tests.Reminders;

// The reminder sweep on the real database, at instants the tests choose. The collection's database is shared, so a
// sweep also reminds other tests' dossiers: every assertion reads this test's dossiers only. The world's workflow
// (BackOfficeWorld): reception 2 h and appraisal 6 h at A, 1 working day at B, 4 h at C, A's leader 4 h.
[Collection("db")]
public sealed class RemindersTests(PostgresFixture db)
{
    const string Url = "https://dvc.test";

    Portal.Core.Reminders.Reminders Sweeper(BackOfficeWorld w) =>
        new(db.DataSource, w.Clock, new CalendarStore(db.DataSource), new ReminderSettings { PublicUrl = Url });

    async Task<ReminderRun> SweepAt(BackOfficeWorld w, DateTimeOffset at)
    {
        w.Clock.Now = at;
        return await Sweeper(w).SweepAsync(default);
    }

    /// <summary>The world's staff get addresses (login@binhson.gov.vn), as the demo's do.</summary>
    async Task WithEmailsAsync(BackOfficeWorld w)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await conn.ExecuteAsync("UPDATE portal.staff_accounts SET email = login || '@binhson.gov.vn' WHERE login = ANY (@logins)",
            new { logins = w.Staff.Values.Select(s => s.Login).ToArray() });
    }

    static string Email(BackOfficeWorld w, string who) => w[who].Login + "@binhson.gov.vn";

    async Task<List<(short Step, string Kind, short Recipients)>> SentAsync(string code)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        return [.. await conn.QueryAsync<(short, string, short)>("""
            SELECT s.step, s.kind, s.recipients FROM portal.reminders_sent s JOIN portal.dossiers d ON d.id = s.dossier_id
             WHERE d.code = @code ORDER BY s.sent_at, s.step, s.kind
            """, new { code })];
    }

    sealed record Message
    {
        public string Recipient { get; init; } = "";
        public string Subject { get; init; } = "";
        public string BodyText { get; init; } = "";
        public string? Link { get; init; }
    }

    async Task<List<Message>> MessagesAsync(string code, string kind)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        return [.. await conn.QueryAsync<Message>("""
            SELECT o.recipient, o.subject, o.body_text, o.data ->> 'link' AS link
              FROM portal.outbox_messages o JOIN portal.dossiers d ON d.id = o.dossier_id
             WHERE d.code = @code AND o.kind = @kind ORDER BY o.created_at, o.recipient
            """, new { code, kind })];
    }

    [Fact]
    public async Task A_step_is_reminded_when_under_four_working_hours_are_left_then_when_overdue_once_each_and_again_at_the_next_step()
    {
        var w = await CreateAsync(db);
        await WithEmailsAsync(w);
        // A second specialist at A, to whom the head assigns the dossier.
        var assignee = $"cv{Given.Next()}";
        Assert.Empty(await new StaffAccounts(db.DataSource).CreateAsync(assignee, "Trần Văn Phân", "mat-khau-kiem-thu-2026", ["specialist"], w.A, default,
            $"{assignee}@binhson.gov.vn"));
        w.Clock.Now = At(27, 14);                                           // Friday afternoon
        var code = await w.SubmittedAsync();
        await w.DoAsync("A:receiving-officer", code, "receive");
        w.Clock.Now = At(27, 14, 30);
        await w.DoAsync("A:receiving-officer", code, "forward");             // step 1, appraisal at A: 6 working hours
        Assert.Equal(At(30, 10, 30), await w.InstantAsync("SELECT step_due_at FROM portal.dossiers WHERE code = @code", new { code }));

        // Friday 16:00: 1 h today and 3.5 h on Monday are left, not less than 4.
        await SweepAt(w, At(27, 16));
        Assert.DoesNotContain(await SentAsync(code), s => s.Kind.StartsWith("reminder-step-", StringComparison.Ordinal));

        // Saturday: the weekend does not count, 3.5 working hours are left. The step is unassigned: A's specialists (both)
        // are told, nobody else.
        var run = await SweepAt(w, At(28, 10));
        Assert.True(run.ByKind[ReminderKinds.StepDueSoon] >= 1);
        Assert.Contains(((short)1, ReminderKinds.StepDueSoon, (short)2), await SentAsync(code));
        var both = await MessagesAsync(code, ReminderKinds.StepDueSoon);
        Assert.Equal([$"{assignee}@binhson.gov.vn", Email(w, "A:specialist")], both.Select(m => m.Recipient).Order());
        var soon = both[0];
        Assert.Equal($"Hồ sơ {code} sắp hết thời gian xử lý bước “Thẩm định”", soon.Subject);
        Assert.Contains("Thời hạn của bước: 10:30 ngày 30/11/2026 (còn 3 giờ 30 phút làm việc)", soon.BodyText);
        Assert.Equal($"{Url}/can-bo/ho-so/{code}", soon.Link);

        // A second sweep sends nothing again.
        var before = await SentAsync(code);
        await SweepAt(w, At(28, 11));
        Assert.Equal(before, await SentAsync(code));
        Assert.Equal(2, (await MessagesAsync(code, ReminderKinds.StepDueSoon)).Count);

        // Monday: the head assigns it; at 10:29 it is not overdue yet, at 10:31 it is — and only the assignee is told.
        w.Clock.Now = At(30, 8);
        await w.DoAsync("A:head-of-division", code, "assign", new() { Assignee = assignee });
        await SweepAt(w, At(30, 10, 29));
        Assert.Empty(await MessagesAsync(code, ReminderKinds.StepOverdue));
        await SweepAt(w, At(30, 10, 31));
        var overdue = Assert.Single(await MessagesAsync(code, ReminderKinds.StepOverdue));
        Assert.Equal($"{assignee}@binhson.gov.vn", overdue.Recipient);
        Assert.Contains("Thời hạn của bước là 10:30 ngày 30/11/2026", overdue.BodyText);

        // The next step (B, 1 working day from Monday 11:00) is reminded again, to B's specialists.
        w.Clock.Now = At(30, 11);
        await w.DoAsync("A:specialist", code, "transfer");
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 11, 0, 0, TimeSpan.FromHours(7)),
            await w.InstantAsync("SELECT step_due_at FROM portal.dossiers WHERE code = @code", new { code }));
        await SweepAt(w, new DateTimeOffset(2026, 12, 1, 11, 30, 0, TimeSpan.FromHours(7)));
        var sent = await SentAsync(code);
        Assert.Contains(((short)2, ReminderKinds.StepOverdue, (short)1), sent);
        Assert.DoesNotContain(sent, s => s is { Step: 2, Kind: ReminderKinds.StepDueSoon });   // already overdue: not "due soon" as well
        Assert.Equal([$"{assignee}@binhson.gov.vn", Email(w, "B:specialist")], (await MessagesAsync(code, ReminderKinds.StepOverdue)).Select(m => m.Recipient));
    }
    /// <summary>Submitted Monday 09:00 (due Thursday 09:00), received, forwarded at 10:00 to step 1 (appraisal at A, 6 h).</summary>
    static async Task<string> AtAppraisalAsync(BackOfficeWorld w)
    {
        w.Clock.Now = At(23, 9);
        var code = await w.SubmittedAsync();
        w.Clock.Now = At(23, 9, 30);
        await w.DoAsync("A:receiving-officer", code, "receive");
        w.Clock.Now = At(23, 10);
        await w.DoAsync("A:receiving-officer", code, "forward");
        return code;
    }

    [Fact]
    public async Task Leaders_hear_of_a_dossier_at_risk_while_a_timely_apology_is_still_possible_unless_it_was_issued()
    {
        var w = await CreateAsync(db);
        await WithEmailsAsync(w);
        // At step 1 the later steps need 16 working hours: at risk from Tuesday 09:00; the apology's last moment is
        // Wednesday 09:00 (one working day before the due).
        var plain = await AtAppraisalAsync(w);
        var drafted = await AtAppraisalAsync(w);
        var issued = await AtAppraisalAsync(w);
        Assert.Equal(At(24, 9), await w.InstantAsync("SELECT risk_at FROM portal.dossiers WHERE code = @plain", new { plain }));

        await SweepAt(w, At(23, 16));
        Assert.Empty(await MessagesAsync(plain, ReminderKinds.ApologyNeeded));

        w.Clock.Now = At(24, 8, 30);
        await w.DoAsync("A:specialist", drafted, "draft-apology", new() { Reason = "Chờ kết quả xác minh của xã" });
        await w.DoAsync("A:specialist", issued, "draft-apology", new() { Reason = "Chờ kết quả xác minh của xã" });
        await w.DoAsync("A:agency-leader", issued, "approve-apology");

        await SweepAt(w, At(24, 9, 30));
        var told = Assert.Single(await MessagesAsync(plain, ReminderKinds.ApologyNeeded));
        Assert.Equal(Email(w, "A:agency-leader"), told.Recipient);                // the holding unit's leader, nobody else
        Assert.Equal($"Hồ sơ {plain} có nguy cơ trễ hạn: xem xét văn bản xin lỗi trước 09:00 ngày 25/11/2026", told.Subject);
        Assert.Contains("không trả kết quả đúng hạn 09:00 ngày 26/11/2026", told.BodyText);
        Assert.Contains("Hồ sơ chưa có văn bản xin lỗi.", told.BodyText);
        Assert.Equal($"{Url}/can-bo/ho-so/{plain}", told.Link);
        Assert.Contains(((short)1, ReminderKinds.ApologyNeeded, (short)1), await SentAsync(plain));
        Assert.Contains("đang chờ lãnh đạo cơ quan duyệt", Assert.Single(await MessagesAsync(drafted, ReminderKinds.ApologyNeeded)).BodyText);
        Assert.Empty(await MessagesAsync(issued, ReminderKinds.ApologyNeeded));

        // Once the last moment has passed no timely apology is possible: a dossier first seen then is left alone.
        var late = await AtAppraisalAsync(w);
        await SweepAt(w, At(25, 9, 30));
        Assert.Empty(await MessagesAsync(late, ReminderKinds.ApologyNeeded));
        Assert.Single(await MessagesAsync(plain, ReminderKinds.ApologyNeeded));
    }

    static readonly SupplementItem[] Items = [new(1, "Tờ khai theo mẫu", "Thiếu chữ ký ở trang 2")];

    static DateTimeOffset Local(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.FromHours(7));

    [Fact]
    public async Task An_unanswered_supplement_request_is_reminded_to_the_citizen_after_five_working_days_not_counting_new_year()
    {
        var w = await CreateAsync(db);
        w.Clock.Now = Local(2026, 12, 29, 10);                              // Tuesday; Friday 01/01/2027 is a holiday
        var code = await w.SubmittedAsync();
        await w.DoAsync("A:receiving-officer", code, "request-supplement", new() { Items = Items });

        // Tuesday 05/01 10:00 is only four working days later (five without the holiday).
        w.Clock.Now = Local(2027, 1, 5, 10);
        await Sweeper(w).SweepAsync(default);
        Assert.Empty(await SentAsync(code));

        w.Clock.Now = Local(2027, 1, 6, 10);
        await Sweeper(w).SweepAsync(default);
        Assert.Equal([((short)0, ReminderKinds.SupplementUnanswered, (short)1)], await SentAsync(code));   // at reception: step 0
        var message = Assert.Single(await MessagesAsync(code, ReminderKinds.SupplementUnanswered));
        Assert.Equal("huong@example.vn", message.Recipient);
        Assert.Equal($"{Url}/ho-so/{code}/bo-sung", message.Link);
        Assert.Contains("Ngày 29/12/2026", message.BodyText);
        Assert.Contains("- Tờ khai theo mẫu: Thiếu chữ ký ở trang 2", message.BodyText);
        await Sweeper(w).SweepAsync(default);
        Assert.Single(await MessagesAsync(code, ReminderKinds.SupplementUnanswered));

        // Answered, received and asked again during processing (step 1): the new request is reminded in its turn.
        var (id, applicant) = (await w.ScalarAsync<Guid>("SELECT id FROM portal.dossiers WHERE code = @code", new { code }),
            await w.ScalarAsync<Guid>("SELECT applicant_id FROM portal.dossiers WHERE code = @code", new { code }));
        w.Clock.Now = Local(2027, 1, 6, 11);
        Assert.Null(await w.Citizens.Store.ResubmitAsync(applicant, id, null, default));
        await w.DoAsync("A:receiving-officer", code, "receive");
        await w.DoAsync("A:receiving-officer", code, "forward");
        w.Clock.Now = Local(2027, 1, 7, 9);
        await w.DoAsync("A:specialist", code, "request-supplement", new() { Items = Items });
        await SweepAt(w, Local(2027, 1, 13, 9));
        Assert.Single(await MessagesAsync(code, ReminderKinds.SupplementUnanswered));
        await SweepAt(w, Local(2027, 1, 14, 9));
        Assert.Equal(2, (await MessagesAsync(code, ReminderKinds.SupplementUnanswered)).Count);
        Assert.Contains(((short)1, ReminderKinds.SupplementUnanswered, (short)1), await SentAsync(code));
    }

    [Fact]
    public async Task A_walk_in_applicant_is_sent_to_the_public_lookup_and_one_without_an_email_is_recorded_but_not_written_to()
    {
        var w = await CreateAsync(db);
        w.Clock.Now = At(23, 9);
        IntakeInput Input(string email) => new()
        {
            ProcedureCode = w.Citizens.ProcedureCode, Channel = "direct", Applicant = DossierWorld.Huong with { Email = email },
            DeliveryMethod = "counter", DocumentsReceived = [1],
        };
        var withEmail = Assert.IsType<IntakeOutcome.Created>(await w.Office.IntakeAsync(w["A:receiving-officer"], Input("huong@example.vn"), Url, default)).Code;
        var without = Assert.IsType<IntakeOutcome.Created>(await w.Office.IntakeAsync(w["A:receiving-officer"], Input(""), Url, default)).Code;
        foreach (var code in new[] { withEmail, without })
            await w.DoAsync("A:receiving-officer", code, "request-supplement", new() { Items = Items });

        await SweepAt(w, At(30, 9));
        var message = Assert.Single(await MessagesAsync(withEmail, ReminderKinds.SupplementUnanswered));
        Assert.Equal($"{Url}/tra-cuu?ma={withEmail}", message.Link);
        Assert.Contains("mang giấy tờ bổ sung đến", message.BodyText);
        Assert.Equal([((short)0, ReminderKinds.SupplementUnanswered, (short)0)], await SentAsync(without));
        Assert.Empty(await MessagesAsync(without, ReminderKinds.SupplementUnanswered));
    }

    [Fact]
    public async Task Without_staff_addresses_the_units_address_is_told_and_without_that_nobody()
    {
        var w = await CreateAsync(db);                                       // no staff e-mail; the unit's is thu@binhson.gov.vn
        var code = await AtAppraisalAsync(w);
        await SweepAt(w, At(24, 9));                                         // step 1 was due Tuesday 08:00
        Assert.Equal("thu@binhson.gov.vn", Assert.Single(await MessagesAsync(code, ReminderKinds.StepOverdue)).Recipient);

        var silent = await CreateAsync(db);
        await using (var conn = await db.DataSource.OpenConnectionAsync())
            await conn.ExecuteAsync("UPDATE portal.agency SET email = NULL WHERE code = @code", new { code = silent.A });
        var other = await AtAppraisalAsync(silent);
        await SweepAt(silent, At(24, 9));
        Assert.Contains(((short)1, ReminderKinds.StepOverdue, (short)0), await SentAsync(other));
        Assert.Empty(await MessagesAsync(other, ReminderKinds.StepOverdue));
    }

    /// <summary>Through every step to "processed" (9) on Wednesday 25/11 14:00, with an approved, signed result.</summary>
    async Task FinishAsync(BackOfficeWorld w, string code)
    {
        w.Clock.Now = At(23, 14);
        await w.DoAsync("A:specialist", code, "transfer");
        w.Clock.Now = At(24, 10);
        await w.DoAsync("B:specialist", code, "transfer");
        w.Clock.Now = At(24, 11);
        await w.DoAsync("C:specialist", code, "transfer");
        await w.DoAsync("A:agency-leader", code, "approve");
        var pdf = await new FileStore(w.Citizens.FilesRoot).SaveAsync(new MemoryStream(TestPdfs.OnePage("Giấy chứng nhận")), 1 << 20, default);
        await w.DoAsync("A:agency-leader", code, "add-result", new() { Title = "Giấy chứng nhận" },
            new ResultFile(((StoreOutcome.Saved)pdf).File, "giay-chung-nhan.pdf"));
        w.Clock.Now = At(25, 14);
        await w.DoAsync("A:agency-leader", code, "done");
    }

    [Fact]
    public async Task A_result_not_collected_after_three_working_days_is_reminded_and_nothing_is_reminded_for_dossiers_that_ended()
    {
        var w = await CreateAsync(db);
        await WithEmailsAsync(w);
        var ready = await AtAppraisalAsync(w);
        var returned = await AtAppraisalAsync(w);
        var stopped = await AtAppraisalAsync(w);
        w.Clock.Now = At(23, 11);
        await w.DoAsync("A:agency-leader", stopped, "stop", new() { Reason = "Người nộp đề nghị dừng (Điều 15 Nghị định 61/2018/NĐ-CP)" });
        await FinishAsync(w, ready);
        await FinishAsync(w, returned);
        w.Clock.Now = At(25, 15);
        await w.DoAsync("A:result-officer", returned, "return-result", new() { Method = "online" });
        Assert.Equal(DossierStatus.Returned, (await w.StateAsync(returned)).Status);

        await SweepAt(w, At(30, 13, 59));                                    // three working days after Wednesday 14:00 is Monday 14:00
        Assert.Empty(await MessagesAsync(ready, ReminderKinds.ResultUncollected));
        await SweepAt(w, At(30, 14));
        var message = Assert.Single(await MessagesAsync(ready, ReminderKinds.ResultUncollected));
        Assert.Equal("huong@example.vn", message.Recipient);
        Assert.Equal($"Kết quả hồ sơ {ready} đang chờ ông/bà nhận", message.Subject);
        Assert.Contains("đã có kết quả từ 14:00 ngày 25/11/2026", message.BodyText);
        Assert.Equal($"{Url}/ho-so/{ready}", message.Link);
        Assert.Contains(((short)4, ReminderKinds.ResultUncollected, (short)1), await SentAsync(ready));

        // Returned (10) and stopped (8): no reminder of any kind after they ended, though every threshold has passed.
        await SweepAt(w, At(30, 16));
        Assert.Empty(await SentAsync(returned));
        Assert.Empty(await SentAsync(stopped));
    }
    [Fact]
    public async Task A_unit_on_its_own_calendar_is_reminded_by_its_working_hours()
    {
        var w = await CreateAsync(db);
        await WithEmailsAsync(w);
        // A works Saturdays; B and C stay on the province's default calendar, swept in the same run.
        var profile = WorkingTimeProfile.Default with
        {
            Code = $"thu-bay-{Given.Next()}", Name = "Làm việc cả thứ Bảy",
            WorkingWeekdays = new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday },
        };
        Assert.Empty(await new CalendarStore(db.DataSource).SaveProfileAsync(profile, "staff:quantri", At(20, 9), default));
        await using (var conn = await db.DataSource.OpenConnectionAsync())
            await conn.ExecuteAsync("UPDATE portal.agency SET working_time_profile = @profile WHERE code = @code", new { profile = profile.Code, code = w.A });
        w.Clock.Now = At(27, 14);
        var code = await w.SubmittedAsync();
        await w.DoAsync("A:receiving-officer", code, "receive");
        w.Clock.Now = At(27, 14, 30);
        await w.DoAsync("A:receiving-officer", code, "forward");             // 6 h: Friday 2.5 h, Saturday 3.5 h
        Assert.Equal(At(28, 10, 30), await w.InstantAsync("SELECT step_due_at FROM portal.dossiers WHERE code = @code", new { code }));

        // Friday 15:00: 5.5 of A's working hours are left (on the default calendar only 2 would be).
        await SweepAt(w, At(27, 15));
        Assert.Empty(await MessagesAsync(code, ReminderKinds.StepDueSoon));
        await SweepAt(w, At(28, 7, 30));
        Assert.Contains("(còn 3 giờ làm việc)", Assert.Single(await MessagesAsync(code, ReminderKinds.StepDueSoon)).BodyText);
    }
}
