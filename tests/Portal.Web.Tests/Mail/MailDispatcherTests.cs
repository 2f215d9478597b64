using Dapper;
using Portal.Core.BackOffice;
using Portal.Core.Documents;
using Portal.Core.Notifications;
using Portal.Jobs;
using Portal.Tests.Shared;
using Portal.Web.Tests.Database;
using Portal.Web.Tests.Jobs;
using static Portal.Web.Tests.BackOffice.BackOfficeWorld;

namespace Portal.Web.Tests.Mail;

// The dispatcher against the real SMTP server ./test.sh starts (aiosmtpd), each message read back from its Maildir
// by an independent MIME parser: what was received, to whom, with which Message-ID and attachments.
[Collection("mail")]
public sealed class MailDispatcherTests(PostgresFixture db)
{
    [Fact]
    public async Task A_received_dossier_s_citizen_gets_the_signed_receipt_with_our_message_id()
    {
        var w = await Portal.Web.Tests.BackOffice.BackOfficeWorld.CreateAsync(db);
        var code = await w.SubmittedAsync();
        w.Clock.Now = At(23, 9, 30);
        await w.DoAsync("A:receiving-officer", code, "receive");
        var id = await w.ScalarAsync<Guid>("SELECT id FROM portal.outbox_messages WHERE kind = 'dossier-received' AND data ->> 'code' = @code", new { code });
        var mail = MailWorld.Of(w);

        var run = await mail.Dispatcher().DispatchAsync(default);

        Assert.True(run.Sent >= 2, "the submission's acknowledgement and the receipt");
        var row = await mail.RowAsync(id);
        Assert.Equal(("sent", 1, MailWorld.ExpectedMessageId(id)), (row.Status, row.Attempts, row.MessageId));
        Assert.Equal(At(23, 9, 30), row.SentAt);
        var received = Assert.Single(await Mailbox.ReceivedAsync(row.MessageId!));
        Assert.Equal($"Hồ sơ {code} đã được tiếp nhận", received.Subject);
        Assert.Equal(["huong@example.vn"], received.To);
        Assert.Equal("huong@example.vn", received.RcptTo);
        Assert.Equal(("khongtraloi@dichvucong.binhson.gov.vn", "Cổng Dịch vụ công tỉnh Bình Sơn"), (received.FromAddress, received.FromName));
        Assert.Equal([row.MessageId!], received.MessageIds);      // ours, once: System.Net.Mail adds none of its own
        Assert.Equal("vi", received.ContentLanguage);
        Assert.Contains("Ngày hẹn trả kết quả: 09:00 26/11/2026", received.Text);
        Assert.Contains($"href=\"https://dvc.test/tra-cuu?ma={code}\"", received.Html);
        // The attachment is the receipt as stored: drawn, signed and kept on first use, the same bytes staff download.
        var pdf = Assert.Single(received.Attachments);
        Assert.Equal(($"giay-tiep-nhan-hen-tra-ket-qua-{code}.pdf", "application/pdf"), (pdf.FileName, pdf.ContentType));
        Assert.Equal(await w.ScalarAsync<string>("""
            SELECT f.sha256 FROM portal.dossier_forms f JOIN portal.dossiers d ON d.id = f.dossier_id WHERE d.code = @code AND f.kind = 'receipt'
            """, new { code }), pdf.Sha256);
        Assert.True(pdf.Size > 10_000, "a real PDF with its fonts");
        Assert.Contains(received.Attachments, a => a.FileName!.EndsWith(".pdf", StringComparison.Ordinal));
        var acknowledgement = Assert.Single(await Mailbox.ReceivedAsync(MailWorld.ExpectedMessageId(
            await w.ScalarAsync<Guid>("SELECT id FROM portal.outbox_messages WHERE kind = 'dossier-submitted' AND data ->> 'code' = @code", new { code }))));
        Assert.Equal($"Đã nhận hồ sơ {code}", acknowledgement.Subject);
        Assert.Empty(acknowledgement.Attachments);
    }

