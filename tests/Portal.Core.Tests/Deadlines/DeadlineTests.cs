using Portal.Core.Deadlines;
using static Portal.Core.Tests.Deadlines.Calendars;

namespace Portal.Core.Tests.Deadlines;

// Default sessions 07:00–11:30 and 13:30–17:00; every row is a DOMAIN.md §6.10 golden vector or a case of the issue.
public class DeadlineTests
{
    [Theory]
    [InlineData("2026-02-27T10:00+07:00", 10, "2026-03-13T10:00+07:00")]
    [InlineData("2026-02-27T16:00+07:00", 10, "2026-03-13T16:00+07:00")]
    [InlineData("2026-02-27T12:00+07:00", 10, "2026-03-13T11:30+07:00")] // lunch: starts 13:30, ends at a session end
    [InlineData("2026-02-28T10:00+07:00", 10, "2026-03-13T17:00+07:00")] // Saturday (online): from Monday 07:00
    [InlineData("2026-03-06T16:00+07:00", 3, "2026-03-11T16:00+07:00")]  // Friday 16:00 + 3: the third working day, 16:00
    [InlineData("2026-03-06T18:30+07:00", 3, "2026-03-11T17:00+07:00")]  // after closing: from Monday morning
    [InlineData("2026-02-11T10:00+07:00", 5, "2026-02-25T10:00+07:00")]  // Tết 16–20/02 off
    [InlineData("2026-08-21T10:00+07:00", 3, "2026-08-25T10:00+07:00")]  // Saturday 22/08 worked
    [InlineData("2026-08-27T14:00+07:00", 3, "2026-09-04T14:00+07:00")]  // off Monday 31/08 – Wednesday 02/09
    [InlineData("2026-04-24T09:00+07:00", 3, "2026-05-04T09:00+07:00")]  // Giỗ Tổ on Sunday 26/04, nghỉ bù 27/04, 30/4, 1/5
    [InlineData("2026-03-02T07:00+07:00", 0, "2026-03-02T07:00+07:00")]
    public void Working_days_are_counted_in_working_time(string received, int days, string expected)
    {
        var due = Y2026.Due(Iso(received), DeadlineRule.WorkingDays(days)).Due;
        Assert.Equal(Iso(expected), due);
    }

    [Fact]
    public void Without_the_2026_swap_Saturday_22_08_is_not_counted()
    {
        var due = Statutory.Due(Iso("2026-08-21T10:00+07:00"), DeadlineRule.WorkingDays(3)).Due;
        Assert.Equal(Iso("2026-08-26T10:00+07:00"), due);
    }

    [Theory]
    [InlineData("2026-03-02T07:00+07:00", 0.5, "2026-03-02T11:00+07:00")]
    [InlineData("2026-03-02T10:00+07:00", 0.5, "2026-03-02T16:00+07:00")]
    [InlineData("2026-03-06T14:00+07:00", 1.5, "2026-03-10T08:00+07:00")]
    [InlineData("2026-02-13T15:00+07:00", 0.5, "2026-02-23T09:00+07:00")] // Friday before Tết
    public void Half_day_budgets_are_half_of_a_working_day(string received, double days, string expected)
    {
        var due = Y2026.Due(Iso(received), DeadlineRule.WorkingDays((decimal)days)).Due;
        Assert.Equal(Iso(expected), due);
    }

    [Theory]
    [InlineData("2026-03-02T16:00+07:00", 4, "2026-03-03T10:00+07:00")]
    [InlineData("2026-03-02T11:00+07:00", 1, "2026-03-02T14:00+07:00")] // the lunch break does not count
    [InlineData("2026-03-02T07:00+07:00", 8, "2026-03-02T17:00+07:00")]
    [InlineData("2026-03-02T09:00+07:00", 8, "2026-03-03T09:00+07:00")]
    public void Working_hours_consume_the_sessions(string received, int hours, string expected)
    {
        var due = Y2026.Due(Iso(received), DeadlineRule.WorkingHours(hours)).Due;
        Assert.Equal(Iso(expected), due);
    }

