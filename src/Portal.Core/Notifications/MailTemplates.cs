using System.Text;

namespace Portal.Core.Notifications;

/// <summary>What the outbox row holds: the kind names the template; subject and body are the Vietnamese plain text
/// written with the change (Outbox.cs); data carries the link and attachment keys.</summary>
public sealed record MailContent(string Kind, string Subject, string BodyText, IReadOnlyDictionary<string, string> Data);

public sealed record RenderedMail(string Subject, string Text, string Html);

/// <summary>
/// The messages as people receive them: a plain-text part and an HTML part (inline styles only — mail clients drop
/// style sheets), rendered when the message is sent, so a template fixed today also fixes the messages still queued.
/// Each kind has a name (the administrators' page shows it), the label of its main button and where the button leads;
/// a kind not listed here (later issues add theirs) renders the same way from its subject, body and <c>link</c>.
/// Everything that comes from the row is HTML-escaped: a reason typed by an officer may contain markup.
/// </summary>
public static class MailTemplates
{
    sealed record Template(string Name, string Button, Func<MailContent, MailSettings, string?> Link);

    // Citizens without an account (counter and postal submissions) follow their dossier through the public lookup.
    static string? Lookup(MailContent m, MailSettings site) =>
        m.Data.TryGetValue("code", out var code) && code.Length > 0
            ? $"{site.SiteUrl.TrimEnd('/')}/tra-cuu?ma={Uri.EscapeDataString(code)}"
            : Data(m, "link");

    static string? Data(MailContent m, string key) => m.Data.TryGetValue(key, out var value) ? value : null;

    static readonly Dictionary<string, Template> Kinds = new(StringComparer.Ordinal)
    {
        ["dossier-submitted"] = new("Xác nhận đã nhận hồ sơ nộp trực tuyến", "Theo dõi hồ sơ", (m, _) => Data(m, "lookupUrl")),
        ["draft-expiring"] = new("Nhắc hồ sơ nháp sắp bị xóa", "Tiếp tục hồ sơ", (m, _) => Data(m, "link")),
        ["password-reset"] = new("Đặt lại mật khẩu", "Đặt mật khẩu mới", (m, _) => Data(m, "link")),
        ["supplement-requested"] = new("Yêu cầu bổ sung hồ sơ", "Xem hồ sơ", Lookup),
        ["dossier-received"] = new("Tiếp nhận hồ sơ, hẹn trả kết quả", "Xem hồ sơ", Lookup),
        ["dossier-refused"] = new("Từ chối tiếp nhận hồ sơ", "Xem hồ sơ", Lookup),
        ["fees-requested"] = new("Đề nghị thực hiện nghĩa vụ tài chính", "Xem hồ sơ", Lookup),
        ["dossier-stopped"] = new("Dừng giải quyết hồ sơ", "Xem hồ sơ", Lookup),
        ["withdrawal-declined"] = new("Không chấp nhận rút hồ sơ", "Xem hồ sơ", Lookup),
        ["result-ready"] = new("Hồ sơ đã có kết quả", "Xem hồ sơ", Lookup),
        ["result-returned"] = new("Đã trả kết quả", "Xem hồ sơ", Lookup),
        ["apology"] = new("Thư xin lỗi và hẹn lại ngày trả kết quả", "Xem hồ sơ", Lookup),
    };

    static readonly Template Generic = new("", "Mở trang", (m, _) => Data(m, "link"));

    /// <summary>The kind in words for staff; an unknown kind as it is stored.</summary>
    public static string KindName(string kind) => Kinds.TryGetValue(kind, out var t) ? t.Name : kind;

    public static RenderedMail Render(MailContent m, MailSettings site, IReadOnlyList<string> attachmentNames)
    {
        var template = Kinds.GetValueOrDefault(m.Kind, Generic);
        var link = template.Link(m, site) is { } l && IsWebAddress(l) ? l : null;
        var body = m.BodyText.Replace("\r\n", "\n").Trim();
        var subject = OneLine(m.Subject);
        return new RenderedMail(subject, Text(body, template, link, attachmentNames, site), Html(subject, body, template, link, attachmentNames, site));
    }

    static string Text(string body, Template template, string? link, IReadOnlyList<string> attachments, MailSettings site)
    {
        var text = new StringBuilder(body).Append("\n\n");
        if (link is not null && !body.Contains(link, StringComparison.Ordinal)) text.Append(template.Button).Append(": ").Append(link).Append("\n\n");
        if (attachments.Count > 0) text.Append("Tệp đính kèm: ").AppendJoin(", ", attachments).Append("\n\n");
        text.Append("-- \n").Append(site.FromName).Append('\n').Append(Help(site)).Append('\n').Append(NoReply);
        return text.ToString();
    }