    [Fact]
    public async Task Markup_an_officer_types_into_a_dossier_arrives_as_text()
    {
        var w = await Portal.Web.Tests.BackOffice.BackOfficeWorld.CreateAsync(db);
        var code = await w.SubmittedAsync();
        await w.DoAsync("A:receiving-officer", code, "refuse", new ActionInput { Reason = "<script>alert('xss')</script> Không thuộc thẩm quyền" });
        var id = await w.ScalarAsync<Guid>("SELECT id FROM portal.outbox_messages WHERE kind = 'dossier-refused' AND data ->> 'code' = @code", new { code });

        await MailWorld.Of(w).Dispatcher().DispatchAsync(default);

        var received = Assert.Single(await Mailbox.ReceivedAsync(MailWorld.ExpectedMessageId(id)));
        Assert.DoesNotContain("<script", received.Html);
        Assert.Contains("Lý do: &lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt; Không thuộc thẩm quyền", received.Html);
        Assert.Contains("Lý do: <script>alert('xss')</script> Không thuộc thẩm quyền", received.Text);
        Assert.Equal($"phieu-tu-choi-tiep-nhan-{code}.pdf", Assert.Single(received.Attachments).FileName);
    }

    [Fact]
    public async Task A_server_that_refuses_connections_is_retried_after_growing_waits_then_given_up_until_an_administrator_sends_again()
    {
        var mail = MailWorld.Create(db);
        var to = Mailbox.NewRecipient();
        var id = await mail.EnqueueAsync(MailWorld.Message(to));
        var port = MailWorld.ClosedPort();
        var down = mail.Dispatcher(MailWorld.Smtp with { Port = port, Retry = MailRetry.Default with { MaxAttempts = 3 } });
        var t0 = mail.Clock.Now;

        var first = await down.DispatchAsync(default);
        var row = await mail.RowAsync(id);
        Assert.True(first.Retrying >= 1);
        Assert.Equal(("queued", 1, t0.AddMinutes(1)), (row.Status, row.Attempts, row.NextAttemptAt));
        Assert.StartsWith($"Không gửi được qua máy chủ SMTP 127.0.0.1:{port}", row.LastError);
        Assert.Null(row.ClaimedUntil);

        mail.Clock.Now = t0.AddSeconds(59);                 // not yet due
        await down.DispatchAsync(default);
        Assert.Equal(1, (await mail.RowAsync(id)).Attempts);

        mail.Clock.Now = t0.AddMinutes(1);
        await down.DispatchAsync(default);
        row = await mail.RowAsync(id);
        Assert.Equal(("queued", 2, t0.AddMinutes(3)), (row.Status, row.Attempts, row.NextAttemptAt));

        mail.Clock.Now = t0.AddMinutes(3);
        var last = await down.DispatchAsync(default);
        row = await mail.RowAsync(id);
        Assert.True(last.Failed >= 1);
        Assert.Equal(("failed", 3, (DateTimeOffset?)null), (row.Status, row.Attempts, row.NextAttemptAt));
        Assert.Contains("Connection refused", row.LastError);

        // Given up means given up: the server back, a day later, the message stays where staff can see it.
        mail.Clock.Now = t0.AddDays(1);
        await mail.Dispatcher().DispatchAsync(default);
        Assert.Equal("failed", (await mail.RowAsync(id)).Status);
        Assert.Empty(await Mailbox.ReceivedAsync(to));

        Assert.True(await mail.Dispatcher().RequeueAsync(id, "staff:quantri", default));
        Assert.False(await mail.Dispatcher().RequeueAsync(id, "staff:quantri", default));   // only a given-up message
        Assert.Equal(("queued", 0, "staff:quantri"), ((await mail.RowAsync(id)).Status, (await mail.RowAsync(id)).Attempts, (await mail.RowAsync(id)).RequeuedBy));
        await mail.Dispatcher().DispatchAsync(default);
        row = await mail.RowAsync(id);
        Assert.Equal(("sent", 1), (row.Status, row.Attempts));
        Assert.Equal([MailWorld.ExpectedMessageId(id)], Assert.Single(await Mailbox.ReceivedAsync(to)).MessageIds);
    }

