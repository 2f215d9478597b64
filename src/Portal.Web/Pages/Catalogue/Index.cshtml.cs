using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Dapper;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using Portal.Core.Catalogue;
using Portal.Core.Deadlines;

namespace Portal.Web.Pages.Catalogue;

public sealed class IndexModel(NpgsqlDataSource db, CatalogueCache cache, TimeProvider clock) : PageModel
{
    public CatalogueQuery Query { get; private set; } = new();
    public IReadOnlyList<QueryProblem> Errors { get; private set; } = [];
    public CataloguePage Results { get; private set; } = new([], 0, 1, CatalogueQuery.DefaultPageSize, false);
    public IReadOnlyList<Option> Agencies { get; private set; } = [];
    public IReadOnlyList<Option> Fields { get; private set; } = [];

    // Query-string names are Vietnamese slugs so links read well: ?q=&co-quan=&linh-vuc=&cap=&muc-do=&trang=
    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var q = Request.Query;
        Query = CatalogueQuery.Parse(q["q"], q["co-quan"], q["linh-vuc"], q["cap"], q["muc-do"], q["trang"], null, out var errors);
        Errors = errors;

        var version = await cache.CurrentVersionAsync(ct);
        (Agencies, Fields) = await cache.GetAsync("catalogue-options", version, LoadOptionsAsync, ct);

        if (Errors.Count > 0)
        {
            ViewData["HasErrors"] = true;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var today = LegalTime.Today(clock);
        Results = await CatalogueSearch.SearchCachedAsync(cache, version, db, Query, today, ct);
        return Page();
    }

    // The form control each query parameter comes from; the page number has none, so its message points at the search box.
    public static string FieldId(string parameter) => parameter switch
    {
        "agency" => "co-quan",
        "field" => "linh-vuc",
        "level" => "cap",
        "onlineLevel" => "muc-do",
        _ => "q",
    };

    public QueryProblem? ErrorFor(string fieldId) => Errors.FirstOrDefault(e => FieldId(e.Parameter) == fieldId);

    public sealed record Option
    {
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public string Level { get; init; } = "";
    }

    async Task<(IReadOnlyList<Option>, IReadOnlyList<Option>)> LoadOptionsAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(OptionsSql, cancellationToken: ct));
        return ((await grid.ReadAsync<Option>()).AsList(), (await grid.ReadAsync<Option>()).AsList());
    }

    const string OptionsSql = """
        SELECT code, name, level FROM portal.agency ORDER BY level DESC, portal.fold(name);
        SELECT code, name, '' AS level FROM portal.field ORDER BY portal.fold(name);
        """;

    // The agency and field lists are ~100 <option>s on every search page; written in one pass they cost a fraction of
    // what Razor's per-attribute writes did (docs/PERFORMANCE.md).
    static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);   // as configured for Razor (PortalServices)

    public static IHtmlContent Options(IEnumerable<Option> options, string? selected)
    {
        var html = new StringBuilder(4096);
        foreach (var o in options)
        {
            html.Append("<option value=\"").Append(Encoder.Encode(o.Code)).Append('"');
            if (o.Code == selected) html.Append(" selected");
            html.Append('>').Append(Encoder.Encode(o.Name)).Append("</option>");
        }
        return new HtmlString(html.ToString());
    }

    // Link to another page of the same search, keeping every filter.
    public string PageLink(int page)
    {
        var parts = new List<string>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value)) parts.Add($"{key}={Uri.EscapeDataString(value)}");
        }
        Add("q", Query.Text);
        Add("co-quan", Query.AgencyCode);
        Add("linh-vuc", Query.FieldCode);
        Add("cap", Query.Level switch { "province" => "tinh", "commune" => "xa", _ => null });
        Add("muc-do", Query.OnlineLevel switch { "full" => "toan-trinh", "partial" => "mot-phan", "none" => "khong", _ => null });
        if (page > 1) parts.Add($"trang={page}");
        return "/thu-tuc" + (parts.Count > 0 ? "?" + string.Join("&", parts) : "");
    }
}