    [Theory]
    [InlineData("2026-03-02T09:00+07:00", 3, "2026-03-05T17:00+07:00")]
    [InlineData("2026-03-04T09:00+07:00", 4, "2026-03-09T17:00+07:00")] // Sunday 08/03 → Monday
    [InlineData("2026-02-10T09:00+07:00", 6, "2026-02-23T17:00+07:00")] // 16/02 is Tết → first working day after
    [InlineData("2026-03-07T09:00+07:00", 2, "2026-03-09T17:00+07:00")] // received on Saturday: calendar days count anyway
    public void Calendar_days_never_end_on_a_day_off(string received, int days, string expected)
    {
        var due = Y2026.Due(Iso(received), DeadlineRule.CalendarDays(days)).Due;
        Assert.Equal(Iso(expected), due);
    }

    [Theory]
    [InlineData("2026-03-03T14:30+07:00", "2026-03-03T17:00+07:00")]
    [InlineData("2026-03-03T15:10+07:00", "2026-03-04T17:00+07:00")]
    [InlineData("2026-03-03T15:00+07:00", "2026-03-04T17:00+07:00")] // "at or after" the cut-off
    [InlineData("2026-03-06T15:30+07:00", "2026-03-09T17:00+07:00")] // Friday → Monday
    [InlineData("2026-03-07T09:00+07:00", "2026-03-09T17:00+07:00")] // Saturday reception → Monday
    [InlineData("2026-03-03T06:30+07:00", "2026-03-03T17:00+07:00")] // before opening: same day
    public void Certification_is_due_the_same_day_or_the_next_after_15_00(string received, string expected)
    {
        var due = Y2026.Due(Iso(received), DeadlineRule.SameDay(new TimeOnly(15, 0))).Due;
        Assert.Equal(Iso(expected), due);
    }

    [Theory]
    [InlineData("2026-03-03T14:00+07:00", "2026-03-04T14:00+07:00")]
    [InlineData("2026-03-03T15:30+07:00", "2026-03-04T17:00+07:00")] // counts from Wednesday 07:00
    public void A_cut_off_moves_working_day_rules_to_the_next_morning(string received, string expected)
    {
        var due = Y2026.Due(Iso(received), DeadlineRule.WorkingDays(1, new TimeOnly(15, 0))).Due;
        Assert.Equal(Iso(expected), due);
    }

    [Fact]
    public void The_explanation_names_every_skipped_day_and_why()
    {
        var deadline = Y2026.Due(Iso("2026-02-11T10:00+07:00"), DeadlineRule.WorkingDays(5));
        var explanation = Y2026.Explain(deadline);

        Assert.Equal(
            [
                ("2026-02-14", "Thứ Bảy"), ("2026-02-15", "Chủ Nhật"),
                ("2026-02-16", "Tết Nguyên Đán"), ("2026-02-17", "Tết Nguyên Đán"), ("2026-02-18", "Tết Nguyên Đán"),
                ("2026-02-19", "Tết Nguyên Đán"), ("2026-02-20", "Tết Nguyên Đán"),
                ("2026-02-21", "Thứ Bảy"), ("2026-02-22", "Chủ Nhật"),
            ],
            explanation.Skipped.Select(d => (d.Date.ToString("yyyy-MM-dd"), d.Reason)));
        Assert.Equal(6, explanation.WorkingDaysCounted);
        Assert.Null(explanation.StartNote);
        Assert.Contains("Thứ Hai 16/02/2026: không tính (Tết Nguyên Đán).", explanation.Lines());
    }

    [Fact]
    public void The_explanation_names_the_compensatory_day_and_the_working_Saturday()
    {
        var holidays = Y2026.Explain(Y2026.Due(Iso("2026-04-24T09:00+07:00"), DeadlineRule.WorkingDays(3)));
        Assert.Contains(holidays.Skipped, d => d.Date == Day("2026-04-27") && d.Reason == "Nghỉ bù ngày 26/04 (Giỗ Tổ Hùng Vương (10/3 âm lịch))");
        Assert.Contains(holidays.Skipped, d => d.Date == Day("2026-04-26") && d.Reason == "Giỗ Tổ Hùng Vương (10/3 âm lịch)");

        var swap = Y2026.Explain(Y2026.Due(Iso("2026-08-21T10:00+07:00"), DeadlineRule.WorkingDays(3)));
        Assert.Equal([Day("2026-08-22")], swap.WorkedWeekendDays.Select(d => d.Date));
        Assert.Contains(swap.Lines(), l => l.StartsWith("Thứ Bảy 22/08/2026: ngày làm việc, được tính"));
    }

