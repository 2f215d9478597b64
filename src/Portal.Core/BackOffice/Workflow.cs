using System.Globalization;
using Portal.Core.Deadlines;

namespace Portal.Core.BackOffice;

/// <summary>
/// One step of a procedure version's internal workflow (R-D3, §6.7). Step 0 is reception at the receiving unit;
/// <see cref="AgencyId"/> null means "the receiving unit". A step at another agency than the procedure's own is an
/// inter-agency (liên thông) step.
/// </summary>
public sealed record WorkflowStep
{
    public int Step { get; init; }
    public string Name { get; init; } = "";
    public Guid? AgencyId { get; init; }
    public string? AgencyCode { get; init; }
    public string? AgencyName { get; init; }
    public string Role { get; init; } = "";
    public decimal Amount { get; init; }
    public string Unit { get; init; } = "working-hours";
    public string[] Actions { get; init; } = [];

    public DeadlineRule Budget => DeadlineRule.Create(Amount, Unit);

    /// <summary>The budget in working hours of a standard 8-hour day, for sums and comparisons.</summary>
    public decimal Hours => Unit == "working-days" ? Amount * Workflow.HoursPerDay : Amount;

    public string BudgetText => Workflow.Duration(Hours);

    public bool Allows(string action) => Actions.Length == 0 || Actions.Contains(action);
}

public static class Workflow
{
    public const decimal HoursPerDay = 8;

    public static readonly IReadOnlyList<string> StepRoles = ["receiving-officer", "specialist", "head-of-division", "agency-leader", "result-officer"];

    /// <summary>The legal time in working hours, or null when it is not measured in working time (calendar days, same day).</summary>
    public static decimal? LegalHours(DeadlineRule legal) => legal.Unit switch
    {
        DeadlineUnit.WorkingDays => legal.Amount * HoursPerDay,
        DeadlineUnit.WorkingHours => legal.Amount,
        _ => null,
    };

    /// <summary>
    /// The workflow a version has until an administrator writes one: reception and hand-over at the receiving unit
    /// (10 %), appraisal by the procedure's agency (70 %), approval and signature by its leader (20 %), in working
    /// hours rounded to a quarter hour. Calendar-day and same-day procedures are split as if their days were working days.
    /// </summary>
    public static IReadOnlyList<WorkflowStep> Default(DeadlineRule legal, Guid agencyId, string agencyCode, string agencyName)
    {
        var total = LegalHours(legal) ?? (legal.Unit == DeadlineUnit.CalendarDays ? legal.Amount * HoursPerDay : HoursPerDay);
        static decimal Quarter(decimal h) => Math.Max(0.25m, Math.Round(h * 4, MidpointRounding.AwayFromZero) / 4);
        var reception = Quarter(total * 0.1m);
        var approval = Quarter(total * 0.2m);
        var appraisal = Math.Max(0.25m, total - reception - approval);
        return
        [
            new() { Step = 0, Name = "Tiếp nhận, kiểm tra và chuyển hồ sơ", Role = "receiving-officer", Amount = reception,
                    Actions = ["receive", "request-supplement", "refuse", "forward", "transfer"] },
            new() { Step = 1, Name = "Thẩm định, xử lý hồ sơ", AgencyId = agencyId, AgencyCode = agencyCode, AgencyName = agencyName,
                    Role = "specialist", Amount = appraisal,
                    Actions = ["forward", "transfer", "return-to-previous", "request-fees"] },
            new() { Step = 2, Name = "Phê duyệt, ký kết quả", AgencyId = agencyId, AgencyCode = agencyCode, AgencyName = agencyName,
                    Role = "agency-leader", Amount = approval,
                    Actions = ["approve", "return-to-previous", "forward", "transfer"] },
        ];
    }

    /// <summary>What the editor says about a workflow: its shape, then its budgets against the legal time.</summary>
    public static IReadOnlyList<string> Check(IReadOnlyList<WorkflowStep> steps, DeadlineRule legal)
    {
        var problems = Shape(steps);
        if (steps.Count == 0) return problems;
        var sum = steps.Sum(s => s.Hours);
        if (LegalHours(legal) is { } legalHours && sum != legalHours)
            problems.Add($"Tổng thời gian các bước là {Duration(sum)}, khác thời hạn giải quyết {Duration(legalHours)} " +
                         $"({(sum > legalHours ? "thừa" : "thiếu")} {Duration(Math.Abs(sum - legalHours))}).");
        return problems;
    }

    /// <summary>What makes a workflow unusable (numbering, reception, names, roles, amounts, actions); saving refuses these.</summary>
    public static List<string> Shape(IReadOnlyList<WorkflowStep> steps)
    {
        var problems = new List<string>();
        if (steps.Count == 0) return ["Quy trình phải có ít nhất một bước (bước 0: tiếp nhận)."];
        for (var i = 0; i < steps.Count; i++)
            if (steps[i].Step != i) { problems.Add("Các bước phải đánh số liên tục từ 0."); break; }
        if (steps[0].AgencyId is not null || steps[0].AgencyCode is { Length: > 0 }) problems.Add("Bước 0 (tiếp nhận) do đơn vị tiếp nhận hồ sơ thực hiện; để trống cơ quan.");
        foreach (var s in steps)
        {
            if (string.IsNullOrWhiteSpace(s.Name)) problems.Add($"Bước {s.Step}: hãy nhập tên bước.");
            if (!StepRoles.Contains(s.Role)) problems.Add($"Bước {s.Step}: vai trò không hợp lệ.");
            if (s.Amount <= 0) problems.Add($"Bước {s.Step}: thời gian phải lớn hơn 0.");
            var unknown = s.Actions.Where(a => StaffActions.Find(a) is null).ToList();
            if (unknown.Count > 0) problems.Add($"Bước {s.Step}: thao tác không hợp lệ: {string.Join(", ", unknown)}.");
        }
        return problems;
    }

    /// <summary>The budgets the clock ledger measures steps against; the receiving unit fills the steps without an agency.</summary>
    public static IReadOnlyList<StepBudget> Budgets(IReadOnlyList<WorkflowStep> steps, string receivingAgencyCode) =>
        [.. steps.Select(s => new StepBudget(s.Step, s.AgencyCode ?? receivingAgencyCode, s.Name, s.Budget))];

    /// <summary>"2 ngày 4 giờ làm việc", "6 giờ 30 phút làm việc".</summary>
    public static string Duration(decimal hours)
    {
        var days = decimal.Truncate(hours / HoursPerDay);
        var rest = hours - days * HoursPerDay;
        var h = decimal.Truncate(rest);
        var minutes = (int)Math.Round((rest - h) * 60);
        var parts = new List<string>();
        if (days > 0) parts.Add($"{days.ToString(CultureInfo.InvariantCulture)} ngày");
        if (h > 0) parts.Add($"{h.ToString(CultureInfo.InvariantCulture)} giờ");
        if (minutes > 0) parts.Add($"{minutes} phút");
        return parts.Count == 0 ? "0 giờ làm việc" : string.Join(" ", parts) + " làm việc";
    }
}
