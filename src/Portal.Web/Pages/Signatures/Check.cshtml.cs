using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.Signatures;

namespace Portal.Web.Pages.Signatures;

// Anyone can check a signed file here; the file is verified in memory and forgotten (nothing stored, nothing logged
// but the request line). POSTs are rate-limited per address (RateLimits).
[RequestSizeLimit(SignatureCheck.RequestLimit)]
[RequestFormLimits(MultipartBodyLengthLimit = SignatureCheck.RequestLimit)]
public sealed class CheckModel(SignatureStore store) : PageModel
{
    public SignatureReport? Report { get; private set; }
    public string? FileName { get; private set; }
    public string? SignatureName { get; private set; }
    public List<(string Field, string Message)> Errors { get; } = [];

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, IFormFile? signature, CancellationToken ct)
    {
        FileName = file is null ? null : SignatureCheck.Name(file);
        SignatureName = signature is { Length: > 0 } ? SignatureCheck.Name(signature) : null;
        switch (await SignatureCheck.RunAsync(file, signature, store, ct))
        {
            case SignatureCheck.Outcome.Checked(var report):
                Report = report;
                break;
            case SignatureCheck.Outcome.Refused(var field, var status, var message, _):
                Errors.Add((field, message));
                Response.StatusCode = status == 413 ? 413 : 422;
                break;
        }
        return Page();
    }
}
