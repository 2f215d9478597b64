using Portal.Core.BackOffice;
using Portal.Core.Deadlines;

namespace Portal.Core.Tests.BackOffice;

public sealed class WorkflowTests
{
    static readonly Guid Agency = Guid.NewGuid();

    [Theory]
    [InlineData(3, "working-days", 24)]
    [InlineData(1, "working-days", 8)]
    [InlineData(0.5, "working-days", 4)]
    [InlineData(6, "working-hours", 6)]
    [InlineData(15, "working-days", 120)]
    public void The_default_workflow_splits_exactly_the_legal_time(decimal amount, string unit, decimal hours)
    {
        var legal = DeadlineRule.Create(amount, unit);
        var steps = Workflow.Default(legal, Agency, "000.00.02.H99", "Sở Nội vụ");
        Assert.Equal(hours, steps.Sum(s => s.Hours));
        Assert.Empty(Workflow.Check(steps, legal));
        Assert.Equal([0, 1, 2], steps.Select(s => s.Step));
        Assert.Null(steps[0].AgencyId);                       // reception happens where the dossier was received
        Assert.Equal("agency-leader", steps[^1].Role);
        Assert.All(steps, s => Assert.True(s.Amount > 0));
    }

    [Fact]
    public void The_editor_says_when_the_budgets_do_not_add_up_to_the_legal_time()
    {
        var legal = DeadlineRule.WorkingDays(3);
        var steps = Workflow.Default(legal, Agency, "A", "A").Select(s => s with { Amount = s.Step == 1 ? s.Amount + 4 : s.Amount }).ToList();
        var problem = Assert.Single(Workflow.Check(steps, legal));
        Assert.Equal("Tổng thời gian các bước là 3 ngày 4 giờ làm việc, khác thời hạn giải quyết 3 ngày làm việc (thừa 4 giờ làm việc).", problem);
    }

    [Fact]
    public void Malformed_workflows_are_described_step_by_step()
    {
        var legal = DeadlineRule.WorkingHours(8);
        WorkflowStep[] steps =
        [
            new() { Step = 0, Name = "Tiếp nhận", AgencyId = Agency, Role = "receiving-officer", Amount = 2 },
            new() { Step = 2, Name = "", Role = "cook", Amount = 6, Actions = ["dance"] },
        ];
        var problems = Workflow.Check(steps, legal);
        Assert.Contains("Các bước phải đánh số liên tục từ 0.", problems);
        Assert.Contains(problems, p => p.StartsWith("Bước 0 (tiếp nhận)", StringComparison.Ordinal));
        Assert.Contains("Bước 2: hãy nhập tên bước.", problems);
        Assert.Contains("Bước 2: vai trò không hợp lệ.", problems);
        Assert.Contains("Bước 2: thao tác không hợp lệ: dance.", problems);
    }

    [Theory]
    [InlineData(8, "1 ngày làm việc")]
    [InlineData(6.5, "6 giờ 30 phút làm việc")]
    [InlineData(20, "2 ngày 4 giờ làm việc")]
    [InlineData(0, "0 giờ làm việc")]
    public void Durations_read_in_working_days_and_hours(decimal hours, string text) => Assert.Equal(text, Workflow.Duration(hours));

    [Fact]
    public void Apology_rules_are_versioned_by_the_day_of_issue()
    {
        Assert.Equal("61-2018", ApologyRules.For(new DateOnly(2024, 5, 1)).Version);
        Assert.Equal("118-2025", ApologyRules.For(new DateOnly(2026, 11, 23)).Version);
        Assert.All(ApologyRules.Versions, r => Assert.Equal((1m, 1), (r.MinWorkingDaysBefore, r.MaxLetters)));
    }

    [Fact]
    public void Every_action_names_its_statuses_and_roles_and_the_refusal_says_which_statuses_allow_it()
    {
        Assert.Equal(StaffActions.All.Count, StaffActions.All.Select(a => a.Key).Distinct().Count());
        Assert.All(StaffActions.All, a => Assert.NotEmpty(a.From));
        Assert.All(StaffActions.All, a => Assert.DoesNotContain(a.From, s => s is 3 or 8 or 10));   // nothing leaves a final status
        Assert.DoesNotContain(StaffActions.Find("stop")!.From, s => s is 9 or 10);                   // R-E5
        var receive = StaffActions.Find("receive")!;
        Assert.Equal("Hồ sơ đang ở trạng thái “Đang xử lý”; không thể “tiếp nhận hồ sơ”. Thao tác này chỉ dùng khi hồ sơ ở trạng thái “Mới đăng ký”.",
            StaffActions.NotFrom(receive, 4));
    }
}
