using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Portal.Core.Dossiers.Forms;
using Portal.Core.Tests.Documents;

namespace Portal.Core.Tests.Dossiers;

public sealed partial class OfficeFormsTests
{
    const string Code = "000.00.12.H56-260227-0037";
    const string Marker = "DỮ LIỆU MẪU – KHÔNG CÓ GIÁ TRỊ PHÁP LÝ";

    static DateTimeOffset Iso(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture);

    static FormHeader Header(string? demo = null) => new()
    {
        ParentName = "Ủy ban nhân dân huyện Đông Hải",
        UnitName = "Ủy ban nhân dân xã Bình Minh",
        ProvinceName = "tỉnh Bình Sơn",
        DossierCode = Code,
        LookupUrl = $"https://dichvucong.binhson.gov.vn/tra-cuu?ma={Code}",
        IssuedAt = Iso("2026-02-27T02:05:00Z"),                    // 09:05 in Vietnam
        Hotline = "1900 1234",
        DemoMarker = demo,
    };

    static readonly FormProcedure Procedure = new("1.001193.000.00.00.H56", "Đăng ký khai sinh");

    static readonly FormApplicant Applicant = new()
    {
        Name = "Nguyễn Thị Hường",
        Address = "Số 12, đường Trần Hưng Đạo, thôn Phước Lộc, xã Bình Minh, huyện Đông Hải, tỉnh Bình Sơn",
        Phone = "0912 345 678",
        Email = "huong.nguyen@example.vn",
        IdNumber = "056190001234",
        OwnerName = "Trần Gia Bảo",
    };

    static ReceptionSlip Reception(string? demo = null) => new()
    {
        Header = Header(demo),
        Procedure = Procedure,
        Applicant = Applicant,
        Channel = "Trực tiếp",
        Documents =
        [
            new("Tờ khai đăng ký khai sinh theo mẫu", 1, 0, []),
            new("Giấy chứng sinh", 1, 2, ["giay-chung-sinh.pdf"]),
        ],
        ProcessingTime = "1 ngày làm việc",
        ReceivedAt = Iso("2026-02-27T09:05:00+07:00"),
        DueAt = Iso("2026-03-02T16:30:00+07:00"),
        ReturnMethod = "Qua dịch vụ bưu chính công ích",
        OfficerName = "Lê Văn Tâm",
    };

    static SupplementNotice Supplement(int items = 3, bool atReception = false, string? demo = null) => new()
    {
        Header = Header(demo),
        Procedure = Procedure,
        Applicant = Applicant,
        Items = [.. Enumerable.Range(1, items).Select(i => new SupplementLine(
            $"Giấy tờ số {i:00}: bản sao giấy chứng sinh có chứng thực",
            items > 10
                ? $"Lý do {i:00}: bản sao nộp kèm bị mờ, không đọc được họ tên người mẹ, ngày sinh và nơi sinh của trẻ; đề nghị nộp bản chụp rõ nét từ bản chính hoặc bản sao có chứng thực điện tử còn hiệu lực."
                : $"Lý do {i:00}: bản chụp bị mờ")),],
        AtReception = atReception,
        Note = "Ông/bà có thể nộp bổ sung trực tuyến.",
        RulesUrl = "https://dichvucong.binhson.gov.vn/thu-tuc/1.001193",
        OfficerName = "Lê Văn Tâm",
        OfficerPhone = "0236 3812 345",
    };

    static RefusalNotice Refusal(string? demo = null) => new()
    {
        Header = Header(demo),
        Procedure = Procedure,
        Applicant = Applicant,
        Reason = "Việc đăng ký khai sinh thuộc thẩm quyền của Ủy ban nhân dân xã nơi cư trú của cha hoặc mẹ (Luật Hộ tịch 2014, Điều 13).",
        OfficerName = "Lê Văn Tâm",
    };

    static ApologyLetter Apology(string? demo = null) => new()
    {
        Header = Header(demo),
        Procedure = Procedure,
        Applicant = Applicant,
        ReceivedAt = Iso("2026-02-20T08:15:00+07:00"),
        OriginalDue = Iso("2026-02-26T16:30:00+07:00"),
        NewDue = Iso("2026-03-05T10:00:00+07:00"),
        Reason = "Cần xác minh thông tin nơi cư trú với Công an xã.",
        SignerName = "Phạm Quốc Hùng",
        SignerTitle = "Chủ tịch",
    };

    static StopNotice Stop(string? demo = null) => new()
    {
        Header = Header(demo),
        Procedure = Procedure,
        Applicant = Applicant,
        Reason = "Người nộp hồ sơ đã xác nhận rút hồ sơ ngày 26/02/2026.",
        SignerName = "Phạm Quốc Hùng",
    };

