using System.Collections.Concurrent;
using PdfSharp;
using PdfSharp.Fonts;

namespace Portal.Core.Documents;

/// <summary>
/// The fonts of every PDF Portal makes: Noto Sans and Noto Serif, embedded in Portal.Core (Documents/Fonts, SIL OFL 1.1),
/// so output never depends on the fonts of the machine and Vietnamese text keeps every diacritic (UX.md §3.2).
/// </summary>
public sealed class PortalFonts : IFontResolver
{
    public const string Sans = "Noto Sans";
    public const string Serif = "Noto Serif";

    static readonly Lock Gate = new();
    static readonly PortalFonts Instance = new();
    static bool ready;

    readonly ConcurrentDictionary<string, byte[]> loaded = new(StringComparer.Ordinal);

    PortalFonts() { }

    /// <summary>
    /// Acknowledges PDFsharp's AGPL licence and installs this resolver, once per process. Safe to call from any thread
    /// and as often as wanted: PDFsharp allows its font resolver to be set only once, before any font is used.
    /// </summary>
    public static void EnsureInstalled()
    {
        if (Volatile.Read(ref ready)) return;
        lock (Gate)
        {
            if (ready) return;
            // PDFsharp 6.5 is AGPL-3.0-only and throws on first use until a licence is chosen (docs.pdfsharp.net,
            // "License loading"); Portal is AGPL-3.0-only for this reason.
            PdfSharpLicense.SetAgplLicense();
            if (GlobalFontSettings.FontResolver is null) GlobalFontSettings.FontResolver = Instance;
            else if (GlobalFontSettings.FontResolver is not PortalFonts)
                throw new InvalidOperationException("Another PDFsharp font resolver is installed; Portal's PDFs need PortalFonts.");
            Volatile.Write(ref ready, true);
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
    {
        if (string.Equals(familyName, Sans, StringComparison.OrdinalIgnoreCase))
            return (bold, italic) switch
            {
                (false, false) => new FontResolverInfo("NotoSans-Regular"),
                (true, false) => new FontResolverInfo("NotoSans-Bold"),
                (false, true) => new FontResolverInfo("NotoSans-Italic"),
                // No bold italic face is shipped: bold with a slanted simulation is close enough for the odd word.
                (true, true) => new FontResolverInfo("NotoSans-Bold", mustSimulateBold: false, mustSimulateItalic: true),
            };
        if (string.Equals(familyName, Serif, StringComparison.OrdinalIgnoreCase))
            return new FontResolverInfo(bold ? "NotoSerif-Bold" : "NotoSerif-Regular", mustSimulateBold: false, mustSimulateItalic: italic);
        return null;   // an unknown family is a programming error; PDFsharp reports it when the XFont is created
    }

    public byte[]? GetFont(string faceName) => loaded.GetOrAdd(faceName, Load);

    static byte[] Load(string faceName)
    {
        using var stream = typeof(PortalFonts).Assembly.GetManifestResourceStream($"fonts/{faceName}.ttf")
            ?? throw new InvalidOperationException($"Font {faceName}.ttf is not embedded in Portal.Core.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
