using Portal.Core.Catalogue;

namespace Portal.BrowserTests;

// The catalogue the browser journeys read: small, made here, never the demo data.
public static class TestCatalogue
{
    public const string Justice = "000.00.12.H99";
    public const string Construction = "000.00.15.H99";
    public const string CopyFromRegister = "2.000908.H99";
    public const string BirthRegistration = "1.001193.H99";

    public static CatalogueImport.Package Package { get; } = new(
        [
            new(Justice, "Sở Tư pháp", "province", null, "Số 2 đường Lê Lợi, phường Bình Sơn", "0255 3 822 123", "stp@binhson.gov.vn"),
            new(Construction, "Sở Xây dựng", "province", null, "Số 5 đường Hùng Vương, phường Bình Sơn", "0255 3 822 456", "sxd@binhson.gov.vn"),
            new("000.00.00.H99-XA", "Ủy ban nhân dân cấp xã", "commune", null, null, null, null),
        ],
        [new("chung-thuc", "Chứng thực"), new("ho-tich", "Hộ tịch"), new("hoat-dong-xay-dung", "Hoạt động xây dựng")],
        [
            Procedure("2.000908", "Cấp bản sao từ sổ gốc", Justice, "chung-thuc", "province", "full", popular: 2),
            Procedure("1.001193", "Đăng ký khai sinh", "000.00.00.H99-XA", "ho-tich", "commune", "full", popular: 1),
            Procedure("1.000894", "Đăng ký kết hôn", "000.00.00.H99-XA", "ho-tich", "commune", "partial", popular: 3),
            Procedure("1.009994", "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", Construction, "hoat-dong-xay-dung", "province", "partial"),
            Procedure("1.009999", "Cấp giấy phép di dời công trình", Construction, "hoat-dong-xay-dung", "province", "none"),
        ]);

    static CatalogueImport.ProcedureIn Procedure(string code, string name, string agency, string field, string level,
        string onlineLevel, int popular = 0)
    {
        List<string> channels = onlineLevel == "none" ? ["direct", "postal"] : ["direct", "online", "postal"];
        return new(code, name, agency, field, level, channels,
            channels.Select(c => new CatalogueImport.ProcessingTimeIn(c, 5, "working-days", null)).ToList(),
            [new("Lệ phí", 20_000)], ["Công dân Việt Nam"], "Giấy tờ (bản chính)", ["Luật Hộ tịch số 60/2014/QH13"],
            onlineLevel, (short)(onlineLevel == "full" ? 4 : onlineLevel == "partial" ? 3 : 2),
            [new("Tờ khai theo mẫu", 1, 0, true, "to-khai.docx", false), new("Giấy tờ tùy thân", 0, 1, true, null, false)],
            "1. Bước 1: Chuẩn bị hồ sơ.\n2. Bước 2: Nộp hồ sơ.\n3. Bước 3: Nhận kết quả.", null,
            $"Thủ tục **{name.ToLowerInvariant()}** dành cho công dân.", new("Quyết định số 1520/QĐ-UBND", new DateOnly(2025, 7, 10)),
            new DateOnly(2025, 7, 15), popular);
    }
}
