using Portal.Core.Dossiers;

namespace Portal.Web;

/// <summary>One text input with its label, hint and error (UX.md §2.4), rendered by Pages/Shared/_TextField.cshtml.</summary>
public sealed record TextField(string Id, string Label, string? Value, string? Error)
{
    public string? Hint { get; init; }
    public string Type { get; init; } = "text";
    public string? Autocomplete { get; init; }
    public string? InputMode { get; init; }
    /// <summary>A width class from the stylesheet (input--short, input--w10, input--w20) for fields with a known length.</summary>
    public string? Width { get; init; }
    /// <summary>The form field name when it differs from the id.</summary>
    public string? Name { get; init; }
    /// <summary>Logins and codes: no spellcheck or automatic capitals.</summary>
    public bool Verbatim { get; init; }

    public string? DescribedBy => string.Join(' ', new[] { Hint is null ? null : $"{Id}-hint", Error is null ? null : $"{Id}-error" }.OfType<string>()) is { Length: > 0 } s ? s : null;
}

public static class FieldErrors
{
    /// <summary>The first message for a field, for the inline error next to it.</summary>
    public static string? ErrorFor(this IEnumerable<FieldError> errors, string field) => errors.FirstOrDefault(e => e.Field == field)?.Message;
}
