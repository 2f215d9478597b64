using BenchmarkDotNet.Attributes;
using Portal.Core.Dossiers;

namespace Portal.Benchmarks;

// What one "Giấy xác nhận nộp hồ sơ trực tuyến" costs: a one-page A5 receipt with every field, five documents and the
// QR code (layout, font subsetting and embedding of three faces, compression, Adler-32 fix-up), and a 30-document
// receipt that flows onto three pages. The first build in a process also loads the fonts; that is not measured.
[MemoryDiagnoser]
public class ReceiptBenchmarks
{
    Receipt onePage = null!, threePages = null!;

    [GlobalSetup]
    public void Setup()
    {
        onePage = Sample(5);
        threePages = Sample(30);
        Console.WriteLine($"// 1 page: {ReceiptPdf.Build(onePage).Length:N0} bytes; 30 documents: {ReceiptPdf.Build(threePages).Length:N0} bytes");
    }

    [Benchmark]
    public int OnePage() => ReceiptPdf.Build(onePage).Length;

    [Benchmark]
    public int ThirtyDocuments() => ReceiptPdf.Build(threePages).Length;

    static Receipt Sample(int documents) => new()
    {
        SiteName = "Cổng Dịch vụ công tỉnh Bình Sơn",
        ProvinceName = "tỉnh Bình Sơn",
        DossierCode = "000.00.12.H56-260227-0037",
        LookupUrl = "https://dichvucong.binhson.gov.vn/tra-cuu?ma=000.00.12.H56-260227-0037",
        ProcedureCode = "1.001193.000.00.00.H56",
        ProcedureName = "Đăng ký khai sinh",
        AgencyName = "Ủy ban nhân dân xã Bình Minh, huyện Đông Hải",
        ApplicantName = "Nguyễn Thị Hường",
        ApplicantAddress = "Số 12, đường Trần Hưng Đạo, thôn Phước Lộc, xã Bình Minh, huyện Đông Hải, tỉnh Bình Sơn",
        Phone = "0912 345 678",
        Email = "huong.nguyen@example.vn",
        IdNumber = "056190001234",
        SubmittedAt = new DateTimeOffset(2026, 2, 27, 9, 5, 0, TimeSpan.FromHours(7)),
        DueAt = new DateTimeOffset(2026, 3, 2, 9, 5, 0, TimeSpan.FromHours(7)),
        DueExplanation = "Thời hạn giải quyết 1 ngày làm việc kể từ khi hồ sơ được tiếp nhận.",
        DeliveryMethod = "Nhận kết quả trực tuyến",
        Documents = [.. Enumerable.Range(1, documents).Select(i => new ReceiptDocument(
            $"Giấy tờ số {i}: bản sao giấy chứng sinh hoặc văn bản của người làm chứng",
            [$"giay-to-{i:00}_ban-chup.pdf", $"giay-to-{i:00}_trang-2.jpg"]))],
        Hotline = "1900 1234",
    };
}
