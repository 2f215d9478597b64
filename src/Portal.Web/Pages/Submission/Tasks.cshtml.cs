using Microsoft.AspNetCore.Mvc;
using Portal.Core.Dossiers;

namespace Portal.Web.Pages.Submission;

// The task list (UX.md §2.3): every section with its status in words; also where a saved draft resumes.
public sealed class TasksModel(Portal.Core.Dossiers.Dossiers dossiers) : DraftPage(dossiers)
{
    public sealed record Task(string Name, string? Url, string Status);

    public IReadOnlyList<Task> Sections { get; private set; } = [];
    protected override string FirstField => "nguoi-nop";

    public const string Done = "Đã hoàn thành", InProgress = "Chưa hoàn thành", NotStarted = "Chưa bắt đầu", Blocked = "Chưa thể bắt đầu";

    public async Task<IActionResult> OnGetAsync(string code, Guid id, CancellationToken ct)
    {
        if (await LoadDraftAsync(code, id, ct) is { } other) return other;
        var a = Dossier.Answers;
        var sections = new List<Task>
        {
            new("Thông tin người nộp hồ sơ", Href("nguoi-nop"), a.Applicant is null ? NotStarted : a.Applicant.Validate().Count == 0 ? Done : InProgress),
            new("Chủ hồ sơ", Href("chu-ho-so"), a.Owner is null ? NotStarted : a.Owner.Validate().Count == 0 ? Done : InProgress),
        };
        foreach (var d in Dossier.Documents)
        {
            var status = d.Files.Count > 0 ? (d.Required || a.DocumentsDone.Contains(d.LineNo) ? Done : InProgress)
                : a.DocumentsDone.Contains(d.LineNo) && !d.Required ? Done : NotStarted;
            sections.Add(new($"Giấy tờ: {d.Name}", Href($"giay-to/{d.LineNo}"), status));
        }
        sections.Add(new("Cách nhận kết quả", Href("nhan-ket-qua"), a.Delivery is null ? NotStarted : a.Delivery.Validate().Count == 0 ? Done : InProgress));
        var ready = sections.All(s => s.Status == Done) || Portal.Core.Dossiers.Dossiers.Completeness(Dossier).All(p => p.Field == "Declared");
        sections.Add(new("Kiểm tra và gửi hồ sơ", ready ? Href("kiem-tra") : null, ready ? NotStarted : Blocked));
        Sections = sections;
        return Page();
    }
}