    const string NoReply = "Thư này được gửi tự động; xin đừng trả lời thư này.";

    static string Help(MailSettings site) =>
        "Hỗ trợ: đường dây nóng " + site.Hotline + (site.HelpEmail is { Length: > 0 } mail ? ", thư điện tử " + mail : "");

    // Plain markup a phone's mail app renders well: one column, 16px text, a large button, high contrast.
    static string Html(string subject, string body, Template template, string? link, IReadOnlyList<string> attachments, MailSettings site)
    {
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="vi">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>
            """).Append(Escape(subject)).Append("""
            </title></head>
            <body style="margin:0;padding:0;background:#f3f2f1;">
            <div style="max-width:600px;margin:0 auto;padding:24px 16px;background:#ffffff;font-family:'Noto Sans',Arial,'Segoe UI',Roboto,sans-serif;font-size:16px;line-height:1.5;color:#0b0c0c;">
            <p style="margin:0 0 16px;font-weight:bold;color:#1d4e89;">
            """).Append(Escape(site.FromName)).Append("</p>\n")
            .Append("<h1 style=\"margin:0 0 16px;font-size:22px;line-height:1.3;\">").Append(Escape(subject)).Append("</h1>\n");
        foreach (var paragraph in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            Paragraph(html, paragraph);
        if (link is not null)
            html.Append("<p style=\"margin:24px 0;\"><a href=\"").Append(Escape(link))
                .Append("\" style=\"display:inline-block;padding:12px 20px;background:#00703c;color:#ffffff;font-weight:bold;text-decoration:none;border-radius:4px;\">")
                .Append(Escape(template.Button)).Append("</a></p>\n");
        if (attachments.Count > 0)
        {
            html.Append("<p style=\"margin:0 0 16px;\">Tệp đính kèm:</p>\n<ul style=\"margin:0 0 16px;padding-left:24px;\">\n");
            foreach (var name in attachments) html.Append("<li>").Append(Escape(name)).Append("</li>\n");
            html.Append("</ul>\n");
        }
        html.Append("<hr style=\"border:0;border-top:1px solid #b1b4b6;margin:24px 0 16px;\">\n")
            .Append("<p style=\"margin:0 0 8px;font-size:14px;color:#505a5f;\">").Append(Escape(site.FromName)).Append("<br>").Append(Escape(Help(site))).Append("</p>\n")
            .Append("<p style=\"margin:0;font-size:14px;color:#505a5f;\">").Append(NoReply).Append("</p>\n")
            .Append("</div>\n</body>\n</html>\n");
        return html.ToString();
    }

    // A paragraph of the plain text: lines kept as line breaks, a run of "- " lines (the supplement items) as a list.
    static void Paragraph(StringBuilder html, string paragraph)
    {
        var lines = paragraph.Split('\n', StringSplitOptions.TrimEntries);
        var open = "";
        foreach (var line in lines)
        {
            var item = line.StartsWith("- ", StringComparison.Ordinal);
            var want = item ? "ul" : "p";
            if (open != want)
            {
                if (open != "") html.Append("</").Append(open).Append(">\n");
                html.Append(item ? "<ul style=\"margin:0 0 16px;padding-left:24px;\">" : "<p style=\"margin:0 0 16px;\">");
                open = want;
            }
            else if (!item) html.Append("<br>");
            html.Append(item ? "<li>" + Escape(line[2..]) + "</li>" : Escape(line));
        }
        if (open != "") html.Append("</").Append(open).Append(">\n");
    }

    static bool IsWebAddress(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    // A header cannot hold a line break; the subjects are one line already, this only guards later kinds.
    static string OneLine(string value) => string.Join(' ', value.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Text into HTML text or a quoted attribute. Vietnamese letters stay as they are (the part is UTF-8).</summary>
    public static string Escape(string value)
    {
        var s = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            switch (c)
            {
                case '&': s.Append("&amp;"); break;
                case '<': s.Append("&lt;"); break;
                case '>': s.Append("&gt;"); break;
                case '"': s.Append("&quot;"); break;
                case '\'': s.Append("&#39;"); break;
                default: s.Append(c); break;
            }
        }
        return s.ToString();
    }
}
