using Dapper;
using Portal.Core.Deadlines;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Deadlines;

// Tests that change the shared calendar use their own far-future days, so that other tests' 2024–2026 facts hold.
[Collection("db")]
public sealed class CalendarStoreTests(PostgresFixture db)
{
    static readonly DateTimeOffset Now = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    static readonly WorkingCalendar Statutory = WorkingCalendar.Statutory();

    static readonly HashSet<DateOnly> HandedOut = [];

    // A working Monday from 2080 on that no other test uses. Skipping a holiday Monday moves to the next week,
    // which an earlier counter value may already have handed out, so days are remembered, not derived.
    public static DateOnly FreeMonday()
    {
        lock (HandedOut)
        {
            var day = new DateOnly(2080, 1, 1).AddDays(7 * (Given.Next() % 1000));
            while (day.DayOfWeek != DayOfWeek.Monday) day = day.AddDays(1);
            while (!Statutory.IsWorkingDay(day) || !HandedOut.Add(day)) day = day.AddDays(7);
            return day;
        }
    }

    [Fact]
    public async Task A_decision_changes_the_calendar_every_node_builds_and_is_audited()
    {
        var store = new CalendarStore(db.DataSource);
        var day = FreeMonday();
        Assert.True((await store.CalendarAsync(null, default)).IsWorkingDay(day));

        var problems = await store.AddDecisionAsync(day, "bridge-day-off", "Nghỉ hoán đổi (kiểm thử)", "Quyết định kiểm thử", "tester", Now, default);

        Assert.Empty(problems);
        var other = new CalendarStore(db.DataSource);   // another node
        Assert.False((await other.CalendarAsync(null, default)).IsWorkingDay(day));
        Assert.Equal("Nghỉ hoán đổi (kiểm thử)", (await other.CalendarAsync(null, default)).Reason(day));
        var stored = (await store.DecisionsAsync(day.Year, default)).Single(d => d.Day == day);
        Assert.Equal("tester", stored.CreatedBy);
        Assert.Equal(Now, stored.CreatedAt);
        Assert.Contains(await store.ChangesAsync(50, default), c => c.Day == day && c.Action == "add-decision" && c.ChangedBy == "tester");
    }

    [Fact]
    public async Task A_second_decision_for_the_same_day_is_refused_and_nothing_is_saved()
    {
        var store = new CalendarStore(db.DataSource);
        var day = FreeMonday();
        Assert.Empty(await store.AddDecisionAsync(day, "bridge-day-off", "Lần một", "QĐ 1", "tester", Now, default));

        var problems = await store.AddDecisionAsync(day, "holiday", "Lần hai", "QĐ 2", "tester", Now, default);

        Assert.Equal([$"Ngày {day:dd/MM/yyyy} đã có quyết định \"Lần một\"; hãy gỡ quyết định đó trước khi thêm quyết định mới."], problems);
        Assert.Single(await store.DecisionsAsync(day.Year, default), d => d.Day == day);
    }

