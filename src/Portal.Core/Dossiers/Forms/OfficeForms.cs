namespace Portal.Core.Dossiers.Forms;

/// <summary>What every one-stop form carries at the top and bottom (DOMAIN.md §4): the issuing unit, the place and date,
/// the dossier code with a QR code opening the public lookup, the hotline, and the demo marker on demo data.</summary>
public sealed record FormHeader
{
    /// <summary>The issuing unit (receiving unit for Mẫu 01–03, the agency that caused the delay for Mẫu 04).</summary>
    public required string UnitName { get; init; }
    /// <summary>The unit's parent line above it, e.g. "ỦY BAN NHÂN DÂN TỈNH BÌNH SƠN"; may be empty.</summary>
    public string ParentName { get; init; } = "";
    public required string ProvinceName { get; init; }
    public required string DossierCode { get; init; }
    /// <summary>Absolute URL the QR code opens (the public lookup with the code filled in).</summary>
    public required string LookupUrl { get; init; }
    public required DateTimeOffset IssuedAt { get; init; }
    public required string Hotline { get; init; }
    public string? DemoMarker { get; init; }
}

/// <summary>The applicant block shared by the forms.</summary>
public sealed record FormApplicant
{
    public required string Name { get; init; }
    public string? Address { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
    /// <summary>CCCD number or tax code.</summary>
    public string? IdNumber { get; init; }
    public string? OwnerName { get; init; }
}

public sealed record FormProcedure(string Code, string Name);

/// <summary>One document received: name, how many originals / copies, and the file names (online).</summary>
public sealed record ReceivedDocument(string Name, int Originals, int Copies, IReadOnlyList<string> Files);

/// <summary>Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả (§4.2).</summary>
public sealed record ReceptionSlip
{
    public required FormHeader Header { get; init; }
    public required FormProcedure Procedure { get; init; }
    public required FormApplicant Applicant { get; init; }
    /// <summary>"Trực tuyến", "Trực tiếp", "Bưu chính công ích".</summary>
    public required string Channel { get; init; }
    public required IReadOnlyList<ReceivedDocument> Documents { get; init; }
    /// <summary>Statutory processing time in words, e.g. "10 ngày làm việc".</summary>
    public required string ProcessingTime { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    /// <summary>Where the result is returned: "Tại Bộ phận Một cửa", "Qua dịch vụ bưu chính công ích", "Trực tuyến".</summary>
    public required string ReturnMethod { get; init; }
    public required string OfficerName { get; init; }
}

public sealed record SupplementLine(string Name, string Reason);

/// <summary>Mẫu 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (§4.3): every item at once, each with its reason.</summary>
public sealed record SupplementNotice
{
    public required FormHeader Header { get; init; }
    public required FormProcedure Procedure { get; init; }
    public required FormApplicant Applicant { get; init; }
    public required IReadOnlyList<SupplementLine> Items { get; init; }
    /// <summary>At reception the clock has not started; in processing it stops until the answer arrives.</summary>
    public required bool AtReception { get; init; }
    public string? Note { get; init; }
    /// <summary>Where to read the rules (the procedure page URL).</summary>
    public required string RulesUrl { get; init; }
    public required string OfficerName { get; init; }
    public string? OfficerPhone { get; init; }
}

/// <summary>Mẫu 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ (§4.4).</summary>
public sealed record RefusalNotice
{
    public required FormHeader Header { get; init; }
    public required FormProcedure Procedure { get; init; }
    public required FormApplicant Applicant { get; init; }
    /// <summary>The reason, with its legal basis.</summary>
    public required string Reason { get; init; }
    public required string OfficerName { get; init; }
}

/// <summary>Mẫu 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả (§4.5).</summary>
public sealed record ApologyLetter
{
    public required FormHeader Header { get; init; }
    public required FormProcedure Procedure { get; init; }
    public required FormApplicant Applicant { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public required DateTimeOffset OriginalDue { get; init; }
    public required DateTimeOffset NewDue { get; init; }
    public required string Reason { get; init; }
    /// <summary>The agency head who approved and signs it.</summary>
    public required string SignerName { get; init; }
    public required string SignerTitle { get; init; }
}

/// <summary>Mẫu 05 Thông báo dừng giải quyết hồ sơ (2025 set, §4.6).</summary>
public sealed record StopNotice
{
    public required FormHeader Header { get; init; }
    public required FormProcedure Procedure { get; init; }
    public required FormApplicant Applicant { get; init; }
    public required string Reason { get; init; }
    public required string SignerName { get; init; }
}

/// <summary>One hand-over on the control slip (§4.7).</summary>
public sealed record ControlSlipRow
{
    public required string FromUnit { get; init; }
    public required string ToUnit { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string Deliverer { get; init; }
    public string? Receiver { get; init; }
    /// <summary>"Sớm hạn", "Đúng hạn", "Trễ hạn", or empty.</summary>
    public string Outcome { get; init; } = "";
    public string? Note { get; init; }
}

/// <summary>Mẫu 06 (2025) / Mẫu 05 (2018) Phiếu kiểm soát quá trình giải quyết hồ sơ (§4.7).</summary>
public sealed record ControlSlip
{
    public required FormHeader Header { get; init; }
    public required FormProcedure Procedure { get; init; }
    public required FormApplicant Applicant { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public required IReadOnlyList<ControlSlipRow> Rows { get; init; }
    /// <summary>Final section: result returned (when, to whom, how); null while not returned.</summary>
    public DateTimeOffset? ReturnedAt { get; init; }
    public string? ReturnedTo { get; init; }
}

/// <summary>
/// The one-stop forms as A5 PDFs (R-C7) with embedded Noto fonts, the QR code to the lookup and the demo marker,
/// drawn by one shared layout. Unsigned: the caller signs with the unit's key.
/// </summary>
public static class OfficeForms
{
    public static byte[] Build(ReceptionSlip form) => throw new NotImplementedException();
    public static byte[] Build(SupplementNotice form) => throw new NotImplementedException();
    public static byte[] Build(RefusalNotice form) => throw new NotImplementedException();
    public static byte[] Build(ApologyLetter form) => throw new NotImplementedException();
    public static byte[] Build(StopNotice form) => throw new NotImplementedException();
    public static byte[] Build(ControlSlip form) => throw new NotImplementedException();
}
