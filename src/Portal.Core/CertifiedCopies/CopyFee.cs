using System.Globalization;

namespace Portal.Core.CertifiedCopies;

/// <summary>
/// The fee for certifying copies from an original (DOMAIN.md §8.2, R-I5 [S], believed Circular 226/2016/TT-BTC):
/// per copy 2,000 đồng for each of pages 1–2 and 1,000 đồng for each page from page 3, at most 200,000 đồng per copy;
/// times the number of copies.
/// </summary>
public static class CopyFee
{
    public const long FirstPagesVnd = 2_000;
    public const long LaterPagesVnd = 1_000;
    public const long CapPerCopyVnd = 200_000;
    public const int MaxCopies = 50;

    public static long PerCopy(int pages)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pages, 1);
        var fee = Math.Min(pages, 2) * FirstPagesVnd + Math.Max(0, pages - 2) * LaterPagesVnd;
        return Math.Min(fee, CapPerCopyVnd);
    }

    public static long For(int pages, int copies)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(copies, 1);
        return PerCopy(pages) * copies;
    }

    /// <summary>"2 trang × 3 bản = 12.000 đồng" — how the fee is shown to the citizen and the officer.</summary>
    public static string Explain(int pages, int copies)
    {
        var perCopy = PerCopy(pages);
        var capped = perCopy == CapPerCopyVnd && pages > 2 && Math.Min(pages, 2) * FirstPagesVnd + (pages - 2) * LaterPagesVnd > CapPerCopyVnd;
        return $"{pages} trang × {copies} bản = {Vnd(For(pages, copies))}"
               + $" ({Vnd(perCopy)} mỗi bản{(capped ? ", mức tối đa" : "")})";
    }

    /// <summary>"12.000 đồng" (UX.md §3.1: "." as the thousands separator).</summary>
    public static string Vnd(long amount) => amount.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '.') + " đồng";
}
