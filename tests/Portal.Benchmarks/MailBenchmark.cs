using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Configuration;
using Portal.Core.BackOffice;
using Portal.Core.Database;
using Portal.Core.Deadlines;
using Portal.Core.Documents;
using Portal.Core.Notifications;
using Portal.Core.Signatures;

namespace Portal.Benchmarks;

/// <summary>
/// Mail dispatch rate (docs/PERFORMANCE.md, "Mail dispatch (issue 7)"), driven by tests/Portal.Benchmarks/mail.sh:
/// seeds N queued messages into the given (scratch) database, then runs the production MailDispatcher until the queue
/// is empty and prints messages per second. Not BenchmarkDotNet: one long run against real servers is the figure.
///   mail &lt;connection string&gt; &lt;host:port | pickup directory&gt; &lt;messages&gt; &lt;connections&gt; &lt;batch size&gt; [attachment bytes]
/// </summary>
public static class MailBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not [var connectionString, var target, var n, var connections, var batch, .. var rest])
        {
            Console.Error.WriteLine("usage: mail <connection string> <host:port | pickup directory> <messages> <connections> <batch size> [attachment bytes]");
            return 2;
        }
        var messages = int.Parse(n, CultureInfo.InvariantCulture);
        var attachmentBytes = rest is [var a, ..] ? int.Parse(a, CultureInfo.InvariantCulture) : 0;
        await using var db = Db.CreateDataSource(connectionString);
        await Migrator.ApplyAsync(db, Migrator.Embedded(), default);

        var files = new FileStore(Path.Combine(Path.GetTempPath(), "portal-mail-bench-files"));
        var data = "{}";
        if (attachmentBytes > 0)
        {
            // One PDF-sized file in the store, attached to every message (fileSha256 + fileName, as results are).
            var bytes = new byte[attachmentBytes];
            new Random(7).NextBytes(bytes);
            var saved = ((StoreOutcome.Saved)await files.SaveAsync(new MemoryStream(bytes), long.MaxValue, default)).File;
            data = $$"""{"fileSha256": "{{saved.Sha256}}", "fileName": "ket-qua-giai-quyet.pdf"}""";
        }

        await using (var conn = await db.OpenConnectionAsync())
        {
            await conn.ExecuteAsync("""
                INSERT INTO portal.outbox_messages (kind, recipient, subject, body_text, data, created_at)
                SELECT 'dossier-received', 'nguoi.nop.' || g || '@example.vn',
                       'Hồ sơ 000.00.12.H56-261123-' || lpad(g::text, 4, '0') || ' đã được tiếp nhận',
                       'Hồ sơ 000.00.12.H56-261123-' || lpad(g::text, 4, '0') || ' (Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ) đã được '
                       || 'Bộ phận Một cửa xã Bình Minh tiếp nhận lúc 09:30 23/11/2026.' || chr(10)
                       || 'Ngày hẹn trả kết quả: 09:00 26/11/2026.' || chr(10) || 'Giấy tiếp nhận hồ sơ và hẹn trả kết quả được đính kèm.',
                       @data::jsonb, now()
                  FROM generate_series(1, @messages) g
                """, new { messages, data });
        }

        var clock = TimeProvider.System;
        var settings = new MailSettings
        {
            BatchSize = int.Parse(batch, CultureInfo.InvariantCulture),
            Connections = int.Parse(connections, CultureInfo.InvariantCulture),
            SiteUrl = "https://dichvucong.binhson.gov.vn",
        };
        var colon = target.LastIndexOf(':');
        settings = colon > 0 && int.TryParse(target[(colon + 1)..], CultureInfo.InvariantCulture, out var port)
            ? settings with { Host = target[..colon], Port = port }
            : settings with { PickupDirectory = Path.GetFullPath(target) };
        var office = new BackOffice(db, files, new CalendarStore(db), clock, new SigningKeys(new ConfigurationBuilder().Build()),
            new PadesSigner(clock), new FormSite("tỉnh Bình Sơn", "1900 0000", null));
        var dispatcher = new MailDispatcher(db, clock, settings, office, files);

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var sent = 0;
        var failed = 0;
        while (true)
        {
            var run = await dispatcher.DispatchAsync(default);
            sent += run.Sent;
            failed += run.Retrying + run.Failed;
            if (run.Sent + run.Retrying + run.Failed == 0) break;
        }
        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        await using (var conn = await db.OpenConnectionAsync())
        {
            var left = await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM portal.outbox_messages WHERE status <> 'sent'");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{sent} sent, {failed} failed attempts, {left} not sent, in {watch.Elapsed.TotalSeconds:0.0} s: {sent / watch.Elapsed.TotalSeconds:0.0} messages/s " +
                $"({(settings.Host is null ? "pickup directory" : $"SMTP {settings.Host}:{settings.Port}")}, {settings.Connections} connection(s), batch {settings.BatchSize}" +
                $"{(attachmentBytes > 0 ? $", {attachmentBytes} B attachment" : "")}); dispatcher CPU {cpu.TotalSeconds:0.0} s ({cpu.TotalMilliseconds / Math.Max(sent, 1):0.00} ms/message)"));
            return left == 0 && failed == 0 ? 0 : 1;
        }
    }
}
