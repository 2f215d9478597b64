using Portal.Core.Notifications;

namespace Portal.Core.Tests.Notifications;

public sealed class MailTemplatesTests
{
    static readonly MailSettings Site = new() { SiteUrl = "https://dichvucong.binhson.gov.vn", Hotline = "1900 0000", HelpEmail = "hotro@dichvucong.binhson.gov.vn" };

    static MailContent Content(string kind, string subject, string body, params (string Key, string Value)[] data) =>
        new(kind, subject, body, data.ToDictionary(d => d.Key, d => d.Value));

    [Fact]
    public void Markup_typed_into_a_dossier_reaches_the_html_part_as_text()
    {
        var mail = MailTemplates.Render(Content("dossier-refused", "Hồ sơ <b>X</b> không được tiếp nhận",
            "Lý do: <script>alert('x')</script> & \"trích\"\nPhiếu từ chối được đính kèm.", ("code", "H99-261123-0001")),
            Site, ["<img src=x onerror=alert(1)>.pdf"]);

        Assert.DoesNotContain("<script", mail.Html);
        Assert.DoesNotContain("<b>", mail.Html);
        Assert.DoesNotContain("<img", mail.Html);
        Assert.Contains("Lý do: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;trích&quot;", mail.Html);
        Assert.Contains("<title>Hồ sơ &lt;b&gt;X&lt;/b&gt; không được tiếp nhận</title>", mail.Html);
        // The plain-text part is text: it keeps what was typed.
        Assert.Contains("<script>alert('x')</script>", mail.Text);
    }

    [Fact]
    public void A_known_kind_gets_its_button_and_the_lookup_link_of_its_dossier()
    {
        var mail = MailTemplates.Render(Content("dossier-received", "Hồ sơ 000.00.73.H56-261123-0001 đã được tiếp nhận",
            "Hồ sơ đã được tiếp nhận.\nNgày hẹn trả kết quả: 09:00 26/11/2026.", ("code", "000.00.73.H56-261123-0001")), Site, ["giay-tiep-nhan.pdf"]);

        Assert.Contains("<a href=\"https://dichvucong.binhson.gov.vn/tra-cuu?ma=000.00.73.H56-261123-0001\"", mail.Html);
        Assert.Contains(">Xem hồ sơ</a>", mail.Html);
        Assert.Contains("<p style=\"margin:0 0 16px;\">Hồ sơ đã được tiếp nhận.<br>Ngày hẹn trả kết quả: 09:00 26/11/2026.</p>", mail.Html);
        Assert.Contains("Xem hồ sơ: https://dichvucong.binhson.gov.vn/tra-cuu?ma=000.00.73.H56-261123-0001", mail.Text);
        Assert.Contains("Tệp đính kèm: giay-tiep-nhan.pdf", mail.Text);
        Assert.Contains("<li>giay-tiep-nhan.pdf</li>", mail.Html);
        Assert.Contains("<html lang=\"vi\">", mail.Html);
        Assert.Equal("Tiếp nhận hồ sơ, hẹn trả kết quả", MailTemplates.KindName("dossier-received"));
    }

    [Fact]
    public void A_kind_added_later_renders_from_its_subject_body_and_link()
    {
        var mail = MailTemplates.Render(Content("reminder-pickup", "Nhắc nhận kết quả hồ sơ",
            "Kết quả hồ sơ đã sẵn sàng từ 3 ngày trước.\n\nMời ông/bà đến nhận.", ("link", "https://dichvucong.binhson.gov.vn/ho-so/ABC")), Site, []);

        Assert.Contains("<h1 style=\"margin:0 0 16px;font-size:22px;line-height:1.3;\">Nhắc nhận kết quả hồ sơ</h1>", mail.Html);
        Assert.Contains("<p style=\"margin:0 0 16px;\">Kết quả hồ sơ đã sẵn sàng từ 3 ngày trước.</p>\n<p style=\"margin:0 0 16px;\">Mời ông/bà đến nhận.</p>", mail.Html);
        Assert.Contains("href=\"https://dichvucong.binhson.gov.vn/ho-so/ABC\"", mail.Html);
        Assert.DoesNotContain("Tệp đính kèm", mail.Text);
        Assert.Equal("reminder-pickup", MailTemplates.KindName("reminder-pickup"));
    }

    [Fact]
    public void A_link_that_is_not_a_web_address_gets_no_button()
    {
        var mail = MailTemplates.Render(Content("password-reset", "Đặt lại mật khẩu", "Mở liên kết.", ("link", "javascript:alert(1)")), Site, []);
        Assert.DoesNotContain("javascript:", mail.Html);
        Assert.DoesNotContain("Đặt mật khẩu mới", mail.Html);
    }

    [Fact]
    public void The_items_of_a_supplement_request_become_a_list()
    {
        var mail = MailTemplates.Render(Content("supplement-requested", "Hồ sơ cần bổ sung giấy tờ",
            "Hồ sơ cần bổ sung:\n- Tờ khai: thiếu chữ ký\n- Bản sao sổ đỏ: bản chụp mờ\n\nĐăng nhập để bổ sung."), Site, []);
        Assert.Contains("<p style=\"margin:0 0 16px;\">Hồ sơ cần bổ sung:</p>\n<ul style=\"margin:0 0 16px;padding-left:24px;\"><li>Tờ khai: thiếu chữ ký</li><li>Bản sao sổ đỏ: bản chụp mờ</li></ul>", mail.Html);
    }

    [Fact]
    public void The_link_already_in_the_body_is_not_repeated_in_the_text_and_the_footer_gives_help()
    {
        var link = "https://dichvucong.binhson.gov.vn/tai-khoan/dat-lai-mat-khau?ma=abc";
        var mail = MailTemplates.Render(Content("password-reset", "Đặt lại mật khẩu", $"Mở liên kết sau:\n\n{link}", ("link", link)), Site, []);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(mail.Text, System.Text.RegularExpressions.Regex.Escape(link)));
        Assert.EndsWith("-- \nCổng Dịch vụ công tỉnh Bình Sơn\nHỗ trợ: đường dây nóng 1900 0000, thư điện tử hotro@dichvucong.binhson.gov.vn\nThư này được gửi tự động; xin đừng trả lời thư này.", mail.Text);
    }

    [Fact]
    public void A_subject_is_one_line()
    {
        Assert.Equal("Dòng một Dòng hai", MailTemplates.Render(Content("x", "Dòng một\r\nDòng hai", "Nội dung"), Site, []).Subject);
    }
}