    [Fact]
    public async Task A_message_a_dead_worker_left_sending_goes_out_again_with_the_same_message_id_once_its_lease_has_passed()
    {
        var mail = MailWorld.Create(db);
        var (crashed, leased) = (Mailbox.NewRecipient("sap-do"), Mailbox.NewRecipient("dang-gui"));
        var crashedId = await mail.EnqueueAsync(MailWorld.Message(crashed));
        await mail.Dispatcher().DispatchAsync(default);
        Assert.Single(await Mailbox.ReceivedAsync(crashed));
        var leasedId = await mail.EnqueueAsync(MailWorld.Message(leased));

        // As a worker leaves them when it dies: claimed (one attempt, a lease), perhaps sent, the result never written.
        // One lease ran out a second ago; the other has four minutes to go (its worker may still be sending).
        await mail.ExecuteAsync("""
            UPDATE portal.outbox_messages SET status = 'sending', sent_at = NULL,
                   claimed_until = CASE WHEN id = @crashedId THEN @expired ELSE @live END,
                   message_id = coalesce(message_id, '<' || id::text || '@dichvucong.binhson.gov.vn>'), attempts = 1
             WHERE id IN (@crashedId, @leasedId)
            """, new { crashedId, leasedId, expired = mail.Clock.GetUtcNow().AddSeconds(-1), live = mail.Clock.GetUtcNow().AddMinutes(4) });

        await mail.Dispatcher().DispatchAsync(default);

        var again = await Mailbox.ReceivedAsync(crashed);
        Assert.Equal(2, again.Count);
        Assert.All(again, m => Assert.Equal([MailWorld.ExpectedMessageId(crashedId)], m.MessageIds));
        Assert.Equal(("sent", 2), ((await mail.RowAsync(crashedId)).Status, (await mail.RowAsync(crashedId)).Attempts));
        Assert.Empty(await Mailbox.ReceivedAsync(leased));
        Assert.Equal("sending", (await mail.RowAsync(leasedId)).Status);

        mail.Clock.Now = mail.Clock.Now.AddMinutes(4);
        await mail.Dispatcher().DispatchAsync(default);
        Assert.Equal([MailWorld.ExpectedMessageId(leasedId)], Assert.Single(await Mailbox.ReceivedAsync(leased)).MessageIds);
        Assert.Equal("sent", (await mail.RowAsync(leasedId)).Status);
    }

    [Fact]
    public async Task A_server_that_accepts_the_connection_but_never_answers_costs_one_attempt_after_the_send_timeout()
    {
        var mail = MailWorld.Create(db);
        var id = await mail.EnqueueAsync(MailWorld.Message(Mailbox.NewRecipient("im-lang")));
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();   // the kernel completes the handshakes; nobody ever writes the SMTP greeting
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;

        var run = await mail.Dispatcher(MailWorld.Smtp with { Port = port, SendTimeout = TimeSpan.FromSeconds(1) }).DispatchAsync(default);

        var row = await mail.RowAsync(id);
        Assert.Equal(("queued", 1), (row.Status, row.Attempts));
        Assert.Equal($"Quá 1 giây mà chưa gửi xong thư (máy chủ SMTP 127.0.0.1:{port} không trả lời).", row.LastError);
        Assert.True(run.Retrying >= 1);
    }

    [Fact]
    public async Task A_message_is_not_started_when_its_lease_could_run_out_first_and_goes_back_uncounted()
    {
        var mail = MailWorld.Create(db);
        var to = Mailbox.NewRecipient("het-han-thue");
        var id = await mail.EnqueueAsync(MailWorld.Message(to));

        // A lease of one minute and sends that may take 40 s: the result could come after another worker re-claimed.
        var run = await mail.Dispatcher(MailWorld.Smtp with { Lease = TimeSpan.FromMinutes(1), SendTimeout = TimeSpan.FromSeconds(40) }).DispatchAsync(default);

        var row = await mail.RowAsync(id);
        Assert.Equal(("queued", 0, (DateTimeOffset?)null), (row.Status, row.Attempts, row.ClaimedUntil));
        Assert.Equal(0, run.Sent);
        Assert.Empty(await Mailbox.ReceivedAsync(to));
        Assert.Equal(MailWorld.ExpectedMessageId(id), row.MessageId);   // fixed at the claim all the same
    }

