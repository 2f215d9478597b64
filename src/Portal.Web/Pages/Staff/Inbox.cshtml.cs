using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.BackOffice;

namespace Portal.Web.Pages.Staff;

// /can-bo/tiep-nhan: online and postal dossiers waiting for reception at the user's units, oldest first.
public sealed class InboxModel(BackOffice office) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "trang")] public int PageNumber { get; set; } = 1;
    public IReadOnlyList<OfficeListItem> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageNumber = Math.Clamp(PageNumber, 1, 10_000);
        Items = await office.InboxAsync(StaffAuth.User(User), PageNumber, ct);
    }
}
