using Dapper;
using Microsoft.Playwright;
using Portal.Core.Database;

namespace Portal.BrowserTests.Journeys;

// The administrators' mail page in a real browser: the queue with a given-up and a retrying message, "Gửi lại", and
// the answer when another administrator got there first — each state through the gates of UX.md §5.1.
[Collection("browser")]
public sealed class MailTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_administrator_sends_a_given_up_message_again()
    {
        var failedTo = $"that-bai.{Guid.NewGuid().ToString("N")[..8]}@example.vn";
        await using (var db = Db.CreateDataSource(browser.Portal.ConnectionString))
        await using (var conn = await db.OpenConnectionAsync())
        {
            // As the dispatcher leaves them: one given up after ten attempts, one waiting for its third.
            await conn.ExecuteAsync("""
                INSERT INTO portal.outbox_messages (kind, recipient, subject, body_text, created_at, status, attempts, next_attempt_at, last_error, message_id)
                VALUES ('dossier-received', @failedTo, 'Hồ sơ 000.00.01.H99-261123-0001 đã được tiếp nhận', 'Nội dung', now(), 'failed', 10, NULL,
                        'Máy chủ thư từ chối người nhận (550): Mailbox unavailable — 5.1.1 The email account that you tried to reach does not exist', '<a@dvc.test>'),
                       ('password-reset', @retryingTo, 'Đặt lại mật khẩu tài khoản dịch vụ công', 'Nội dung', now(), 'queued', 2, now() + interval '3 minutes',
                        'Không gửi được qua máy chủ SMTP smtp.binhson.gov.vn:25 (-1): Failure sending mail. — Connection refused', '<b@dvc.test>')
                """, new { failedTo, retryingTo = $"cho-gui-lai.{Guid.NewGuid().ToString("N")[..8]}@example.vn" });
        }
        var page = await browser.NewPageAsync();
        var other = await browser.NewPageAsync();
        var states = new PageStates(page);
        try
        {
            await page.GotoAsync("/can-bo/dang-nhap?quay-lai=" + Uri.EscapeDataString("/quan-tri/thu-dien-tu"));
            await page.GetByLabel("Tên đăng nhập").FillAsync(PortalServer.AdminLogin);
            await page.GetByLabel("Mật khẩu").FillAsync(PortalServer.AdminPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
            await page.WaitForURLAsync("**/quan-tri/thu-dien-tu");
            Assert.Contains(failedTo, await page.Locator("#that-bai + .table-scroll").TextContentAsync());
            await states.CheckAsync("admin-mail");

            // A second tab with the same list, as another administrator would have it.
            await other.GotoAsync("/can-bo/dang-nhap?quay-lai=" + Uri.EscapeDataString("/quan-tri/thu-dien-tu"));
            await other.GetByLabel("Tên đăng nhập").FillAsync(PortalServer.AdminLogin);
            await other.GetByLabel("Mật khẩu").FillAsync(PortalServer.AdminPassword);
            await other.GetByRole(AriaRole.Button, new() { Name = "Đăng nhập" }).ClickAsync();
            await other.WaitForURLAsync("**/quan-tri/thu-dien-tu");

            await page.GetByRole(AriaRole.Button, new() { Name = $"Gửi lại thư “Hồ sơ 000.00.01.H99-261123-0001 đã được tiếp nhận” tới {failedTo}" }).ClickAsync();
            await page.Locator(".success-banner").WaitForAsync();
            Assert.Contains("Đã đưa thư trở lại hàng đợi", await page.Locator(".success-banner").TextContentAsync());
            await states.CheckAsync("admin-mail-requeued");

            var otherStates = new PageStates(other);
            await other.GetByRole(AriaRole.Button, new() { Name = $"Gửi lại thư “Hồ sơ 000.00.01.H99-261123-0001 đã được tiếp nhận” tới {failedTo}" }).ClickAsync();
            await other.Locator(".error-summary").WaitForAsync();
            Assert.Contains("không còn ở danh sách gửi không được", await other.Locator(".error-summary").TextContentAsync());
            Assert.StartsWith("Lỗi: ", await other.TitleAsync());
            await otherStates.CheckAsync("admin-mail-requeue-gone");
        }
        finally
        {
            await page.Context.CloseAsync();
            await other.Context.CloseAsync();
        }
    }
}