    [Fact]
    public void The_explanation_says_when_the_clock_started_later_than_receipt()
    {
        var weekend = Y2026.Explain(Y2026.Due(Iso("2026-02-28T10:00+07:00"), DeadlineRule.WorkingDays(10)));
        Assert.Equal("Hồ sơ nhận ngoài giờ làm việc nên thời hạn được tính từ 07:00 thứ Hai 02/03/2026.", weekend.StartNote);

        var cutOff = Y2026.Explain(Y2026.Due(Iso("2026-03-03T15:10+07:00"), DeadlineRule.SameDay(new TimeOnly(15, 0))));
        Assert.Equal("Hồ sơ nhận sau 15:00 nên thời hạn được tính từ 07:00 thứ Tư 04/03/2026.", cutOff.StartNote);
    }

    [Fact]
    public void A_date_outside_1900_to_2100_is_refused_with_a_message_naming_it()
    {
        var error = Assert.Throws<DeadlineException>(() => Y2026.Due(Iso("1899-12-30T10:00+07:00"), DeadlineRule.WorkingDays(1)));
        Assert.Equal("Ngày 30/12/1899 nằm ngoài phạm vi lịch được hỗ trợ (1900–2100).", error.Message);

        var beyond = Assert.Throws<DeadlineException>(() => Y2026.Due(Iso("2100-12-30T10:00+07:00"), DeadlineRule.WorkingDays(5)));
        Assert.Contains("ngoài phạm vi", beyond.Message);
        Assert.Throws<DeadlineException>(() => StatutoryHolidays.For(2101));
    }

    [Theory]
    [InlineData(-1, "working-days", "không được âm")]
    [InlineData(3, "weeks", "Đơn vị thời hạn \"weeks\" không được hỗ trợ")]
    [InlineData(1.5, "calendar-days", "số ngày nguyên")]
    [InlineData(-2, "calendar-days", "không được âm")]
    public void A_bad_rule_is_refused_with_a_message_naming_the_problem(double amount, string unit, string expected)
    {
        var error = Assert.Throws<DeadlineException>(() => DeadlineRule.Create((decimal)amount, unit));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_profile_without_a_session_is_refused()
    {
        var profile = WorkingTimeProfile.Default with { Sessions = [] };
        var error = Assert.Throws<DeadlineException>(() => new WorkingCalendar(profile, []));
        Assert.Contains("ít nhất một buổi làm việc", error.Message);

        var overlapping = WorkingTimeProfile.Default with { Sessions = [new(new(7, 0), new(12, 0)), new(new(11, 0), new(17, 0))] };
        Assert.Contains(overlapping.Problems(), p => p.Contains("chồng"));
        var backwards = WorkingTimeProfile.Default with { Sessions = [new(new(17, 0), new(7, 0))] };
        Assert.Contains(backwards.Problems(), p => p.Contains("giờ kết thúc phải sau giờ bắt đầu"));
    }

    [Fact]
    public void A_centre_with_other_sessions_counts_its_own_day()
    {
        // OpenCPS's default: 07:30–11:30 and 13:00–17:00, still 8 h.
        var profile = WorkingTimeProfile.Default with
        {
            Code = "opencps",
            Sessions = [new(new(7, 30), new(11, 30)), new(new(13, 0), new(17, 0))],
        };
        var calendar = new WorkingCalendar(profile, []);
        Assert.Equal(Iso("2026-03-03T10:30+07:00"), calendar.Due(Iso("2026-03-02T16:00+07:00"), DeadlineRule.WorkingHours(4)).Due);
        Assert.Equal(Iso("2026-03-03T16:00+07:00"), calendar.Due(Iso("2026-03-02T16:00+07:00"), DeadlineRule.WorkingDays(1)).Due);
    }

    [Fact]
    public void A_centre_that_counts_Saturdays_counts_them()
    {
        var profile = WorkingTimeProfile.Default with
        {
            Code = "thu-bay",
            WorkingWeekdays = new HashSet<DayOfWeek>(WorkingTimeProfile.Default.WorkingWeekdays) { DayOfWeek.Saturday },
        };
        var calendar = new WorkingCalendar(profile, []);
        Assert.Equal(Iso("2026-03-09T10:00+07:00"), calendar.Due(Iso("2026-03-05T10:00+07:00"), DeadlineRule.WorkingDays(3)).Due);
    }
}
