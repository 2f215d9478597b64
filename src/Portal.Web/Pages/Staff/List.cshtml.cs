using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.BackOffice;
using Portal.Core.Deadlines;
using Portal.Core.Dossiers;

namespace Portal.Web.Pages.Staff;

// /can-bo/ho-so: dossiers held by the user's units, filtered by status, unit and "của tôi" (a GET form), soonest due first.
public sealed class ListModel(BackOffice office, CalendarStore calendars, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "trang-thai")] public string? StatusText { get; set; }
    [BindProperty(SupportsGet = true, Name = "don-vi")] public string? Unit { get; set; }
    [BindProperty(SupportsGet = true, Name = "cua-toi")] public string? Mine { get; set; }
    [BindProperty(SupportsGet = true, Name = "trang")] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<OfficeListItem> Items { get; private set; } = [];
    public WorkingCalendar Calendar { get; private set; } = null!;
    public DateTimeOffset Now { get; private set; }

    public static readonly short[] Statuses = [1, 2, 4, 5, 6, 7, 9, 3, 8, 10];

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageNumber = Math.Clamp(PageNumber, 1, 10_000);
        short? status = short.TryParse(StatusText, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && Statuses.Contains(s) ? s : null;
        Items = await office.ListAsync(StaffAuth.User(User), status, Unit?.Trim(), Mine == "1", PageNumber, ct);
        Calendar = await calendars.CalendarAsync(null, ct);
        Now = clock.GetUtcNow();
    }

    public string PagerUrl => $"/can-bo/ho-so?trang-thai={Uri.EscapeDataString(StatusText ?? "")}&don-vi={Uri.EscapeDataString(Unit ?? "")}&cua-toi={(Mine == "1" ? "1" : "")}&";

    public static string StatusName(short s) => DossierStatus.Name(s);
}
