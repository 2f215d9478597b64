using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Jobs;

namespace Portal.Web.Pages.Admin;

// /quan-tri/tac-vu: the nodes of the job cluster, every job's schedule and last result, the recent runs (or only the
// failures) from the shared history; pause, resume and run-now for administrators (the whole /Admin folder is theirs).
public sealed class JobsModel(JobBoard board) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "loi")] public bool FailuresOnly { get; set; }
    [BindProperty(SupportsGet = true, Name = "da-lam")] public string? Done { get; set; }
    [BindProperty(SupportsGet = true, Name = "tac-vu")] public string? DoneJob { get; set; }

    public IReadOnlyList<JobNodeState> Nodes { get; private set; } = [];
    public IReadOnlyList<JobState> Jobs { get; private set; } = [];
    public IReadOnlyList<JobExecution> Recent { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Nodes = await board.NodesAsync(ct);
        Jobs = await board.JobsAsync(ct);
        Recent = await board.RecentAsync(FailuresOnly, 50, ct);
    }

    public Task<IActionResult> OnPostTriggerAsync(string job, CancellationToken ct) => ActAsync(job, "chay", board.TriggerAsync, ct);

    public Task<IActionResult> OnPostPauseAsync(string job, CancellationToken ct) => ActAsync(job, "tam-dung", board.PauseAsync, ct);

    public Task<IActionResult> OnPostResumeAsync(string job, CancellationToken ct) => ActAsync(job, "tiep-tuc", board.ResumeAsync, ct);

    async Task<IActionResult> ActAsync(string job, string done, Func<PortalJob, CancellationToken, Task> act, CancellationToken ct)
    {
        if (JobBoard.Find(job) is not { } found) return NotFound();
        await act(found, ct);
        return Redirect($"/quan-tri/tac-vu?da-lam={done}&tac-vu={Uri.EscapeDataString(found.Key)}");
    }

    public string? DoneMessage => (Done, JobBoard.Find(DoneJob)) switch
    {
        ("chay", { } j) => $"Đã yêu cầu chạy ngay \"{j.Name}\". Một nút đang hoạt động sẽ nhận lần chạy này trong giây lát; kết quả hiện ở bảng lần chạy gần đây.",
        ("tam-dung", { } j) => $"Đã tạm dừng \"{j.Name}\": tác vụ không chạy theo lịch cho tới khi được tiếp tục.",
        ("tiep-tuc", { } j) => $"Đã tiếp tục \"{j.Name}\" theo lịch.",
        _ => null,
    };

    public static string Time(DateTimeOffset? t) => t is { } v ? Portal.Core.Deadlines.LegalTime.Local(v).ToString("HH:mm:ss dd/MM/yyyy") : "—";

    public static string StateText(Quartz.TriggerState state) => state switch
    {
        Quartz.TriggerState.Normal => "Theo lịch",
        Quartz.TriggerState.Paused => "Tạm dừng",
        Quartz.TriggerState.Blocked => "Đang chạy",
        Quartz.TriggerState.Error => "Lỗi lịch chạy",
        Quartz.TriggerState.Complete => "Đã xong",
        _ => "Chỉ chạy khi yêu cầu",
    };

    public static string RunTime(TimeSpan t) => t.TotalSeconds < 1 ? $"{t.TotalMilliseconds:0} ms" : $"{t.TotalSeconds:0.0} giây";

    public string JobName(string key) => JobBoard.Find(key)?.Name ?? key;
}
