using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.Dossiers;

namespace Portal.Web.Pages.Lookup;

// Public lookup (UX.md §2.9, DOMAIN.md §5.1): the code and a second factor, rate-limited per address (RateLimits).
// A wrong code and a wrong secret get the same answer, so the code printed on a receipt reveals nothing by itself.
public sealed class IndexModel(Portal.Core.Dossiers.Dossiers dossiers) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "ma")] public string? Code { get; set; }
    [BindProperty] public string? Secret { get; set; }
    public List<FieldError> Errors { get; } = [];
    public LookupResult? Result { get; private set; }
    public bool Missing { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Code = Text.Clean(Code, 64);
        Secret = Text.Clean(Secret, 64);
        if (Code == "") Errors.Add(new("ma", "Nhập mã hồ sơ, ví dụ 000.00.12.H56-260227-0037"));
        if (Secret == "") Errors.Add(new("Secret", "Nhập số điện thoại hoặc số căn cước công dân (mã số thuế với tổ chức) đã khai trong hồ sơ"));
        if (Errors.Count > 0) return Page();
        Result = await dossiers.LookupAsync(Code, Secret, ct);
        Missing = Result is null;
        return Page();
    }
}
