namespace Portal.Core.Notifications;

/// <summary>
/// How mail leaves the portal (configuration Portal:Mail:*, read in AddPortalCore; README "Mail"). Without a host,
/// messages are written as .eml files into <see cref="PickupDirectory"/> — the embedded default, which needs no server.
/// </summary>
public sealed record MailSettings
{
    public string? Host { get; init; }
    public int Port { get; init; } = 25;
    /// <summary>STARTTLS after EHLO (System.Net.Mail's EnableSsl); implicit TLS on port 465 is not supported by it.</summary>
    public bool StartTls { get; init; }
    public string? User { get; init; }
    public string? Password { get; init; }
    public string From { get; init; } = "khongtraloi@dichvucong.binhson.gov.vn";
    public string FromName { get; init; } = "Cổng Dịch vụ công tỉnh Bình Sơn";
    public string PickupDirectory { get; init; } = Path.Combine(Environment.CurrentDirectory, ".data", "mail");
    /// <summary>Messages claimed at a time (one short transaction).</summary>
    public int BatchSize { get; init; } = 50;
    /// <summary>SMTP connections a batch is sent over in parallel (SmtpClient sends one message at a time).</summary>
    public int Connections { get; init; } = 4;
    public MailRetry Retry { get; init; } = MailRetry.Default;
    /// <summary>How long a claimed batch belongs to its worker; after that a dead worker's messages are claimed again.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>SmtpClient.Timeout for one message. A message is not started when the lease would end before it could time out.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The portal's public address, for the links in the messages (Portal:PublicUrl).</summary>
    public string SiteUrl { get; init; } = "http://127.0.0.1:5080";
    public string Hotline { get; init; } = "1900 0000";
    public string? HelpEmail { get; init; }

    /// <summary>The domain of <see cref="From"/>: the right-hand side of every Message-ID.</summary>
    public string Domain => From[(From.LastIndexOf('@') + 1)..];
}
