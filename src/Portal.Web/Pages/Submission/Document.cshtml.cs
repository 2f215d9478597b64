using Microsoft.AspNetCore.Mvc;
using Portal.Core.Dossiers;

namespace Portal.Web.Pages.Submission;

// One document of the procedure (UX.md §2.5): the files already there with their signature result, a plain file
// input (several files at once), and "Tiếp tục". Uploads go to Uploads.PageUploadAsync, which streams them and comes
// back here with what happened; a refused file never touches the files already accepted.
public sealed class DocumentModel(Portal.Core.Dossiers.Dossiers dossiers) : DraftPage(dossiers)
{
    public DocumentSlot Slot { get; private set; } = null!;
    public IReadOnlyList<string> Uploaded { get; private set; } = [];
    public string? Removed { get; private set; }
    protected override string FirstField => "files";
    public string Step => $"giay-to/{Slot.LineNo}";
    /// <summary>The scans of a certified copy: this page also asks for the number of copies (DOMAIN.md §8).</summary>
    public bool IsScans => Slot.LineNo == Dossier.CertifiedCopyLine;
    [BindProperty] public string? CopyCount { get; set; }

    async Task<IActionResult?> LoadAsync(string code, Guid id, short line, CancellationToken ct)
    {
        if (await LoadDraftAsync(code, id, ct) is { } other) return other;
        if (Dossier.Documents.FirstOrDefault(d => d.LineNo == line) is not { } slot) return NotFound();
        Slot = slot;
        return null;
    }

    public async Task<IActionResult> OnGetAsync(string code, Guid id, short line, CancellationToken ct)
    {
        if (await LoadAsync(code, id, line, ct) is { } other) return other;
        if (TempData["upload-errors"] is string errors)
            Errors.AddRange(errors.Split('\n').Select(m => new FieldError("files", m)));
        if (TempData["upload-done"] is string done) Uploaded = done.Split('\n');
        Removed = TempData["removed"] as string;
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(string code, Guid id, short line, Guid file, CancellationToken ct)
    {
        if (await LoadAsync(code, id, line, ct) is { } other) return other;
        var name = Slot.Files.FirstOrDefault(f => f.Id == file)?.FileName;
        if (name is not null && await Dossiers.RemoveFileAsync(ApplicantId, id, file, ct)) TempData["removed"] = name;
        return Redirect(Href(Step));
    }

    public async Task<IActionResult> OnPostAsync(string code, Guid id, short line, CancellationToken ct)
    {
        if (await LoadAsync(code, id, line, ct) is { } other) return other;
        if (Slot.Required && Slot.Files.Count == 0)
            Errors.Add(new("files", $"Tải lên ít nhất một tệp cho “{Slot.Name}”"));
        int? copies = Dossier.Answers.CopyCount;
        if (IsScans)
        {
            copies = int.TryParse(CopyCount?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
                     && n is >= 1 and <= Portal.Core.CertifiedCopies.CopyFee.MaxCopies ? n : null;
            if (copies is null) Errors.Add(new("CopyCount", "Nhập số bản sao cần chứng thực, là số từ 1 đến 50"));
        }
        if (Errors.Count > 0) return Page();
        var done = Dossier.Answers.DocumentsDone.Append(line).Distinct().Order().ToList();
        return await SaveAsync(Dossier.Answers with { DocumentsDone = done, CopyCount = copies }, Step, ct);
    }
}
