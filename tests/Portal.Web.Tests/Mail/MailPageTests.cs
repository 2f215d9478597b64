using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Core.Dossiers;
using Portal.Core.Identity;
using Portal.Web.Tests.Database;
using Portal.Web.Tests.Dossiers;

namespace Portal.Web.Tests.Mail;

// /quan-tri/thu-dien-tu: what administrators see of the mail queue, and "Gửi lại".
[Collection("mail")]
public sealed class MailPageTests(PostgresFixture db)
{
    const string Page = "/quan-tri/thu-dien-tu";

    async Task<(HttpClient Client, string Login)> AdministratorAsync()
    {
        var client = db.Portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var login = await Staff.CreateAsync(db, StaffRoles.Administrator);
        Assert.Equal(HttpStatusCode.Redirect, (await Staff.SignInAsync(client, login)).StatusCode);
        return (client, login);
    }

    /// <summary>A submitted dossier's acknowledgement, given up after ten attempts; and a message waiting for its third.</summary>
    async Task<(string Code, Guid Failed, string FailedTo, Guid Retrying, string RetryingTo)> QueueAsync(MailWorld mail)
    {
        var citizens = await DossierWorld.CreateAsync(db);
        var applicant = await citizens.ApplicantAsync();
        var submitted = Assert.IsType<SubmitOutcome.Submitted>(await citizens.Store.SubmitAsync(applicant, await citizens.CompleteDraftAsync(applicant), null, "https://dvc.test", default));
        var failed = await citizens.ScalarAsync<Guid>("SELECT id FROM portal.outbox_messages WHERE kind = 'dossier-submitted' AND data ->> 'code' = @Code", new { submitted.Code });
        var failedTo = Mailbox.NewRecipient("that-bai");
        await mail.ExecuteAsync("""
            UPDATE portal.outbox_messages
               SET recipient = @failedTo, status = 'failed', attempts = 10, message_id = '<' || id::text || '@dichvucong.binhson.gov.vn>',
                   last_error = 'Máy chủ thư từ chối người nhận (550): Mailbox unavailable'
             WHERE id = @failed
            """, new { failed, failedTo });
        var retryingTo = Mailbox.NewRecipient("cho-gui-lai");
        var retrying = await mail.EnqueueAsync(MailWorld.Message(retryingTo, "Thông báo <b>đậm</b>"));
        // Due in 2099: no dispatcher of the other tests picks it up.
        await mail.ExecuteAsync("""
            UPDATE portal.outbox_messages SET attempts = 2, next_attempt_at = '2099-01-02T03:04:00Z', last_error = 'Không gửi được qua máy chủ SMTP smtp.tinh.vn:25 (-1): Failure sending mail.'
             WHERE id = @retrying
            """, new { retrying });
        return (submitted.Code, failed, failedTo, retrying, retryingTo);
    }

    [Fact]
    public async Task Only_administrators_see_the_mail_queue()
    {
        var anonymous = await db.Portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync(Page);
        Assert.StartsWith("http://localhost/can-bo/dang-nhap", anonymous.Headers.Location!.ToString());

        var officer = db.Portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await Staff.SignInAsync(officer, await Staff.CreateAsync(db, "receiving-officer"));
        Assert.StartsWith("http://localhost/loi/403", (await officer.GetAsync(Page)).Headers.Location!.ToString());
        var post = await officer.PostAsync(Page + "?handler=Requeue", new FormUrlEncodedContent([new("Id", Guid.NewGuid().ToString())]));
        Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
    }