    static ControlSlip Control(int rows = 3, DateTimeOffset? returned = null, string? demo = null) => new()
    {
        Header = Header(demo),
        Procedure = Procedure,
        Applicant = Applicant,
        ReceivedAt = Iso("2026-02-20T08:15:00+07:00"),
        DueAt = Iso("2026-02-26T16:30:00+07:00"),
        Rows = [.. Enumerable.Range(1, rows).Select(i => new ControlSlipRow
        {
            FromUnit = $"Bộ phận Một cửa {i:00}",
            ToUnit = $"Công chức tư pháp - hộ tịch {i:00}",
            At = Iso("2026-02-20T08:15:00+07:00").AddMinutes(37 * i),
            Deliverer = $"Lê Văn Tâm {i:00}",
            Receiver = i % 4 == 0 ? null : $"Đỗ Thị Ngọc {i:00}",
            Outcome = (i % 3) switch { 0 => "Sớm hạn", 1 => "Đúng hạn", _ => "Trễ hạn" },
            Note = i % 2 == 0 ? $"Ghi chú số {i:00}" : null,
        })],
        ReturnedAt = returned,
        ReturnedTo = returned is null ? null : "Nguyễn Thị Hường (nhận trực tiếp)",
    };

    /// <summary>Each form with the title it must carry, for the checks every form shares.</summary>
    public static TheoryData<string, string> Forms => new()
    {
        { "01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" },
        { "02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" },
        { "03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" },
        { "04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" },
        { "05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" },
        { "06", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" },
    };

    public static TheoryData<string> FormNumbers => ["01", "02", "03", "04", "05", "06"];

    static byte[] Build(string form, string? demo = null) => form switch
    {
        "01" => OfficeForms.Build(Reception(demo)),
        "02" => OfficeForms.Build(Supplement(demo: demo)),
        "03" => OfficeForms.Build(Refusal(demo)),
        "04" => OfficeForms.Build(Apology(demo)),
        "05" => OfficeForms.Build(Stop(demo)),
        "06" => OfficeForms.Build(Control(demo: demo)),
        _ => throw new ArgumentOutOfRangeException(nameof(form)),
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void Each_form_is_one_a5_page_with_header_title_code_and_footer(string form, string title)
    {
        var pdf = Build(form);
        var info = PdfTools.Info(pdf);
        var text = Flat(PdfTools.Text(pdf));

        Assert.Matches(@"Page size:\s+419\.5\d* x 595\.2\d* pts", info);      // ISO A5, 148 × 210 mm
        Assert.Matches(@"Pages:\s+1\n", info);
        Assert.Contains("Creator:         Portal", info);
        Assert.Contains(Code, info.Normalize(NormalizationForm.FormC));      // the document title names the dossier
        foreach (var expected in new[]
        {
            title, "Mã hồ sơ", Code, "ỦY BAN NHÂN DÂN HUYỆN ĐÔNG HẢI", "ỦY BAN NHÂN DÂN XÃ BÌNH MINH",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Bình Sơn, ngày 27 tháng 02 năm 2026",
            "Đăng ký khai sinh", "Nguyễn Thị Hường",
            "Tra cứu hồ sơ tại https://dichvucong.binhson.gov.vn/tra-cuu bằng mã hồ sơ", "Đường dây nóng: 1900 1234", "Trang 1/1",
        })
            Assert.Contains(Flat(expected), text);
        Assert.DoesNotContain("?ma=", text);
        Assert.DoesNotContain(Marker, text);
    }

    [Theory]
    [MemberData(nameof(FormNumbers))]
    public void Each_form_embeds_its_fonts_and_passes_qpdf(string form)
    {
        var pdf = Build(form);
        var fonts = PdfTools.Fonts(pdf);
        var rows = fonts.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();

        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Matches(@"Noto.*\s+yes\s+(yes|no)\s+yes\s+\d+\s+\d+\s*$", row));   // embedded, with ToUnicode
        Assert.Contains("No syntax or stream encoding errors found", PdfTools.WithFile(pdf, path => PdfTools.Run("qpdf", "--check", path)));
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public void Each_form_prints_the_demo_marker_when_set(string form, string title)
    {
        var text = Flat(PdfTools.Text(Build(form, Marker)));

        Assert.Contains(Marker, text);
        Assert.Contains(title, text);
    }

    [Theory]
    [MemberData(nameof(FormNumbers))]
    public void Each_form_has_a_qr_code_that_opens_the_lookup_url(string form)
    {
        Assert.Equal([Header().LookupUrl], PdfTools.QrCodes(Build(form)));
    }

    [Fact]
    public void The_reception_slip_lists_documents_times_and_the_appointment()
    {
        var text = Flat(PdfTools.Text(OfficeForms.Build(Reception())));

        foreach (var expected in new[]
        {
            "1.001193.000.00.00.H56", "056190001234", "0912 345 678; huong.nguyen@example.vn", "Trần Gia Bảo",
            "Số 12, đường Trần Hưng Đạo", "Trực tiếp", "1 ngày làm việc", "09:05, 27/02/2026",
            "16 giờ 30 phút, ngày 02/03/2026",
            "STT Giấy tờ Bản chính Bản sao Tệp", "Tờ khai đăng ký khai sinh theo mẫu", "Giấy chứng sinh 1 2 giay-chung-sinh.pdf",
            "Kết quả có thể được trả sớm hơn; cơ quan sẽ thông báo khi có kết quả.",
            "Qua dịch vụ bưu chính công ích", "NGƯỜI TIẾP NHẬN", "(Đã ký điện tử)", "Lê Văn Tâm",
        })
            Assert.Contains(Flat(expected), text);
    }

    [Fact]
    public void The_supplement_notice_lists_every_item_with_its_reason_and_the_officer()
    {
        var form = Supplement();
        var text = Flat(PdfTools.Text(OfficeForms.Build(form)));

        foreach (var item in form.Items)
        {
            Assert.Contains(item.Name, text);
            Assert.Contains(item.Reason, text);
        }
        foreach (var expected in new[]
        {
            "Giấy tờ cần bổ sung/hoàn thiện", "Lý do", "Thời gian bổ sung không tính vào thời hạn giải quyết.",
            "Ông/bà có thể nộp bổ sung trực tuyến.", "Quy định của thủ tục: https://dichvucong.binhson.gov.vn/thu-tuc/1.001193",
            "Lê Văn Tâm, số điện thoại 0236 3812 345",
        })
            Assert.Contains(expected, text);
        Assert.DoesNotContain("Hồ sơ chưa được tiếp nhận", text);
    }

    [Fact]
    public void A_supplement_at_reception_says_the_clock_starts_when_the_dossier_is_complete()
    {
        var text = Flat(PdfTools.Text(OfficeForms.Build(Supplement(atReception: true))));

        Assert.Contains("Hồ sơ chưa được tiếp nhận; thời hạn giải quyết tính từ khi hồ sơ đầy đủ.", text);
        Assert.DoesNotContain("Thời gian bổ sung không tính vào thời hạn giải quyết.", text);
    }

    [Fact]
    public void Forty_long_supplement_items_flow_onto_more_pages_without_losing_one()
    {
        var form = Supplement(items: 40, demo: Marker);
        var pdf = OfficeForms.Build(form);
        var raw = PdfTools.Text(pdf);
        var text = Flat(raw);
        var pages = Pages(pdf);

        Assert.True(pages >= 3, $"{pages} page(s)");
        foreach (var item in form.Items)
        {
            Assert.Contains(item.Name, text);
            Assert.Contains(Flat(item.Reason), text);
        }
        Assert.Contains($"Trang {pages}/{pages}", text);
        Assert.Contains($"Mã hồ sơ {Code} (tiếp theo)", text);
        Assert.Contains("Lê Văn Tâm, số điện thoại 0236 3812 345", text);    // what follows the table still comes
        Assert.All(PageTexts(raw), page => Assert.Contains(Marker, Flat(page)));
        PdfTools.WithFile(pdf, path => PdfTools.Run("qpdf", "--check", path));
    }

    [Fact]
    public void The_refusal_notice_gives_the_reason()
    {
        var form = Refusal();
        var text = Flat(PdfTools.Text(OfficeForms.Build(form)));

        Assert.Contains("Lý do từ chối", text);
        Assert.Contains(form.Reason, text);
        Assert.Contains("NGƯỜI TIẾP NHẬN", text);
        Assert.Contains("Lê Văn Tâm", text);
    }

    [Fact]
    public void The_apology_letter_gives_both_appointments_the_reason_and_the_apology()
    {
        var form = Apology();
        var text = Flat(PdfTools.Text(OfficeForms.Build(form)));

        foreach (var expected in new[]
        {
            "Kính gửi: Nguyễn Thị Hường", "08:15, 20/02/2026", "16 giờ 30 phút, ngày 26/02/2026", form.Reason,
            "Ủy ban nhân dân xã Bình Minh thành thật xin lỗi ông/bà và hẹn lại ngày trả kết quả",
            "Thời gian hẹn trả kết quả mới: 10 giờ 00 phút, ngày 05/03/2026", "CHỦ TỊCH", "Phạm Quốc Hùng",
        })
            Assert.Contains(expected, text);
    }

    [Fact]
    public void The_stop_notice_gives_the_reason_and_the_signer()
    {
        var form = Stop();
        var text = Flat(PdfTools.Text(OfficeForms.Build(form)));

        Assert.Contains("Lý do dừng giải quyết", text);
        Assert.Contains(form.Reason, text);
        Assert.Contains("Phạm Quốc Hùng", text);
        Assert.Contains("056190001234", text);
    }

    [Fact]
    public void The_control_slip_shows_every_hand_over_and_the_return()
    {
        var form = Control(rows: 4, returned: Iso("2026-02-26T09:40:00+07:00"));
        var text = Flat(PdfTools.Text(OfficeForms.Build(form)));

        foreach (var expected in new[]
        {
            "Bàn giao từ", "Nhận", "Thời điểm", "Người giao / Người nhận", "Kết quả", "Ghi chú",
            "08:15, 20/02/2026", "16 giờ 30 phút, ngày 26/02/2026",
            "Trả kết quả", "09:40, 26/02/2026", "Nguyễn Thị Hường (nhận trực tiếp)",
        })
            Assert.Contains(expected, text);
        AssertRows(form, text);
        Assert.Contains("(chưa nhận)", text);                               // row 4 has no receiver yet
        Assert.DoesNotContain("Chưa trả kết quả", text);
    }

    [Fact]
    public void A_control_slip_not_yet_returned_says_so()
    {
        var text = Flat(PdfTools.Text(OfficeForms.Build(Control())));

        Assert.Contains("Trả kết quả", text);
        Assert.Contains("Chưa trả kết quả", text);
    }

    [Fact]
    public void Thirty_control_slip_rows_flow_onto_more_pages_without_losing_one()
    {
        var form = Control(rows: 30, demo: Marker);
        var pdf = OfficeForms.Build(form);
        var raw = PdfTools.Text(pdf);
        var text = Flat(raw);
        var pages = Pages(pdf);

        Assert.True(pages >= 2, $"{pages} page(s)");
        AssertRows(form, text);
        Assert.Contains($"Trang {pages}/{pages}", text);
        Assert.Contains("Chưa trả kết quả", text);
        Assert.Equal(pages, Regex.Count(text, "STT Bàn giao từ"));         // the column heads repeat on every page
        Assert.All(PageTexts(raw), page => Assert.Contains(Marker, Flat(page)));
        PdfTools.WithFile(pdf, path => PdfTools.Run("qpdf", "--check", path));
    }

    [Fact]
    public void Text_given_in_nfd_comes_out_in_nfc()
    {
        var pdf = OfficeForms.Build(Refusal() with { Reason = "Hồ sơ không thuộc thẩm quyền giải quyết.".Normalize(NormalizationForm.FormD) });
        var text = PdfTools.WithFile(pdf, path => PdfTools.Run("pdftotext", "-enc", "UTF-8", path, "-"));

        Assert.Contains("Hồ sơ không thuộc thẩm quyền giải quyết.", Flat(text));
    }

    [Fact]
    public void The_same_form_gives_the_same_pages()
    {
        Assert.Equal(PdfTools.Text(OfficeForms.Build(Control(rows: 30))), PdfTools.Text(OfficeForms.Build(Control(rows: 30))));
    }

    /// <summary>Every row's units, time (hour and date), people, outcome and note.</summary>
    static void AssertRows(ControlSlip form, string text)
    {
        foreach (var row in form.Rows)
        {
            var at = row.At.ToOffset(TimeSpan.FromHours(7)).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture);
            Assert.Contains(row.FromUnit, text);
            Assert.Contains(row.ToUnit, text);
            Assert.Contains(at, text);
            Assert.Contains(row.Deliverer, text);
            if (row.Receiver is not null) Assert.Contains(row.Receiver, text);
            Assert.Contains(row.Outcome, text);
            if (row.Note is not null) Assert.Contains(row.Note, text);
        }
    }

    static int Pages(byte[] pdf) => int.Parse(PagesLine().Match(PdfTools.Info(pdf)).Groups[1].Value, CultureInfo.InvariantCulture);

    static List<string> PageTexts(string text) =>
        [.. text.Split('\f', StringSplitOptions.RemoveEmptyEntries).Where(p => p.Trim().Length > 0)];

    /// <summary>pdftotext lays text out in lines; wrapped cells and columns are compared with runs of white space as one space.</summary>
    static string Flat(string s) => Spaces().Replace(s.Normalize(NormalizationForm.FormC), " ");

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"Pages:\s+(\d+)")]
    private static partial Regex PagesLine();
}
