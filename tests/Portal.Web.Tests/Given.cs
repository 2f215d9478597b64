using Portal.Core.Catalogue;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests;

// Each test makes the catalogue rows it asserts on, with unique codes, through the production importer.
public static class Given
{
    static int counter = Random.Shared.Next(100_000, 800_000);

    public static int Next() => Interlocked.Increment(ref counter);

    public static string AgencyCode() => $"000.{Next() % 100:00}.{Next():000000}.T01";
    public static string FieldCode() => $"linh-vuc-{Next()}";
    public static string NationalCode() => $"9.{Next():000000}";

    public static CatalogueImport.AgencyIn Agency(string? code = null, string level = "province", string? name = null) =>
        new(code ?? AgencyCode(), name ?? $"Sở Thử nghiệm {Next()}", level, null, "Số 1 đường Thử nghiệm", "0255 3 000 000", "thu@binhson.gov.vn");

    public static CatalogueImport.FieldIn Field(string? code = null, string? name = null) =>
        new(code ?? FieldCode(), name ?? $"Lĩnh vực thử {Next()}");

    public static CatalogueImport.ProcedureIn Procedure(string agency, string field, string? name = null,
        string level = "province", string onlineLevel = "full", string description = "Mô tả ngắn.", string? nationalCode = null,
        DateOnly? effectiveFrom = null, int popular = 0)
    {
        var channels = onlineLevel == "none" ? new List<string> { "direct", "postal" } : ["direct", "online", "postal"];
        return new(nationalCode ?? NationalCode(), name ?? $"Thủ tục thử nghiệm {Next()}", agency, field, level, channels,
            channels.Select(c => new CatalogueImport.ProcessingTimeIn(c, 3, "working-days", c == "postal" ? "Cộng thời gian chuyển phát" : null)).ToList(),
            [new("Lệ phí cấp giấy", 50_000), new("Phí thẩm định", 1_250_000)],
            ["Công dân Việt Nam", "Người nước ngoài"], "Giấy chứng nhận (bản chính)",
            ["Luật Hộ tịch số 60/2014/QH13", "Nghị định số 123/2015/NĐ-CP"], onlineLevel,
            onlineLevel switch { "full" => 4, "partial" => 3, _ => 2 },
            [new("Tờ khai theo mẫu", 1, 0, true, "to-khai.docx", false), new("Văn bản ủy quyền", 0, 1, false, null, true)],
            "1. Bước 1: Nộp hồ sơ.\n2. Bước 2: Nhận kết quả.", "Người yêu cầu có đủ năng lực hành vi dân sự.", description,
            new("Quyết định số 1520/QĐ-UBND", new DateOnly(2025, 7, 10)), effectiveFrom ?? new DateOnly(2025, 7, 15), popular);
    }

    public static async Task<CatalogueImport.Result> ImportAsync(PostgresFixture db, IEnumerable<CatalogueImport.AgencyIn> agencies,
        IEnumerable<CatalogueImport.FieldIn> fields, IEnumerable<CatalogueImport.ProcedureIn> procedures)
    {
        var package = new CatalogueImport.Package(agencies.ToList(), fields.ToList(), procedures.ToList());
        return await CatalogueImport.ImportAsync(db.DataSource, package, "T01", CancellationToken.None);
    }

    public static string Code(this CatalogueImport.ProcedureIn p) => p.NationalCode + ".T01";
}
