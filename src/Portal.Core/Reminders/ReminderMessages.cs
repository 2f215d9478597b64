using System.Text.Json;
using Portal.Core.BackOffice;
using Portal.Core.Deadlines;
using Portal.Core.Dossiers;

namespace Portal.Core.Reminders;

/// <summary>A dossier a kind of reminder is due for, as the sweep reads (and locks) it.</summary>
public sealed record ReminderCandidate
{
    public Guid Id { get; init; }
    public string Code { get; init; } = "";
    public short Step { get; init; }
    public Guid? ApplicantId { get; init; }
    public string ProcedureName { get; init; } = "";
    /// <summary>What the kind is about: the step's due, the due, the supplement request, the result (also the keyset).</summary>
    public DateTimeOffset AboutAt { get; init; }
    public DateTimeOffset? StepDueAt { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public DateTimeOffset? RiskAt { get; init; }
    public Guid? AssigneeId { get; init; }
    public string? HolderCode { get; init; }
    public string? HolderName { get; init; }
    public string? HolderEmail { get; init; }
    public string ReceivingName { get; init; } = "";
    /// <summary>From the version's workflow; null for a version on the default workflow.</summary>
    public string? StepName { get; init; }
    public string? StepRole { get; init; }
    public string? ApplicantEmail { get; init; }
    public string? ApplicantName { get; init; }
    public string? DeliveryMethod { get; init; }
    /// <summary>The open supplement request's items (JSON), for the citizen's reminder.</summary>
    public string? Items { get; init; }
    /// <summary>An apology is drafted and waits for the leader's approval.</summary>
    public bool ApologyDrafted { get; init; }
}

/// <summary>The subject, body and link of each reminder, in Vietnamese, times in Vietnam time.</summary>
public static class ReminderMessages
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // The roles and names of the default workflow do not depend on the legal time, only its budgets do.
    static readonly IReadOnlyList<WorkflowStep> DefaultSteps = Workflow.Default(DeadlineRule.WorkingDays(1), Guid.Empty, "", "");

    public static string StepName(ReminderCandidate d) =>
        d.StepName ?? DefaultSteps.FirstOrDefault(s => s.Step == d.Step)?.Name ?? $"Bước {d.Step}";

    /// <summary>Who acts at the dossier's step: the workflow's role, else the default workflow's.</summary>
    public static string StepRole(ReminderCandidate d) =>
        d.StepRole ?? DefaultSteps.FirstOrDefault(s => s.Step == d.Step)?.Role ?? "specialist";

    public static string StaffLink(string publicUrl, string code) => $"{publicUrl.TrimEnd('/')}/can-bo/ho-so/{Uri.EscapeDataString(code)}";

    /// <summary>The citizen's page of the dossier; a counter-intake dossier has no account behind it, so the public lookup.</summary>
    public static string CitizenLink(string publicUrl, ReminderCandidate d, string? page = null) =>
        d.ApplicantId is null
            ? $"{publicUrl.TrimEnd('/')}/tra-cuu?ma={Uri.EscapeDataString(d.Code)}"
            : $"{publicUrl.TrimEnd('/')}/ho-so/{Uri.EscapeDataString(d.Code)}{(page is null ? "" : "/" + page)}";

    static string When(DateTimeOffset instant) => $"{LegalTime.Local(instant):HH:mm} ngày {LegalTime.Local(instant):dd/MM/yyyy}";

    static string Holder(ReminderCandidate d) => d.HolderName ?? d.ReceivingName;

    static string Greeting(ReminderCandidate d) =>
        string.IsNullOrWhiteSpace(d.ApplicantName) ? "Kính gửi ông/bà," : $"Kính gửi ông/bà {d.ApplicantName.Trim()},";

    public static (string Subject, string Body) StepDueSoon(ReminderCandidate d, WorkingCalendar calendar, DateTimeOffset now, string link)
    {
        var stepDue = d.StepDueAt!.Value;
        var left = (decimal)calendar.WorkingTimeBetween(now, stepDue).TotalHours;
        return ($"Hồ sơ {d.Code} sắp hết thời gian xử lý bước “{StepName(d)}”",
            $"""
            Hồ sơ {d.Code} ({d.ProcedureName}) đang ở bước “{StepName(d)}” tại {Holder(d)}.
            Thời hạn của bước: {When(stepDue)} (còn {Workflow.Duration(Math.Round(left * 60) / 60)}).
            {DueLine(d)}
            Đề nghị xử lý và chuyển bước tiếp theo trước thời hạn. Nếu hồ sơ có thể bị trễ hạn, hãy báo lãnh đạo cơ quan để gửi văn bản xin lỗi và hẹn lại chậm nhất 01 ngày làm việc trước hạn trả kết quả.
            Mở hồ sơ: {link}
            """);
    }

