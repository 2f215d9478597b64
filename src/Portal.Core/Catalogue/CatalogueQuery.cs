using System.Globalization;
using System.Text.RegularExpressions;

namespace Portal.Core.Catalogue;

public enum SearchMode { All, Code, Text, Fuzzy }

// A problem with one parameter: Parameter is the API name (q, agency, field, level, onlineLevel, page, pageSize).
public sealed record QueryProblem(string Parameter, string Message);

// What someone asked the catalogue for, validated. Public pages use Vietnamese slugs (cap=tinh|xa,
// muc-do=toan-trinh|mot-phan), the open-data API English ones (province|commune, full|partial); both are accepted.
public sealed partial record CatalogueQuery
{
    public const int MaxQueryLength = 200;
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const int MaxPage = 1000;

    public string? Text { get; init; }
    public string? AgencyCode { get; init; }
    public string? FieldCode { get; init; }
    public string? Level { get; init; }          // province | commune
    public string? OnlineLevel { get; init; }    // full | partial | none
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = DefaultPageSize;

    // Every component but the last is code-like (no '|'), so keys cannot collide.
    public string CacheKey => $"{AgencyCode}|{FieldCode}|{Level}|{OnlineLevel}|{Page}|{PageSize}|{Text}";

    public IReadOnlyList<string> Words => Text is null ? [] : SearchText.Words(Text);

    // A query that looks like a procedure code (1.001193, 1.001193.H99) searches codes instead of words.
    public bool IsCode => Text is not null && CodePattern().IsMatch(Text);

    public static CatalogueQuery Parse(string? q, string? agency, string? field, string? level, string? onlineLevel,
        string? page, string? pageSize, out IReadOnlyList<QueryProblem> errors)
    {
        var problems = new List<QueryProblem>();
        var text = string.IsNullOrWhiteSpace(q) ? null : SearchText.Clean(q);
        if (text is { Length: > MaxQueryLength })
        {
            problems.Add(new("q", $"Từ khóa tìm kiếm dài quá {MaxQueryLength} ký tự. Hãy nhập từ khóa ngắn hơn, ví dụ \"cấp bản sao\"."));
            text = null;
        }

        var agencyCode = Code(agency, "agency", "Mã cơ quan", problems);
        var fieldCode = Code(field, "field", "Mã lĩnh vực", problems);

        string? levelValue = Blank(level) ? null : level!.Trim().ToLowerInvariant() switch
        {
            "tinh" or "province" => "province",
            "xa" or "commune" => "commune",
            _ => Problem(problems, "level", "Cấp thực hiện phải là \"tinh\" (cấp tỉnh) hoặc \"xa\" (cấp xã)."),
        };
        string? online = Blank(onlineLevel) ? null : onlineLevel!.Trim().ToLowerInvariant() switch
        {
            "toan-trinh" or "full" => "full",
            "mot-phan" or "partial" => "partial",
            "khong" or "none" => "none",
            _ => Problem(problems, "onlineLevel", "Mức độ dịch vụ công phải là \"toan-trinh\" (toàn trình) hoặc \"mot-phan\" (một phần)."),
        };

        int pageNo = Number(page, "page", 1, MaxPage, 1, $"Số trang phải là số từ 1 đến {MaxPage}.", problems);
        int size = Number(pageSize, "pageSize", 1, MaxPageSize, DefaultPageSize, $"Số kết quả mỗi trang phải là số từ 1 đến {MaxPageSize}.", problems);

        errors = problems;
        return new CatalogueQuery
        {
            Text = text, AgencyCode = agencyCode, FieldCode = fieldCode, Level = levelValue, OnlineLevel = online,
            Page = pageNo, PageSize = size,
        };
    }

    static bool Blank(string? s) => string.IsNullOrWhiteSpace(s);

    static string? Problem(List<QueryProblem> problems, string parameter, string message)
    {
        problems.Add(new(parameter, message));
        return null;
    }

    static string? Code(string? value, string parameter, string label, List<QueryProblem> problems)
    {
        if (Blank(value)) return null;
        var v = value!.Trim();
        if (v.Length <= 64 && CodeChars().IsMatch(v)) return v;
        problems.Add(new(parameter, $"{label} không đúng dạng: chỉ gồm chữ không dấu, chữ số, dấu chấm và gạch nối. Hãy chọn lại từ danh sách."));
        return null;
    }

    static int Number(string? value, string parameter, int min, int max, int fallback, string message, List<QueryProblem> problems)
    {
        if (Blank(value)) return fallback;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
        problems.Add(new(parameter, message));
        return fallback;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9.\-]*$")]
    private static partial Regex CodeChars();

    [GeneratedRegex(@"^\d\.\d{6}(\.[A-Za-z0-9.\-]*)?$")]
    private static partial Regex CodePattern();
}