    [Fact]
    public async Task Given_up_and_retrying_messages_are_listed_with_their_dossier_attempts_and_last_error()
    {
        var mail = MailWorld.Create(db);
        var q = await QueueAsync(mail);
        var (client, _) = await AdministratorAsync();

        var page = await Staff.ParseAsync(await client.GetAsync(Page));

        Assert.Equal("Thư điện tử gửi người dân", page.QuerySelector("h1")!.TextContent);
        var failed = page.QuerySelectorAll("#that-bai + .table-scroll tbody tr").Single(tr => tr.TextContent.Contains(q.FailedTo));
        var cells = failed.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Contains($"Đã nhận hồ sơ {q.Code}", cells[1]);
        Assert.Contains("Xác nhận đã nhận hồ sơ nộp trực tuyến", cells[1]);
        Assert.Equal($"/can-bo/ho-so/{q.Code}", failed.QuerySelector("td:nth-child(3) a")!.GetAttribute("href"));
        Assert.Equal("10", cells[3]);
        Assert.Equal("Máy chủ thư từ chối người nhận (550): Mailbox unavailable", cells[4]);
        Assert.Equal(q.Failed.ToString(), failed.QuerySelector("input[name=Id]")!.GetAttribute("value"));
        Assert.Contains($"tới {q.FailedTo}", failed.QuerySelector("button")!.TextContent);

        var retrying = page.QuerySelectorAll("#cho-gui-lai + .table-scroll tbody tr").Single(tr => tr.TextContent.Contains(q.RetryingTo));
        cells = retrying.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.StartsWith("Thông báo <b>đậm</b>", cells[1]);                         // shown as typed, not as markup
        Assert.Null(retrying.QuerySelector("b"));
        Assert.Equal("—", cells[2]);
        Assert.Equal("2 / 10", cells[3]);
        Assert.Equal("10:04 02/01/2099", cells[5]);                                 // Vietnam time
        Assert.Null(retrying.QuerySelector("button"));

        var counts = page.QuerySelectorAll(".summary-list > div").ToDictionary(d => d.QuerySelector("dt")!.TextContent.Trim(), d => d.QuerySelector("dd")!.TextContent.Trim());
        Assert.True(int.Parse(counts["Gửi không được"]) >= 1);
        Assert.True(int.Parse(counts["Chờ gửi lại (đã thử nhưng chưa được)"]) >= 1);
        Assert.Contains("sau 10 lần không được", page.QuerySelector("main")!.TextContent);
    }

    [Fact]
    public async Task Gui_lai_queues_a_given_up_message_once_and_says_so()
    {
        var mail = MailWorld.Create(db);
        var q = await QueueAsync(mail);
        var (client, login) = await AdministratorAsync();

        var requeued = await Staff.PostFormAsync(client, Page, Page + "?handler=Requeue", new() { ["Id"] = q.Failed.ToString() });

        Assert.Equal(Page + "?da-gui-lai=1", requeued.Headers.Location!.ToString());
        var row = await mail.RowAsync(q.Failed);
        Assert.Equal(("queued", 0), (row.Status, row.Attempts));
        Assert.StartsWith(login + " ", row.RequeuedBy);
        var after = await Staff.ParseAsync(await client.GetAsync(Page + "?da-gui-lai=1"));
        Assert.Contains("Đã đưa thư trở lại hàng đợi", after.QuerySelector(".success-banner")!.TextContent);
        Assert.DoesNotContain(q.FailedTo, after.QuerySelector("#that-bai")!.ParentElement!.TextContent);

        // Again (another tab, another administrator): nothing to requeue, said plainly, the page still whole.
        var again = await Staff.PostFormAsync(client, Page, Page + "?handler=Requeue", new() { ["Id"] = q.Failed.ToString() });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var page = await Staff.ParseAsync(again);
        Assert.Contains("không còn ở danh sách gửi không được", page.QuerySelector(".error-summary")!.TextContent);
        Assert.Equal("#that-bai", page.QuerySelector(".error-summary a")!.GetAttribute("href"));
        Assert.StartsWith("Lỗi: ", page.Title);
        Assert.Equal(("queued", 0), ((await mail.RowAsync(q.Failed)).Status, (await mail.RowAsync(q.Failed)).Attempts));

        // A made-up id is the same answer, never a 500.
        var unknown = await Staff.PostFormAsync(client, Page, Page + "?handler=Requeue", new() { ["Id"] = "khong-phai-ma" });
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
    }
}