    [Fact]
    public async Task Dispatchers_running_at_once_send_every_message_exactly_once()
    {
        var mail = MailWorld.Create(db);
        var to = Mailbox.NewRecipient("song-song");
        var ids = new List<Guid>();
        for (var i = 1; i <= 60; i++) ids.Add(await mail.EnqueueAsync(MailWorld.Message(to, $"Thư số {i}")));
        // Small batches over two connections each: the dispatchers claim again and again while the others send.
        var settings = MailWorld.Smtp with { BatchSize = 4, Connections = 2 };
        Task<MailRun[]> Dispatch() => Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => mail.Dispatcher(settings).DispatchAsync(default))));

        // First while another claim holds every one of these rows (its transaction not yet committed): a dispatcher
        // skips them and ends. Without SKIP LOCKED the four would queue up behind the lock, and without the re-check on
        // the locked row they would then each claim the rows the first of them had just claimed — four sends each.
        bool skipped;
        Task<MailRun[]> skipping;
        await using (var gate = await db.DataSource.OpenConnectionAsync())
        await using (var tx = await gate.BeginTransactionAsync())
        {
            await gate.ExecuteAsync("SELECT id FROM portal.outbox_messages WHERE id = ANY (@ids) FOR UPDATE", new { ids = ids.ToArray() }, tx);
            skipping = Dispatch();
            // Read outside the gate's transaction: pg_stat_activity is read once per transaction.
            await using var watch = await db.DataSource.OpenConnectionAsync();
            const string WaitingSql = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'";
            // Until the dispatchers are done, or all four wait on the gate's locks (then they did not skip).
            await Eventually.HoldsAsync(async () => skipping.IsCompleted || await watch.ExecuteScalarAsync<long>(WaitingSql) >= 4,
                "the dispatchers either finish or all wait on the locked rows", patience: TimeSpan.FromSeconds(10));
            skipped = skipping.IsCompletedSuccessfully;
            Assert.Empty(await Mailbox.ReceivedAsync(to));
            await tx.CommitAsync();
        }
        await skipping;
        var runs = await Dispatch();

        var received = await Mailbox.ReceivedAsync(to);
        Assert.Equal(60, received.Count);
        Assert.Equal(ids.Select(MailWorld.ExpectedMessageId).Order(), received.Select(m => Assert.Single(m.MessageIds)).Order());
        Assert.Equal(Enumerable.Range(1, 60).Select(i => $"Thư số {i}").Order(), received.Select(m => m.Subject).Order());
        foreach (var id in ids) Assert.Equal(("sent", 1), ((await mail.RowAsync(id)).Status, (await mail.RowAsync(id)).Attempts));
        Assert.True(runs.Sum(r => r.Sent) >= 60);
        Assert.True(skipped, "the dispatchers waited for rows another claim holds");
    }

    [Fact]
    public async Task Without_a_host_messages_are_written_as_eml_files_a_mail_program_reads()
    {
        var mail = MailWorld.Create(db);
        var pdf = TestPdfs.OnePage("Giấy phép xây dựng");
        var saved = Assert.IsType<StoreOutcome.Saved>(await mail.Files.SaveAsync(new MemoryStream(pdf), 1 << 20, default)).File;
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await FileStore.RecordAsync(conn, tx, saved, mail.Clock.GetUtcNow());
            await tx.CommitAsync();
        }
        var to = Mailbox.NewRecipient("tep-eml");
        var id = await mail.EnqueueAsync(MailWorld.Message(to, "Bản sao điện tử đã được cấp", "Bản sao điện tử được đính kèm.") with
        {
            Data = new Dictionary<string, string> { ["fileSha256"] = saved.Sha256, ["fileName"] = "Giấy phép xây dựng.pdf" },
        });
        var pickup = Directory.CreateTempSubdirectory("portal-mail-pickup-").FullName;

        await mail.Dispatcher(new MailSettings { PickupDirectory = pickup }).DispatchAsync(default);

        Assert.Equal("sent", (await mail.RowAsync(id)).Status);
        var written = Assert.Single(await Mailbox.ParseAsync(pickup, to));
        Assert.EndsWith(".eml", written.File);
        Assert.Equal("Bản sao điện tử đã được cấp", written.Subject);
        Assert.Equal([MailWorld.ExpectedMessageId(id)], written.MessageIds);
        Assert.Equal("vi", written.ContentLanguage);
        var attachment = Assert.Single(written.Attachments);
        Assert.Equal(("Giấy phép xây dựng.pdf", "application/pdf", saved.Sha256), (attachment.FileName, attachment.ContentType, attachment.Sha256));
        Assert.Contains("Bản sao điện tử được đính kèm.", written.Text);
        Assert.Contains("<li>Giấy phép xây dựng.pdf</li>", written.Html);
    }

    [Fact]
    public async Task A_missing_attachment_or_a_malformed_address_fails_that_message_only_with_a_clear_error()
    {
        var mail = MailWorld.Create(db);
        var (good, missing) = (Mailbox.NewRecipient("binh-thuong"), Mailbox.NewRecipient("thieu-tep"));
        var missingId = await mail.EnqueueAsync(MailWorld.Message(missing) with
        {
            Data = new Dictionary<string, string> { ["fileSha256"] = new string('a', 64), ["fileName"] = "ket-qua.pdf" },
        });
        var malformedId = await mail.EnqueueAsync(MailWorld.Message("khong-phai-dia-chi-thu"));
        var goodId = await mail.EnqueueAsync(MailWorld.Message(good));

        var run = await mail.Dispatcher().DispatchAsync(default);

        var row = await mail.RowAsync(missingId);
        Assert.Equal(("queued", 1), (row.Status, row.Attempts));
        Assert.Equal($"Thiếu tệp đính kèm “ket-qua.pdf” (SHA-256 {new string('a', 64)}) trong kho tệp.", row.LastError);
        var malformed = await mail.RowAsync(malformedId);
        Assert.Equal(("failed", 1), (malformed.Status, malformed.Attempts));   // waiting will not fix the address
        Assert.Contains("“khong-phai-dia-chi-thu” không hợp lệ", malformed.LastError);
        Assert.Equal("sent", (await mail.RowAsync(goodId)).Status);
        Assert.Single(await Mailbox.ReceivedAsync(good));
        Assert.Empty(await Mailbox.ReceivedAsync(missing));
        Assert.True(run is { Sent: >= 1, Retrying: >= 1, Failed: >= 1 });
    }

    [Fact]
    public async Task The_mail_job_on_a_worker_node_delivers_through_the_configured_server()
    {
        var mail = MailWorld.Create(db);
        var to = Mailbox.NewRecipient("tac-vu");
        var id = await mail.EnqueueAsync(MailWorld.Message(to, "Thư gửi bởi tác vụ"));
        await using var node = await JobNode.StartAsync(db, "node-mail", new Dictionary<string, string?>
        {
            ["Portal:Mail:Host"] = Mailbox.Smtp.Host,
            ["Portal:Mail:Port"] = Mailbox.Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Portal:Mail:From"] = "thongbao@dvc.test",
        });

        await node.TriggerAsync(PortalJobs.MailDispatch);

        // The node runs on the real clock: wait for the firing, at most a minute.
        await Eventually.HoldsAsync(async () => (await mail.RowAsync(id)).Status == "sent", "the node sends the message");
        Assert.Equal("sent", (await mail.RowAsync(id)).Status);
        var received = Assert.Single(await Mailbox.ReceivedAsync(to));
        Assert.Equal(("Thư gửi bởi tác vụ", "thongbao@dvc.test", $"<{id}@dvc.test>"), (received.Subject, received.FromAddress, Assert.Single(received.MessageIds)));
    }
}
