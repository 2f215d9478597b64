using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Portal.Web.Pages.Account;

/// <summary>A page with a form: problems in page order as (field id, message), shown in the summary and beside each field (UX.md §2.4).</summary>
public abstract class FormPageModel : PageModel
{
    public List<(string Field, string Message)> Errors { get; } = [];

    public string? ErrorFor(string field) => Errors.FirstOrDefault(e => e.Field == field).Message;

    /// <summary>The problems for the shared error summary (Pages/Shared/_ErrorSummary.cshtml).</summary>
    public IReadOnlyList<Portal.Core.Dossiers.FieldError> Problems => [.. Errors.Select(e => new Portal.Core.Dossiers.FieldError(e.Field, e.Message))];
}
