using System.Globalization;
using System.Text;

namespace Portal.Core.Catalogue;

// Folding rules for Vietnamese search (UX.md §3.3). PostgreSQL folds stored text with portal.fold (unaccent);
// this folds the query the same way so its words match the stored words.
public static class SearchText
{
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            // đ/Đ have no Unicode decomposition, so removing marks leaves them alone.
            sb.Append(c switch { 'đ' or 'Đ' => 'd', _ => char.ToLowerInvariant(c) });
        }
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    // Words of a query: runs of ASCII letters and digits after folding. Anything else separates words, which also
    // keeps tsquery syntax (&, |, !, :, parentheses) out of what reaches PostgreSQL.
    public static IReadOnlyList<string> Words(string text)
    {
        var words = new List<string>();
        var folded = Fold(text);
        int start = -1;
        for (int i = 0; i <= folded.Length; i++)
        {
            bool word = i < folded.Length && (folded[i] is >= 'a' and <= 'z' || char.IsAsciiDigit(folded[i]));
            if (word && start < 0) start = i;
            else if (!word && start >= 0) { words.Add(folded[start..i]); start = -1; }
        }
        return words;
    }

    // "cap ban sa" -> "cap & ban & sa:*": every word must appear; the last one may still be being typed.
    public static string? ToTsQuery(IReadOnlyList<string> words) =>
        words.Count == 0 ? null : string.Join(" & ", words.Select((w, i) => i == words.Count - 1 ? w + ":*" : w));

    // Input arrives as NFC or NFD depending on the keyboard and OS; store and compare NFC. Control characters are
    // dropped (they only ever arrive by accident or on purpose).
    public static string Clean(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormC))
            sb.Append(char.IsControl(c) ? ' ' : c);
        return sb.ToString().Trim();
    }
}
