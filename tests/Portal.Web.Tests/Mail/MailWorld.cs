using Dapper;
using Microsoft.Extensions.Configuration;
using Portal.Core.Deadlines;
using Portal.Core.Documents;
using Portal.Core.Notifications;
using Portal.Core.Signatures;
using Portal.Web.Tests.BackOffice;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Mail;

// The mail tests have a database of their own: a dispatcher sends every due message of its database, and the "db"
// collection's back-office tests leave hundreds of queued messages with forms to draw. Tests still assert only on
// their own rows and on messages to their own recipients or with their own Message-IDs.
[CollectionDefinition("mail")]
public sealed class MailCollection : ICollectionFixture<PostgresFixture>;

/// <summary>A dispatcher over the test database with a clock the test moves, the test's file store and back office.</summary>
public sealed class MailWorld
{
    public static readonly DateTimeOffset Monday9 = new(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(7));

    public required PostgresFixture Db { get; init; }
    public required TestClock Clock { get; init; }
    public required Portal.Core.BackOffice.BackOffice Office { get; init; }
    public required FileStore Files { get; init; }

    public static MailWorld Create(PostgresFixture db)
    {
        var clock = new TestClock(Monday9);
        var files = new FileStore(Path.Combine(Path.GetTempPath(), "portal-mail-files-" + Guid.NewGuid().ToString("N")));
        return new MailWorld
        {
            Db = db, Clock = clock, Files = files,
            Office = new Portal.Core.BackOffice.BackOffice(db.DataSource, files, new CalendarStore(db.DataSource), clock,
                new SigningKeys(new ConfigurationBuilder().Build()), new PadesSigner(clock), new Portal.Core.BackOffice.FormSite("tỉnh Bình Sơn", "1900 0000", null)),
        };
    }

    /// <summary>The back-office world's clock, files and forms, so its receipts can be attached.</summary>
    public static MailWorld Of(BackOfficeWorld w) => new()
    {
        Db = w.Citizens.Db, Clock = w.Clock, Office = w.Office, Files = new FileStore(w.Citizens.FilesRoot),
    };

    /// <summary>Delivery to the test SMTP server (aiosmtpd, see Mailbox).</summary>
    public static MailSettings Smtp => new()
    {
        Host = Mailbox.Smtp.Host, Port = Mailbox.Smtp.Port, SiteUrl = "https://dvc.test", HelpEmail = "hotro@dvc.test",
    };

    public MailDispatcher Dispatcher(MailSettings? settings = null) => new(Db.DataSource, Clock, settings ?? Smtp, Office, Files);

    public async Task<Guid> EnqueueAsync(OutboxMessage message)
    {
        await using var conn = await Db.DataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        var id = await Outbox.EnqueueAsync(conn, tx, message, Clock.GetUtcNow());
        await tx.CommitAsync();
        return id;
    }

    public static OutboxMessage Message(string recipient, string subject = "Thông báo thử nghiệm", string body = "Nội dung thư thử nghiệm.") =>
        new("test-notice", recipient, subject, body);

    public sealed class Row
    {
        public string Status { get; init; } = "";
        public int Attempts { get; init; }
        public DateTimeOffset? NextAttemptAt { get; init; }
        public DateTimeOffset? ClaimedUntil { get; init; }
        public DateTimeOffset? SentAt { get; init; }
        public string? LastError { get; init; }
        public string? MessageId { get; init; }
        public string? RequeuedBy { get; init; }
    }

    public async Task<Row> RowAsync(Guid id)
    {
        await using var conn = await Db.DataSource.OpenConnectionAsync();
        return await conn.QuerySingleAsync<Row>("""
            SELECT status, attempts, next_attempt_at, claimed_until, sent_at, last_error, message_id, requeued_by
              FROM portal.outbox_messages WHERE id = @id
            """, new { id });
    }

    public async Task ExecuteAsync(string sql, object args)
    {
        await using var conn = await Db.DataSource.OpenConnectionAsync();
        await conn.ExecuteAsync(sql, args);
    }

    public static string ExpectedMessageId(Guid id) => $"<{id}@dichvucong.binhson.gov.vn>";

    /// <summary>A loopback port nothing listens on: connections are refused at once.</summary>
    public static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
