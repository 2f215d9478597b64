using Portal.Core.Dossiers.Forms;

namespace Portal.Core.Dossiers;

/// <summary>One required or optional document and the names of the files uploaded for it.</summary>
public sealed record ReceiptDocument(string Name, IReadOnlyList<string> Files);

/// <summary>What the acknowledgement of an online submission shows (DOMAIN.md §4.2 as far as it applies).</summary>
public sealed record Receipt
{
    public required string SiteName { get; init; }
    public required string ProvinceName { get; init; }
    public required string DossierCode { get; init; }
    /// <summary>The absolute URL the QR code opens (the public lookup with the code filled in).</summary>
    public required string LookupUrl { get; init; }
    public required string ProcedureCode { get; init; }
    public required string ProcedureName { get; init; }
    /// <summary>The receiving unit.</summary>
    public required string AgencyName { get; init; }
    public required string ApplicantName { get; init; }
    public string? ApplicantAddress { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
    /// <summary>CCCD number or tax code.</summary>
    public string? IdNumber { get; init; }
    /// <summary>The dossier owner, when not the applicant.</summary>
    public string? OwnerName { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
    /// <summary>The expected appointment, when one can be computed before reception.</summary>
    public DateTimeOffset? DueAt { get; init; }
    public required string DueExplanation { get; init; }
    public required string DeliveryMethod { get; init; }
    public required IReadOnlyList<ReceiptDocument> Documents { get; init; }
    public required string Hotline { get; init; }
    /// <summary>Set for demo data: printed prominently on every page.</summary>
    public string? DemoMarker { get; init; }
}

/// <summary>
/// "Giấy xác nhận nộp hồ sơ trực tuyến": the A5 acknowledgement an applicant can print or keep right after submitting
/// online. It is not the Mẫu 01 receipt and appointment slip, which the unit issues at reception (DOMAIN.md §4.2); the
/// page says so. Layout after Vietnamese administrative forms: unit on the left, national motto on the right.
/// </summary>
public static class ReceiptPdf
{
    public const string Title = "GIẤY XÁC NHẬN NỘP HỒ SƠ TRỰC TUYẾN";
    public const string NotYetReceived = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả sẽ được gửi khi hồ sơ được tiếp nhận.";

    public static byte[] Build(Receipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var r = receipt;
        var page = new A5Page(r.DossierCode, r.LookupUrl, r.Hotline, r.DemoMarker);
        return A5Layout.Render(page, $"Giấy xác nhận nộp hồ sơ trực tuyến {r.DossierCode}", r.ProcedureName,
            r.SubmittedAt, layout =>   // dated by the submission, so the same receipt gives the same dates
            {
                layout.Header("", r.SiteName, r.ProvinceName, r.SubmittedAt, Title, NotYetReceived);
                layout.CodeAndQr();
                layout.Fields([
                    new("Thủ tục hành chính", $"{r.ProcedureName}\nMã thủ tục: {r.ProcedureCode}", layout.Sans),
                    new("Cơ quan tiếp nhận", r.AgencyName, layout.Sans),
                    .. layout.Person(r.ApplicantName, r.IdNumber, r.ApplicantAddress, r.Phone, r.Email, r.OwnerName),
                    new("Thời điểm nộp", A5Layout.Moment(r.SubmittedAt), layout.Sans),
                    new("Ngày hẹn trả (dự kiến)", r.DueAt is { } due ? A5Layout.Moment(due) : "Chưa xác định", layout.SansBold,
                        Note: r.DueExplanation),
                    new("Hình thức nhận kết quả", r.DeliveryMethod, layout.Sans),
                ]);

                var w = layout.Width - 24;
                layout.Table($"Thành phần hồ sơ đã nộp ({r.Documents.Count})",
                    [new("STT", 24), new("Giấy tờ", w * 0.52), new("Tệp đã nộp", 0)],
                    r.Documents.Select((d, i) => (IReadOnlyList<IReadOnlyList<Run>>)[
                        [new(A5Layout.Number(i + 1), layout.Sans)],
                        [new(d.Name, layout.Sans)],
                        d.Files.Count == 0
                            ? [new("(không có tệp)", layout.SmallItalic)]
                            : [.. d.Files.Select(f => new Run(f, layout.Small))],   // a file a line
                    ]),
                    layout.SansBold);
            });
    }
}
