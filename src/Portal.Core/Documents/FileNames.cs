using System.Text;

namespace Portal.Core.Documents;

public static class FileNames
{
    const int MaxLength = 120;

    /// <summary>
    /// The browser-supplied name made safe to show and to offer back as a download name: no path, no control or
    /// reserved characters, NFC, bounded length with the extension kept. Files are stored by hash, never by this name.
    /// </summary>
    public static string Sanitise(string? name)
    {
        var cleaned = (name ?? "").Replace('\\', '/');
        cleaned = cleaned[(cleaned.LastIndexOf('/') + 1)..].Normalize(NormalizationForm.FormC);
        cleaned = new string([.. cleaned.Select(c => char.IsControl(c) || "<>:\"|?*".Contains(c) ? '_' : c)]).Trim().Trim('.').Trim();
        if (cleaned.Length == 0) return "tep-tai-len";
        if (cleaned.Length <= MaxLength) return cleaned;
        var extension = Path.GetExtension(cleaned);
        if (extension.Length > 10) extension = "";
        return cleaned[..(MaxLength - extension.Length - 1)] + "…" + extension;
    }
}
