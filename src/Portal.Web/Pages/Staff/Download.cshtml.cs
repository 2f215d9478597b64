using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.BackOffice;

namespace Portal.Web.Pages.Staff;

// Downloads of a dossier the user may see: issued forms (bieu-mau/{id}), results (ket-qua/{n}) and submitted files
// (tep/{id}). 404 for anything else, never cached by shared caches.
public sealed class DownloadModel(BackOffice office) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string code, string kind, string key, CancellationToken ct)
    {
        var (storeKind, id, n) = kind switch
        {
            "bieu-mau" when Guid.TryParse(key, out var g) => ("form", (Guid?)g, (short?)null),
            "tep" when Guid.TryParse(key, out var g) => ("file", g, null),
            "ket-qua" when short.TryParse(key, out var x) => ("result", null, x),
            _ => ("", null, null),
        };
        if (storeKind == "" || code.Length > 64) return NotFound();
        if (await office.DocumentAsync(StaffAuth.User(User), code, storeKind, id, n, ct) is not { } doc) return NotFound();
        Response.Headers.CacheControl = "private, no-store";
        return File(office.OpenFile(doc.Sha256), doc.MediaType, doc.FileName);
    }
}
