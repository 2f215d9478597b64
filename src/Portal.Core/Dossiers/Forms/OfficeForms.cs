using System.Globalization;

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
    const string Signed = "(Đã ký điện tử)";

    public static byte[] Build(ReceptionSlip form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return Render(form.Header, form.Procedure, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", layout =>
        {
            layout.Fields([
                Procedure(layout, form.Procedure),
                .. Applicant(layout, form.Applicant),
                new("Hình thức nộp", form.Channel, layout.Sans),
                new("Thời hạn giải quyết", form.ProcessingTime, layout.Sans),
                new("Thời điểm tiếp nhận", A5Layout.Moment(form.ReceivedAt), layout.Sans),
                new("Thời gian hẹn trả kết quả", Appointment(form.DueAt), layout.SansBold),
                new("Hình thức trả kết quả", form.ReturnMethod, layout.Sans),
            ]);

            var rest = layout.Width - 24 - 2 * 46;
            layout.Table($"Thành phần hồ sơ đã tiếp nhận ({form.Documents.Count})",
                [new("STT", 24), new("Giấy tờ", rest * 0.55), new("Bản chính", 46), new("Bản sao", 46), new("Tệp", 0)],
                form.Documents.Select((d, i) => Cells(
                    [new(A5Layout.Number(i + 1), layout.Sans)],
                    [new(d.Name, layout.Sans)],
                    [new(A5Layout.Number(d.Originals), layout.Sans)],
                    [new(A5Layout.Number(d.Copies), layout.Sans)],
                    d.Files.Count == 0 ? [new("(không có tệp)", layout.SmallItalic)] : [.. d.Files.Select(f => new Run(f, layout.Small))])),
                layout.SansBold);

            layout.Signature("Người tiếp nhận", Signed, form.OfficerName,
                beside: new("Kết quả có thể được trả sớm hơn; cơ quan sẽ thông báo khi có kết quả.", layout.SansItalic));
        });
    }

    public static byte[] Build(SupplementNotice form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return Render(form.Header, form.Procedure, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", layout =>
        {
            layout.Fields([.. Applicant(layout, form.Applicant), Procedure(layout, form.Procedure)]);

            // R-C1: every item at once, each with its reason.
            layout.Table($"Yêu cầu bổ sung, hoàn thiện hồ sơ gồm các nội dung sau ({form.Items.Count})",
                [new("STT", 24), new("Giấy tờ cần bổ sung/hoàn thiện", (layout.Width - 24) * 0.45), new("Lý do", 0)],
                form.Items.Select((item, i) => Cells(
                    [new(A5Layout.Number(i + 1), layout.Sans)], [new(item.Name, layout.Sans)], [new(item.Reason, layout.Sans)])),
                layout.SansBold);

            // DOMAIN.md §6.5: at reception the clock has not started; during processing it stops until the answer.
            layout.Paragraph(form.AtReception
                ? "Hồ sơ chưa được tiếp nhận; thời hạn giải quyết tính từ khi hồ sơ đầy đủ."
                : "Thời gian bổ sung không tính vào thời hạn giải quyết.", layout.SansBold);
            if (!string.IsNullOrWhiteSpace(form.Note)) layout.Paragraph($"Ghi chú: {form.Note}", layout.Sans);
            layout.Paragraph($"Quy định của thủ tục: {form.RulesUrl}", layout.Sans);
            var phone = string.IsNullOrWhiteSpace(form.OfficerPhone) ? "" : $", số điện thoại {form.OfficerPhone}";
            layout.Signature("Người hướng dẫn", Signed, form.OfficerName,
                beside: new($"Nếu có vướng mắc, ông/bà liên hệ {form.OfficerName}{phone} để được hướng dẫn.", layout.Sans));
        });
    }

    public static byte[] Build(RefusalNotice form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return Decision(form.Header, form.Procedure, form.Applicant, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
            $"{form.Header.UnitName} không tiếp nhận, giải quyết hồ sơ này.", "Lý do từ chối", form.Reason,
            "Người tiếp nhận", form.OfficerName);
    }

    public static byte[] Build(ApologyLetter form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return Render(form.Header, form.Procedure, "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", layout =>
        {
            layout.Paragraph($"Kính gửi: {form.Applicant.Name}", layout.SansBold);
            layout.Fields([
                Procedure(layout, form.Procedure),
                new("Thời điểm tiếp nhận", A5Layout.Moment(form.ReceivedAt), layout.Sans),
                new("Thời gian hẹn trả kết quả", Appointment(form.OriginalDue), layout.Sans),
            ]);
            layout.Paragraph($"Đến nay, {form.Header.UnitName} chưa trả được kết quả giải quyết hồ sơ cho ông/bà.", layout.Sans);
            layout.Section("Lý do chậm trễ");
            layout.Paragraph(form.Reason, layout.Sans);
            layout.Paragraph($"Sự chậm trễ này đã gây phiền hà, tốn kém cho ông/bà. {form.Header.UnitName} thành thật xin lỗi ông/bà " +
                             "và hẹn lại ngày trả kết quả giải quyết hồ sơ như sau:", layout.Sans);
            layout.Paragraph($"Thời gian hẹn trả kết quả mới: {Appointment(form.NewDue)}", layout.SansBold);
            layout.Signature(form.SignerTitle, Signed, form.SignerName);
        });
    }

    public static byte[] Build(StopNotice form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return Decision(form.Header, form.Procedure, form.Applicant, "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
            $"{form.Header.UnitName} thông báo dừng giải quyết hồ sơ nêu trên.", "Lý do dừng giải quyết", form.Reason,
            "Thủ trưởng cơ quan", form.SignerName);
    }

    public static byte[] Build(ControlSlip form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return Render(form.Header, form.Procedure, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", layout =>
        {
            layout.Fields([
                Procedure(layout, form.Procedure),
                .. Applicant(layout, form.Applicant),
                new("Thời điểm tiếp nhận", A5Layout.Moment(form.ReceivedAt), layout.Sans),
                new("Thời gian hẹn trả kết quả", Appointment(form.DueAt), layout.SansBold),
            ]);

            // Seven columns on A5: 6.5 pt type; the time wraps between hour and date.
            layout.Table($"Quá trình giải quyết ({form.Rows.Count} lượt bàn giao)",
                [new("STT", 19), new("Bàn giao từ", 61), new("Nhận", 60), new("Thời điểm", 44),
                 new("Người giao / Người nhận", 66), new("Kết quả", 36), new("Ghi chú", 0)],
                form.Rows.Select((row, i) => Cells(
                    [new(A5Layout.Number(i + 1), layout.Tiny)],
                    [new(row.FromUnit, layout.Tiny)],
                    [new(row.ToUnit, layout.Tiny)],
                    [new(A5Layout.Local(row.At, "HH:mm dd/MM/yyyy"), layout.Tiny)],
                    [new(row.Deliverer, layout.Tiny), string.IsNullOrWhiteSpace(row.Receiver) ? new("(chưa nhận)", layout.TinyItalic) : new(row.Receiver, layout.Tiny)],
                    [new(row.Outcome, layout.Tiny)],
                    [new(row.Note ?? "", layout.Tiny)])),
                layout.TinyBold);

            layout.Section("Trả kết quả");
            if (form.ReturnedAt is { } returned)
                layout.Fields([
                    new("Thời điểm trả kết quả", A5Layout.Moment(returned), layout.Sans),
                    new("Người nhận kết quả", form.ReturnedTo, layout.Sans),
                ]);
            else
                layout.Paragraph("Chưa trả kết quả", layout.SansItalic);
        });
    }

    /// <summary>Every form: the unit and motto, place and date, the title, the code with its QR; then the form's own body.</summary>
    static byte[] Render(FormHeader header, FormProcedure procedure, string title, Action<A5Layout> body)
    {
        ArgumentNullException.ThrowIfNull(header);
        var page = new A5Page(header.DossierCode, header.LookupUrl, header.Hotline, header.DemoMarker);
        var sentence = title[..1] + title[1..].ToLower(CultureInfo.GetCultureInfo("vi-VN"));
        return A5Layout.Render(page, $"{sentence} {header.DossierCode}", procedure.Name, header.IssuedAt, layout =>
        {
            layout.Header(header.ParentName, header.UnitName, header.ProvinceName, header.IssuedAt, title);
            layout.CodeAndQr();
            body(layout);
        });
    }

    /// <summary>Mẫu 03 and 05: who and what, what the unit decided and why, who signs.</summary>
    static byte[] Decision(FormHeader header, FormProcedure procedure, FormApplicant applicant, string title,
                           string statement, string reasonHeading, string reason, string role, string signer) =>
        Render(header, procedure, title, layout =>
        {
            layout.Fields([.. Applicant(layout, applicant), Procedure(layout, procedure)]);
            layout.Paragraph(statement, layout.Sans);
            layout.Section(reasonHeading);
            layout.Paragraph(reason, layout.Sans);
            layout.Paragraph("Xin thông báo để ông/bà được biết.", layout.Sans);
            layout.Signature(role, Signed, signer);
        });

    static Field Procedure(A5Layout layout, FormProcedure procedure) =>
        new("Thủ tục hành chính", $"{procedure.Name}\nMã thủ tục: {procedure.Code}", layout.Sans);

    static IEnumerable<Field> Applicant(A5Layout layout, FormApplicant a) =>
        layout.Person(a.Name, a.IdNumber, a.Address, a.Phone, a.Email, a.OwnerName);

    /// <summary>"16 giờ 30 phút, ngày 20/03/2026", as appointments are written on the forms.</summary>
    static string Appointment(DateTimeOffset at) => A5Layout.Local(at, "HH 'giờ' mm 'phút, ngày' dd/MM/yyyy");

    static IReadOnlyList<IReadOnlyList<Run>> Cells(params IReadOnlyList<Run>[] cells) => cells;
}
