using BenchmarkDotNet.Attributes;
using Portal.Core.Catalogue;

namespace Portal.Benchmarks;

// The per-request work the catalogue does in .NET before the query reaches PostgreSQL.
[MemoryDiagnoser]
public class SearchTextBenchmarks
{
    const string Query = "Cấp bản sao trích lục hộ tịch";
    const string Description = "Thủ tục **cấp bản sao** trích lục hộ tịch dành cho:\n\n- công dân Việt Nam;\n- người nước ngoài.\n\nXem [Luật Hộ tịch](https://vbpl.vn/).";

    [Benchmark]
    public IReadOnlyList<string> Words() => SearchText.Words(Query);

    [Benchmark]
    public CatalogueQuery ParseQuery() => CatalogueQuery.Parse(Query, "000.00.12.H99", "ho-tich", "tinh", "toan-trinh", "2", null, out _);

    [Benchmark]
    public string RenderMarkdown() => MarkdownText.ToHtml(Description);
}
