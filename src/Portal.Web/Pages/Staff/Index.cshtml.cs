using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.BackOffice;

namespace Portal.Web.Pages.Staff;

// /can-bo: the staff member's start page: how many dossiers wait in each list of their units, with links.
public sealed class IndexModel(BackOffice office) : PageModel
{
    public StaffUser Me { get; private set; } = null!;
    public int Inbox { get; private set; }
    public int Open { get; private set; }
    public int Mine { get; private set; }
    public int LateRisk { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Me = StaffAuth.User(User);
        Inbox = (await office.InboxAsync(Me, 1, ct)).Count;
        Open = (await office.ListAsync(Me, null, null, false, 1, ct)).Count;
        Mine = (await office.ListAsync(Me, null, null, true, 1, ct)).Count;
        LateRisk = (await office.LateRiskAsync(Me, 1, ct)).Count;
    }

    /// <summary>The lists read one page; a full page is "50 trở lên".</summary>
    public static string Count(int n) => n >= BackOffice.PageSize ? $"{BackOffice.PageSize} trở lên" : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
