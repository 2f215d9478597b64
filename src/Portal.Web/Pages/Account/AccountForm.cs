using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Portal.Web.Pages.Account;

/// <summary>A page with a form: problems in page order as (field id, message), shown in the summary and beside each field (UX.md §2.4).</summary>
public abstract class FormPageModel : PageModel
{
    public List<(string Field, string Message)> Errors { get; } = [];

    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field).Message;
}

/// <summary>One text input with its label, hint and inline error (_TextField.cshtml).</summary>
public sealed record TextField(string Id, string Name, string Label, string? Value, string? Error)
{
    public string? Hint { get; init; }
    public string Type { get; init; } = "text";
    public string? Autocomplete { get; init; }
    public string? InputMode { get; init; }
    public bool Verbatim { get; init; }          // logins, codes: no spellcheck or automatic capitals
    public string? Width { get; init; }          // "input--short" for dates and numbers

    public string? DescribedBy =>
        string.Join(' ', new[] { Hint is null ? null : Id + "-hint", Error is null ? null : Id + "-error" }.OfType<string>()) is { Length: > 0 } ids
            ? ids : null;
}
