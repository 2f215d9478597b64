using Portal.Core.Dossiers;

namespace Portal.Web;

/// <summary>One text input with its label, hint and error (UX.md §2.4), rendered by Pages/Shared/_TextField.cshtml.</summary>
public sealed record TextField(string Id, string Label, string? Value, IReadOnlyList<FieldError> Errors)
{
    public string? Hint { get; init; }
    public string Type { get; init; } = "text";
    public string? Autocomplete { get; init; }
    public string? InputMode { get; init; }
    /// <summary>A width class from the stylesheet (input--w10, input--w20) for fields with a known length.</summary>
    public string? Width { get; init; }
    public string? Name { get; init; }

    public string? Error => Errors.FirstOrDefault(e => e.Field == Id)?.Message;
    public string? DescribedBy => string.Join(' ', new[] { Hint is null ? null : $"{Id}-hint", Error is null ? null : $"{Id}-error" }.OfType<string>()) is { Length: > 0 } s ? s : null;
}
