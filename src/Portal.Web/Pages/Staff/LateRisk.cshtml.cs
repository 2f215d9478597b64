using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.BackOffice;
using Portal.Core.Deadlines;

namespace Portal.Web.Pages.Staff;

// /can-bo/nguy-co-tre-han: dossiers whose time left is below what their later steps need, soonest due first.
public sealed class LateRiskModel(BackOffice office, CalendarStore calendars, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "trang")] public int PageNumber { get; set; } = 1;
    public IReadOnlyList<OfficeListItem> Items { get; private set; } = [];
    public WorkingCalendar Calendar { get; private set; } = null!;
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageNumber = Math.Clamp(PageNumber, 1, 10_000);
        Items = await office.LateRiskAsync(StaffAuth.User(User), PageNumber, ct);
        Calendar = await calendars.CalendarAsync(null, ct);
        Now = clock.GetUtcNow();
    }
}
