using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Dapper;
using Npgsql;
using Portal.Core.Dossiers;

namespace Portal.Web.Pages.Dossiers;

// The owner's dossier page (UX.md §2.9, issue: tracking): status in words, who holds it, the due date with its
// explanation, the timeline, the documents sent, requests and results.
[Authorize(Policy = CitizenAuth.ApplicantPolicy)]
public sealed class DetailsModel(Portal.Core.Dossiers.Dossiers dossiers, NpgsqlDataSource db) : PageModel
{
    /// <summary>The electronic certified copy of a certified-copy dossier (DOMAIN.md §8), once approved.</summary>
    public sealed record CopyRow
    {
        public string Status { get; init; } = "";
        public int Pages { get; init; }
        public short Copies { get; init; }
        public long FeeVnd { get; init; }
        public string? Code { get; init; }
        public int? BookNo { get; init; }
        public short? BookYear { get; init; }
        public DateTimeOffset? IssuedAt { get; init; }
    }

    public CopyRow? Copy { get; private set; }

    const string CopySql = """
        SELECT status, pages, copies, fee_vnd, code, book_no, book_year, issued_at
          FROM portal.certified_copies
         WHERE dossier_id = @id AND status <> 'cancelled'
         ORDER BY requested_at DESC LIMIT 1
        """;

    public Dossier Dossier { get; private set; } = null!;
    public DueInfo? Due { get; private set; }
    public IReadOnlyList<HistoryEntry> History { get; private set; } = [];
    public IReadOnlyList<SupplementRequest> Requests { get; private set; } = [];
    public IReadOnlyList<Portal.Core.Dossiers.Dossiers.IssuedDocument> Issued { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string code, CancellationToken ct)
    {
        if (!DossierCode.LooksValid(code)) return NotFound();
        if (await dossiers.PageAsync(CitizenAuth.ApplicantId(User)!.Value, code, ct) is not { Dossier.IsDraft: false } page) return NotFound();
        (Dossier, History, Requests) = page;
        Due = await dossiers.DueAsync(Dossier, ct);
        Issued = await dossiers.IssuedAsync(CitizenAuth.ApplicantId(User)!.Value, code, ct);
        if (Dossier.IsCertifiedCopy)
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            Copy = await conn.QuerySingleOrDefaultAsync<CopyRow>(new CommandDefinition(CopySql, new { id = Dossier.Id }, cancellationToken: ct));
        }
        return Page();
    }

    /// <summary>Who holds the dossier now, in words.</summary>
    public string Holder => Dossier.Status switch
    {
        DossierStatus.Submitted => $"Bộ phận một cửa — {Dossier.AgencyName} (chờ tiếp nhận)",
        DossierStatus.AwaitingSupplement or DossierStatus.AwaitingPayment => "Bạn (cơ quan đang chờ bạn)",
        DossierStatus.Refused or DossierStatus.Stopped or DossierStatus.Returned => "Hồ sơ đã kết thúc",
        _ => Dossier.AgencyName,
    };
}
