using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using Portal.Core.BackOffice;
using Portal.Core.Catalogue;
using Portal.Core.Deadlines;
using Portal.Core.Documents;
using Portal.Core.Dossiers;
using Quartz;

namespace Portal.Web.Pages.Staff;

// /can-bo/ho-so/{code}: the dossier as staff see it (summary, applicant, files, requests, results, forms, workflow,
// history) and one small form per action the user may take now. Every form posts here with the action's key and the
// version the user saw; the outcome decides: done → PRG with a message, invalid → the fields again with the errors,
// refused or conflict → an alert, forbidden → 403 with the reason. Another agency's dossier is 404 (ViewAsync null).
[RequestSizeLimit(MaxResultBytes + 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxResultBytes + 1024 * 1024)]
public sealed class DossierModel(BackOffice office, FileStore files, CalendarStore calendars, CatalogueCache cache, NpgsqlDataSource db,
    TimeProvider clock, IConfiguration config, ISchedulerFactory schedulers, ILogger<DossierModel> log) : PageModel
{
    public const long MaxResultBytes = 20 * 1024 * 1024;
    public const int BlankItemRows = 5;

    public OfficeDossier D { get; private set; } = null!;
    public WorkingCalendar Calendar { get; private set; } = null!;
    public DateTimeOffset Now { get; private set; }
    public IReadOnlyList<RequiredDocument> Documents { get; private set; } = [];

    [BindProperty] public int ExpectedVersion { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public string? Assignee { get; set; }
    [BindProperty] public string? Amount { get; set; }
    [BindProperty] public string? Method { get; set; }
    [BindProperty] public string? ReceivedBy { get; set; }
    [BindProperty] public string? Waybill { get; set; }
    [BindProperty] public string? NewDueDate { get; set; }
    [BindProperty] public string? NewDueTime { get; set; }
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public List<string?> ItemLine { get; set; } = [];
    [BindProperty] public List<string?> ItemName { get; set; } = [];
    [BindProperty] public List<string?> ItemReason { get; set; } = [];
    [BindProperty] public IFormFile? ResultUpload { get; set; }
    /// <summary>Certified copies: scans of the original attached by the officer, and the number of copies.</summary>
    [BindProperty] public List<IFormFile> ScanUploads { get; set; } = [];
    [BindProperty] public string? CopyCount { get; set; }

    /// <summary>The "form" the copy section's errors belong to (StaffText.FieldId("copy", …)).</summary>
    public const string CopyForm = "copy";

    /// <summary>The action whose form was posted, when the page is shown again after a failed post.</summary>
    public string? Posted { get; private set; }
    public List<FieldError> Errors { get; } = [];
    /// <summary>Refused, conflict or forbidden: the reason, shown as an alert above the actions.</summary>
    public string? Alert { get; private set; }

    [TempData(Key = "staff-done")] public string? DoneMessage { get; set; }

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct) =>
        await LoadAsync(code, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string code, [FromForm(Name = "thao-tac")] string? action, CancellationToken ct)
    {
        if (action is null || StaffActions.Find(action) is null) return NotFound();
        var user = StaffAuth.User(User);
        Posted = action;
        // The request's rows name the procedure's documents by line number; the names come from the catalogue.
        if (action == "request-supplement" && !await LoadAsync(code, ct)) return NotFound();
        var input = Input(action);
        ResultFile? result = null;
        if (action == "add-result" && ResultUpload is { Length: > 0 } upload)
        {
            await using var stream = upload.OpenReadStream();
            switch (await files.SaveAsync(stream, MaxResultBytes, ct))
            {
                case StoreOutcome.TooLarge:
                    Errors.Add(new("file", "Tệp lớn hơn 20 MB — hãy giảm độ phân giải hoặc chia nhỏ."));
                    break;
                case StoreOutcome.Saved { File: var stored } when stored.Type != FileType.Pdf && stored.Type != FileType.Jpeg && stored.Type != FileType.Png:
                    Errors.Add(new("file", $"Tệp phải là PDF, JPG hoặc PNG (tệp đã chọn là {stored.Type.Label})."));
                    break;
                case StoreOutcome.Saved { File: var stored }:
                    result = new ResultFile(stored, FileNames.Sanitise(upload.FileName));
                    break;
            }
        }
        if (Errors.Count == 0)
        {
            switch (await office.ActAsync(user, code, action, input, result, Site.PublicBase(Request, config), ct))
            {
                case ActionOutcome.Done done:
                    DoneMessage = done.Message;
                    // An approved certified copy is issued by its job; ask for a run now rather than at the next interval.
                    if (action == "approve") TriggerCopies();
                    return Redirect($"/can-bo/ho-so/{Uri.EscapeDataString(code)}");
                case ActionOutcome.NotFound:
                    return NotFound();
                case ActionOutcome.Invalid invalid:
                    Errors.AddRange(invalid.Problems);
                    break;
                case ActionOutcome.Refused refused:
                    Alert = refused.Message;
                    Response.StatusCode = StatusCodes.Status409Conflict;
                    break;
                case ActionOutcome.Conflict conflict:
                    Alert = conflict.Message;
                    Response.StatusCode = StatusCodes.Status409Conflict;
                    break;
                case ActionOutcome.Forbidden forbidden:
                    Alert = forbidden.Message;
                    Response.StatusCode = StatusCodes.Status403Forbidden;
                    break;
            }
        }
        if (!await LoadAsync(code, ct)) return NotFound();
        return Page();
    }

    /// <summary>POST ?handler=Scan: the officer attaches scans of the original to a certified-copy dossier (each file checked on its own).</summary>
    public async Task<IActionResult> OnPostScanAsync(string code, CancellationToken ct)
    {
        Posted = CopyForm;
        var user = StaffAuth.User(User);
        var uploads = ScanUploads.Where(f => f.Length > 0).ToList();
        if (uploads.Count == 0) Errors.Add(new("scan", "Chọn tệp bản quét của bản chính (PDF, JPG hoặc PNG, từ 200 dpi)."));
        var done = new List<string>();
        int? expected = ExpectedVersion;
        foreach (var upload in uploads)
        {
            await using var stream = upload.OpenReadStream();
            var outcome = await office.AddScanAsync(user, code, upload.FileName, stream, expected, ct);
            if (outcome is ActionOutcome.Done d) { done.Add(d.Message); expected = null; }   // the next file follows this one's change
            else if (Show(outcome) is { } stop) return stop;
        }
        return await AfterCopyFormAsync(code, done, ct);
    }

    public async Task<IActionResult> OnPostRemoveScanAsync(string code, Guid file, CancellationToken ct)
    {
        Posted = CopyForm;
        var outcome = await office.RemoveScanAsync(StaffAuth.User(User), code, file, ExpectedVersion, ct);
        if (Show(outcome) is { } stop) return stop;
        return await AfterCopyFormAsync(code, outcome is ActionOutcome.Done d ? [d.Message] : [], ct);
    }

    public async Task<IActionResult> OnPostCopyCountAsync(string code, CancellationToken ct)
    {
        Posted = CopyForm;
        var outcome = await office.SetCopyCountAsync(StaffAuth.User(User), code, CopyCount, ExpectedVersion, ct);
        if (Show(outcome) is { } stop) return stop;
        return await AfterCopyFormAsync(code, outcome is ActionOutcome.Done d ? [d.Message] : [], ct);
    }

    /// <summary>Files and errors of a copy form: everything done is kept and said; errors show the page again.</summary>
    async Task<IActionResult> AfterCopyFormAsync(string code, List<string> done, CancellationToken ct)
    {
        if (Errors.Count == 0 && Alert is null)
        {
            DoneMessage = string.Join(" ", done);
            return Redirect($"/can-bo/ho-so/{Uri.EscapeDataString(code)}");
        }
        if (done.Count > 0) DoneMessage = string.Join(" ", done);
        if (!await LoadAsync(code, ct)) return NotFound();
        return Page();
    }

    /// <summary>What an outcome that is not Done means for the page; a result to return at once (404, 403), else null.</summary>
    IActionResult? Show(ActionOutcome outcome)
    {
        switch (outcome)
        {
            case ActionOutcome.NotFound: return NotFound();
            case ActionOutcome.Invalid invalid: Errors.AddRange(invalid.Problems); break;
            case ActionOutcome.Refused refused: Alert = refused.Message; Response.StatusCode = StatusCodes.Status409Conflict; break;
            case ActionOutcome.Conflict conflict: Alert = conflict.Message; Response.StatusCode = StatusCodes.Status409Conflict; break;
            case ActionOutcome.Forbidden forbidden: Alert = forbidden.Message; Response.StatusCode = StatusCodes.Status403Forbidden; break;
        }
        if (Errors.Count > 0 && Response.StatusCode == StatusCodes.Status200OK) Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return null;
    }

    /// <summary>Fires the certified-copies job now (issue 7): harmless when it fails, the job's interval picks the copy up anyway.</summary>
    void TriggerCopies() => _ = Task.Run(async () =>
    {
        try
        {
            var scheduler = await schedulers.GetScheduler();
            await scheduler.TriggerJob(Portal.Jobs.PortalJobs.CertifiedCopies.JobKey);
        }
        catch (Exception e)
        {
            log.LogInformation(e, "Could not trigger the certified-copies job now; it runs at its next interval.");
        }
    });

    ActionInput Input(string action)
    {
        long? amount = null;
        if (Amount is { Length: > 0 } a && long.TryParse(a.Replace(".", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal),
                NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            amount = parsed;
        else if (action == "request-fees" && Amount is { Length: > 0 })
            amount = -1;
        DateTimeOffset? newDue = null;
        if (action == "draft-apology" && !string.IsNullOrWhiteSpace(NewDueDate))
        {
            if (DateOnly.TryParseExact(NewDueDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                var time = TimeOnly.TryParseExact(NewDueTime ?? "", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : new TimeOnly(17, 0);
                newDue = new DateTimeOffset(day.ToDateTime(time), LegalTime.Offset);
            }
        }
        var items = new List<SupplementItem>();
        for (var i = 0; i < Math.Max(ItemName.Count, ItemLine.Count); i++)
        {
            short? line = i < ItemLine.Count && short.TryParse(ItemLine[i], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : null;
            var name = i < ItemName.Count ? ItemName[i] ?? "" : "";
            var reason = i < ItemReason.Count ? ItemReason[i] ?? "" : "";
            if (line is { } n && string.IsNullOrWhiteSpace(name) && n >= 1 && n <= Documents.Count) name = Documents[n - 1].Name;
            items.Add(new SupplementItem(line, name, reason));
        }
        return new ActionInput
        {
            ExpectedVersion = ExpectedVersion, Reason = Reason, Note = Note, Assignee = Assignee, AmountVnd = amount, Method = Method,
            ReceivedBy = ReceivedBy, Waybill = Waybill, NewDue = newDue, Title = Title, Items = items,
        };
    }

    async Task<bool> LoadAsync(string code, CancellationToken ct)
    {
        if (code.Length > 64) return false;
        if (await office.ViewAsync(StaffAuth.User(User), code, "page", ct) is not { } d) return false;
        D = d;
        Now = clock.GetUtcNow();
        Calendar = await calendars.CalendarAsync(null, ct);
        if (d.Can("request-supplement"))
            Documents = (await ProcedureDetails.LoadCachedAsync(cache, db, d.ProcedureCode, LegalTime.Today(clock), ct))?.Documents ?? [];
        return true;
    }

    public string? ErrorFor(string action, string field) =>
        Posted == action ? Errors.FirstOrDefault(e => string.Equals(e.Field, field, StringComparison.OrdinalIgnoreCase))?.Message : null;

    /// <summary>A posted value back into its own form only.</summary>
    public string? Value(string action, string? value) => Posted == action ? value : null;

    public string Left => D.Clock is { } c
        ? Portal.Core.Dossiers.Dossiers.LeftText(c.Left, Calendar.DayTicks, c.Finished is not null)
        : "";
}