    public static (string Subject, string Body) StepOverdue(ReminderCandidate d, WorkingCalendar calendar, DateTimeOffset now, string link)
    {
        var stepDue = d.StepDueAt!.Value;
        var over = (decimal)calendar.WorkingTimeBetween(stepDue, now).TotalHours;
        var by = over > 0 ? $", đã quá {Workflow.Duration(Math.Round(over * 60) / 60)}" : "";
        return ($"Hồ sơ {d.Code} đã quá thời gian xử lý bước “{StepName(d)}”",
            $"""
            Hồ sơ {d.Code} ({d.ProcedureName}) đang ở bước “{StepName(d)}” tại {Holder(d)}.
            Thời hạn của bước là {When(stepDue)}{by}.
            {DueLine(d)}
            Đề nghị khẩn trương xử lý và chuyển bước tiếp theo; bước trễ được ghi vào phiếu kiểm soát quá trình giải quyết hồ sơ.
            Mở hồ sơ: {link}
            """);
    }

    static string DueLine(ReminderCandidate d) =>
        d.DueAt is { } due ? $"Hạn trả kết quả cho người nộp: {When(due)}." : "";

    public static (string Subject, string Body) ApologyNeeded(ReminderCandidate d, WorkingCalendar calendar, ApologyRules rules, string link)
    {
        var due = d.DueAt!.Value;
        var limit = ReminderRules.ApologyLimit(calendar, due, rules);
        var state = d.ApologyDrafted
            ? "Văn bản xin lỗi đã được soạn và đang chờ lãnh đạo cơ quan duyệt, phát hành."
            : "Hồ sơ chưa có văn bản xin lỗi.";
        return ($"Hồ sơ {d.Code} có nguy cơ trễ hạn: xem xét văn bản xin lỗi trước {When(limit)}",
            $"""
            Hồ sơ {d.Code} ({d.ProcedureName}) đang ở bước “{StepName(d)}” tại {Holder(d)} và có nguy cơ không trả kết quả đúng hạn {When(due)}.
            Nếu hồ sơ sẽ trễ hạn, cơ quan phải gửi người nộp văn bản xin lỗi và hẹn lại ngày trả kết quả chậm nhất {When(limit)} (01 ngày làm việc trước hạn) và chỉ được hẹn lại một lần. Căn cứ: {rules.Source}
            {state}
            Mở hồ sơ: {link}
            """);
    }

    public static (string Subject, string Body) SupplementUnanswered(ReminderCandidate d, string link)
    {
        var items = d.Items is { Length: > 0 } json ? JsonSerializer.Deserialize<List<SupplementItem>>(json, Json) ?? [] : [];
        var lines = string.Join("\n", items.Select(i => $"- {i.Name}: {i.Reason}"));
        var how = d.ApplicantId is null
            ? $"Ông/bà vui lòng mang giấy tờ bổ sung đến {Holder(d)}. Tra cứu hồ sơ: {link}"
            : $"Xem nội dung cần bổ sung và nộp bổ sung tại: {link}";
        return ($"Nhắc bổ sung hồ sơ {d.Code}",
            $"""
            {Greeting(d)}
            Ngày {LegalTime.Local(d.AboutAt):dd/MM/yyyy}, {Holder(d)} đã yêu cầu bổ sung hồ sơ {d.Code} ({d.ProcedureName}); đến nay hồ sơ chưa được bổ sung.
            Nội dung cần bổ sung:
            {lines}
            Thời gian chờ bổ sung không tính vào thời hạn giải quyết; hồ sơ được giải quyết tiếp khi ông/bà nộp đủ giấy tờ.
            {how}
            """);
    }

    public static (string Subject, string Body) ResultUncollected(ReminderCandidate d, string link)
    {
        var how = d.DeliveryMethod == "counter"
            ? $"Mời ông/bà đến {d.ReceivingName} để nhận kết quả, mang theo giấy tờ tùy thân và giấy tiếp nhận hồ sơ. Tra cứu hồ sơ: {link}"
            : d.ApplicantId is null
                ? $"Tra cứu hồ sơ và cách nhận kết quả tại: {link}"
                : $"Ông/bà đăng nhập Cổng dịch vụ công để tải kết quả điện tử: {link}";
        return ($"Kết quả hồ sơ {d.Code} đang chờ ông/bà nhận",
            $"""
            {Greeting(d)}
            Hồ sơ {d.Code} ({d.ProcedureName}) đã có kết quả từ {When(d.AboutAt)} nhưng ông/bà chưa nhận.
            {how}
            """);
    }
}