    [Fact]
    public async Task The_database_refuses_overlapping_decisions_too()
    {
        var day = FreeMonday();
        await using var conn = await db.DataSource.OpenConnectionAsync();
        const string sql = "INSERT INTO portal.holiday_decisions (day, kind, reason, source, created_by) VALUES (@day, 'holiday', 'x', 'y', 'z')";
        await conn.ExecuteAsync(sql, new { day });
        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => conn.ExecuteAsync(sql, new { day }));
        Assert.Equal("holiday_decisions_one_per_day", error.ConstraintName);
    }

    [Theory]
    [InlineData("working-day", "Làm bù", "QĐ", "đã là ngày làm việc")]
    [InlineData("nghi", "Lý do", "QĐ", "Hãy chọn loại ngày")]
    [InlineData("bridge-day-off", " ", "QĐ", "Hãy nhập lý do")]
    [InlineData("bridge-day-off", "Lý do", "", "Hãy nhập văn bản quyết định")]
    public async Task A_bad_decision_gets_a_message_and_nothing_is_saved(string kind, string reason, string source, string expected)
    {
        var store = new CalendarStore(db.DataSource);
        var day = FreeMonday();
        var before = (await store.ChangesAsync(1, default)).Single();

        var problems = await store.AddDecisionAsync(day, kind, reason, source, "tester", Now, default);

        Assert.Contains(problems, p => p.Contains(expected));
        Assert.DoesNotContain(await store.DecisionsAsync(day.Year, default), d => d.Day == day);
        Assert.Equal(before, (await store.ChangesAsync(1, default)).Single());
    }

    [Fact]
    public async Task Removing_a_decision_keeps_it_with_who_and_why_and_restores_the_day()
    {
        var store = new CalendarStore(db.DataSource);
        var day = FreeMonday();
        Assert.Empty(await store.AddDecisionAsync(day, "bridge-day-off", "Nghỉ", "QĐ", "tester", Now, default));
        var id = (await store.DecisionsAsync(day.Year, default)).Single(d => d.Day == day).Id;

        Assert.Equal(["Hãy nhập lý do gỡ quyết định."], await store.RemoveDecisionAsync(id, " ", "admin", Now, default));
        Assert.Empty(await store.RemoveDecisionAsync(id, "Nhập nhầm năm", "admin", Now.AddMinutes(5), default));
        Assert.Equal(["Quyết định này không còn hiệu lực (có thể đã được gỡ); hãy tải lại trang."],
            await store.RemoveDecisionAsync(id, "Lần nữa", "admin", Now, default));

        var removed = (await store.DecisionsAsync(day.Year, default)).Single(d => d.Id == id);
        Assert.Equal(("admin", "Nhập nhầm năm", Now.AddMinutes(5)), (removed.RemovedBy, removed.RemovedReason, removed.RemovedAt!.Value));
        Assert.True((await store.CalendarAsync(null, default)).IsWorkingDay(day));
        Assert.Contains(await store.ChangesAsync(50, default), c => c.Day == day && c.Action == "remove-decision" && c.Detail.Contains("Nhập nhầm năm"));
    }

    [Fact]
    public async Task An_agency_with_its_own_profile_counts_its_own_hours()
    {
        var store = new CalendarStore(db.DataSource);
        var code = $"thu-nghiem-{Given.Next()}";
        var profile = WorkingTimeProfile.Default with
        {
            Code = code,
            Name = "Trung tâm làm cả sáng thứ Bảy",
            Sessions = [new(new(7, 30), new(11, 30)), new(new(13, 0), new(17, 0))],
            SaturdayReception = true,
        };
        Assert.Empty(await store.SaveProfileAsync(profile, "tester", Now, default));
        var agency = Given.Agency();
        await Given.ImportAsync(db, [agency], [], []);
        await using (var conn = await db.DataSource.OpenConnectionAsync())
            await conn.ExecuteAsync("UPDATE portal.agency SET working_time_profile = @code WHERE code = @agency", new { code, agency = agency.Code });

        var calendar = await store.CalendarAsync(agency.Code, default);

        Assert.Equal(code, calendar.Profile.Code);
        Assert.True(calendar.Profile.SaturdayReception);
        Assert.Equal([new WorkSession(new(7, 30), new(11, 30)), new WorkSession(new(13, 0), new(17, 0))], calendar.Profile.Sessions);
        var received = new DateTimeOffset(2026, 3, 2, 16, 0, 0, TimeSpan.FromHours(7));
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 10, 30, 0, TimeSpan.FromHours(7)), calendar.Due(received, DeadlineRule.WorkingHours(4)).Due);
        Assert.Equal(WorkingTimeProfile.DefaultCode, (await store.CalendarAsync(null, default)).Profile.Code);
    }

    [Fact]
    public async Task A_profile_without_a_session_is_refused_and_nothing_is_saved()
    {
        var store = new CalendarStore(db.DataSource);
        var code = $"thu-nghiem-{Given.Next()}";
        var problems = await store.SaveProfileAsync(WorkingTimeProfile.Default with { Code = code, Sessions = [] }, "tester", Now, default);
        Assert.Contains(problems, p => p.Contains("ít nhất một buổi làm việc"));
        Assert.Null(await store.ProfileAsync(code, default));
    }

    [Fact]
    public async Task An_unknown_agency_is_named_in_the_error()
    {
        var error = await Assert.ThrowsAsync<DeadlineException>(() => new CalendarStore(db.DataSource).CalendarAsync("KHONG-CO", default));
        Assert.Equal("Không có cơ quan mã \"KHONG-CO\".", error.Message);
    }
}
