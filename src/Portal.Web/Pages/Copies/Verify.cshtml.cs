using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.CertifiedCopies;

namespace Portal.Web.Pages.Copies;

// /xac-thuc/{code}, where the QR code on every electronic certified copy leads (DOMAIN.md §8.1 step 5): whether the copy
// was issued, by whom, when, under which number and with which SHA-256; and a form to compare a file with it (the hash
// must match byte for byte, and the file's signatures are verified as /kiem-tra-chu-ky does). Public, rate-limited per
// address for GET and POST (RateLimits), nothing stored.
[RequestSizeLimit(MaxBytes + 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxBytes + 1024 * 1024)]
public sealed class VerifyModel(Portal.Core.CertifiedCopies.CertifiedCopies copies) : PageModel
{
    public const long MaxBytes = 50L * 1024 * 1024;

    public IssuedCopy? Copy { get; private set; }
    public string Code { get; private set; } = "";
    public Portal.Core.CertifiedCopies.CertifiedCopies.Comparison? Result { get; private set; }
    public string? FileName { get; private set; }
    public List<(string Field, string Message)> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct) => await LoadAsync(code, ct) ? Page() : Missing();

    public async Task<IActionResult> OnPostAsync(string code, IFormFile? file, CancellationToken ct)
    {
        if (!await LoadAsync(code, ct)) return Missing();
        if (file is null || file.Length == 0)
            Errors.Add(("file", "Chọn tệp PDF bản sao cần so khớp."));
        else if (file.Length > MaxBytes)
            Errors.Add(("file", $"Tệp \"{SignatureCheck.Name(file)}\" lớn hơn 50 MB, không thể là bản sao đã cấp. Hãy chọn đúng tệp PDF bản sao."));
        else
        {
            FileName = SignatureCheck.Name(file);
            var bytes = new byte[file.Length];
            await using (var stream = file.OpenReadStream()) await stream.ReadExactlyAsync(bytes, ct);
            Result = await copies.CompareAsync(Copy!, bytes, ct);
        }
        if (Errors.Count > 0) Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    async Task<bool> LoadAsync(string code, CancellationToken ct)
    {
        Code = code.Length > 64 ? code[..64] : code;
        Copy = await copies.FindAsync(code, ct);
        return Copy is not null;
    }

    // The page itself says what a missing code means (a generic 404 would not), with the 404 status.
    IActionResult Missing()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
