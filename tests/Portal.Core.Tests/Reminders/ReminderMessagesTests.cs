using Portal.Core.BackOffice;
using Portal.Core.Reminders;
using static Portal.Core.Tests.Deadlines.Calendars;

namespace Portal.Core.Tests.Reminders;

// What the reminders say: which dossier, what is due when (Vietnam time), what to do, where to click.
public sealed class ReminderMessagesTests
{
    const string Url = "https://dichvucong.binhson.gov.vn";
    static readonly ApologyRules Rules = ApologyRules.For(new DateOnly(2026, 11, 23));

    static readonly ReminderCandidate Dossier = new()
    {
        Id = Guid.NewGuid(), Code = "000.00.02.H99-261127-0003", Step = 1, ApplicantId = Guid.NewGuid(), ProcedureName = "Đăng ký khai sinh",
        StepDueAt = Iso("2026-11-30T10:30+07:00"), DueAt = Iso("2026-12-02T09:00+07:00"), HolderName = "Sở Tư pháp",
        ReceivingName = "Bộ phận Một cửa phường Bình Sơn", ApplicantName = "Nguyễn Thị Hường", AboutAt = Iso("2026-11-30T10:30+07:00"),
    };

    [Fact]
    public void A_step_due_soon_names_the_dossier_the_step_its_due_in_Vietnam_time_and_the_working_time_left()
    {
        var link = ReminderMessages.StaffLink(Url + "/", Dossier.Code);
        var (subject, body) = ReminderMessages.StepDueSoon(Dossier, Y2026, Iso("2026-11-28T09:00+07:00"), link);

        Assert.Equal("https://dichvucong.binhson.gov.vn/can-bo/ho-so/000.00.02.H99-261127-0003", link);
        Assert.Equal("Hồ sơ 000.00.02.H99-261127-0003 sắp hết thời gian xử lý bước “Thẩm định, xử lý hồ sơ”", subject);   // the default workflow's step 1
        Assert.Contains("(Đăng ký khai sinh) đang ở bước “Thẩm định, xử lý hồ sơ” tại Sở Tư pháp", body);
        Assert.Contains("Thời hạn của bước: 10:30 ngày 30/11/2026 (còn 3 giờ 30 phút làm việc)", body);   // Saturday: Monday 07:00–10:30
        Assert.Contains("Hạn trả kết quả cho người nộp: 09:00 ngày 02/12/2026.", body);
        Assert.EndsWith("Mở hồ sơ: " + link, body);
    }

    [Fact]
    public void An_overdue_step_says_by_how_much_working_time()
    {
        var (subject, body) = ReminderMessages.StepOverdue(Dossier with { StepName = "Xác minh thực địa" }, Y2026, Iso("2026-11-30T14:00+07:00"), "l");
        Assert.Equal("Hồ sơ 000.00.02.H99-261127-0003 đã quá thời gian xử lý bước “Xác minh thực địa”", subject);
        Assert.Contains("Thời hạn của bước là 10:30 ngày 30/11/2026, đã quá 1 giờ 30 phút làm việc.", body);   // lunch does not count
    }

    [Fact]
    public void The_apology_reminder_gives_the_last_moment_and_whether_a_draft_waits()
    {
        var (subject, body) = ReminderMessages.ApologyNeeded(Dossier, Y2026, Rules, "l");
        Assert.Equal("Hồ sơ 000.00.02.H99-261127-0003 có nguy cơ trễ hạn: xem xét văn bản xin lỗi trước 09:00 ngày 01/12/2026", subject);
        Assert.Contains("không trả kết quả đúng hạn 09:00 ngày 02/12/2026", body);
        Assert.Contains("chỉ được hẹn lại một lần. Căn cứ: Nghị định 118/2025/NĐ-CP", body);
        Assert.Contains("Hồ sơ chưa có văn bản xin lỗi.", body);
        Assert.Contains("đang chờ lãnh đạo cơ quan duyệt", ReminderMessages.ApologyNeeded(Dossier with { ApologyDrafted = true }, Y2026, Rules, "l").Body);
    }

    [Fact]
    public void The_citizen_is_sent_to_the_supplement_page_or_without_an_account_to_the_public_lookup()
    {
        var request = Dossier with
        {
            AboutAt = Iso("2026-11-20T10:00+07:00"),
            Items = """[{"lineNo":1,"name":"Tờ khai theo mẫu","reason":"Thiếu chữ ký ở trang 2"},{"lineNo":null,"name":"Bản sao sổ hộ khẩu","reason":"Bản chụp mờ"}]""",
        };
        var link = ReminderMessages.CitizenLink(Url, request, "bo-sung");
        var (subject, body) = ReminderMessages.SupplementUnanswered(request, link);

        Assert.Equal($"{Url}/ho-so/000.00.02.H99-261127-0003/bo-sung", link);
        Assert.Equal("Nhắc bổ sung hồ sơ 000.00.02.H99-261127-0003", subject);
        Assert.StartsWith("Kính gửi ông/bà Nguyễn Thị Hường,", body);
        Assert.Contains("Ngày 20/11/2026, Sở Tư pháp đã yêu cầu bổ sung hồ sơ", body);
        Assert.Contains("- Tờ khai theo mẫu: Thiếu chữ ký ở trang 2\n- Bản sao sổ hộ khẩu: Bản chụp mờ", body);
        Assert.EndsWith($"nộp bổ sung tại: {link}", body);

        var walkIn = request with { ApplicantId = null };
        Assert.Equal($"{Url}/tra-cuu?ma=000.00.02.H99-261127-0003", ReminderMessages.CitizenLink(Url, walkIn, "bo-sung"));
        Assert.Contains("mang giấy tờ bổ sung đến Sở Tư pháp", ReminderMessages.SupplementUnanswered(walkIn, "l").Body);
    }

    [Fact]
    public void An_uncollected_result_says_where_to_collect_it()
    {
        var ready = Dossier with { AboutAt = Iso("2026-11-25T14:00+07:00"), DeliveryMethod = "counter" };
        var (subject, body) = ReminderMessages.ResultUncollected(ready, "l");
        Assert.Equal("Kết quả hồ sơ 000.00.02.H99-261127-0003 đang chờ ông/bà nhận", subject);
        Assert.Contains("đã có kết quả từ 14:00 ngày 25/11/2026", body);
        Assert.Contains("Mời ông/bà đến Bộ phận Một cửa phường Bình Sơn để nhận kết quả", body);
        Assert.Contains("tải kết quả điện tử: l", ReminderMessages.ResultUncollected(ready with { DeliveryMethod = "online" }, "l").Body);
    }
}
