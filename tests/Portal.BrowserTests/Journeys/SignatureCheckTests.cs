using Microsoft.Playwright;
using Portal.Core.Signatures;
using Portal.Tests.Shared;

namespace Portal.BrowserTests.Journeys;

[Collection("browser")]
public sealed class SignatureCheckTests(BrowserFixture browser)
{
    async Task<byte[]> SignedPdfAsync()
    {
        var dir = browser.Portal.PkiDirectory;
        using var key = SigningKey.FromPkcs12(Path.Combine(dir, DemoPki.SignerFile), await File.ReadAllTextAsync(Path.Combine(dir, DemoPki.PasswordFile)));
        return await new PadesSigner(TimeProvider.System).SignAsync(TestPdfs.OnePage("Giay tiep nhan"), key, new SignOptions(), default);
    }

    [Fact]
    public async Task A_citizen_checks_a_signed_pdf_and_reads_the_details()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/kiem-tra-chu-ky");
        await Accessibility.AssertNoViolationsAsync(page, "signature-check");
        await Accessibility.AssertEveryInputLabelledAsync(page);

        await page.GetByLabel("Tệp cần kiểm tra").SetInputFilesAsync(new FilePayload
        {
            Name = "giay-tiep-nhan.pdf", MimeType = "application/pdf", Buffer = await SignedPdfAsync(),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Kiểm tra chữ ký" }).ClickAsync();

        await page.Locator("#ket-luan").WaitForAsync();
        Assert.Equal("Chữ ký số hợp lệ", (await page.Locator("#ket-luan").TextContentAsync())!.Trim());
        await page.Locator(".signature-details summary").ClickAsync();
        Assert.Contains("theo khai báo của người ký", await page.Locator(".signature-details").TextContentAsync());
        await Accessibility.AssertNoViolationsAsync(page, "signature-check-result");
    }

    [Fact]
    public async Task A_file_of_the_wrong_type_gets_an_error_summary_that_takes_focus()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/kiem-tra-chu-ky");
        await page.GetByLabel("Tệp cần kiểm tra").SetInputFilesAsync(new FilePayload
        {
            Name = "ghi-chu.txt", MimeType = "text/plain", Buffer = "Không phải PDF"u8.ToArray(),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Kiểm tra chữ ký" }).ClickAsync();

        await page.Locator(".error-summary").WaitForAsync();
        Assert.True(await page.Locator(".error-summary").EvaluateAsync<bool>("e => e === document.activeElement"));
        Assert.Contains("tệp văn bản thuần", await page.Locator(".error-summary").TextContentAsync());
        await Accessibility.AssertNoViolationsAsync(page, "signature-check-error");
    }

    [Fact]
    public async Task An_administrator_reviews_the_trust_store()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/quan-tri/kho-tin-cay");
        await page.GetByLabel("Tên đăng nhập").FillAsync(PortalServer.AdminLogin);
        await page.GetByLabel("Mật khẩu").FillAsync(PortalServer.AdminPassword);
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync("**/quan-tri/kho-tin-cay");
        Assert.Contains("Vietnam National Root CA", await page.Locator("#danh-sach + table").TextContentAsync());
        await Accessibility.AssertNoViolationsAsync(page, "admin-trust-store");
        await Accessibility.AssertEveryInputLabelledAsync(page);

        // Adding without a file: the error summary says what to choose.
        await page.GetByLabel("Chứng thư gốc (tin cậy)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Thêm chứng thư" }).ClickAsync();
        await page.Locator(".error-summary").WaitForAsync();
        Assert.Contains("Chọn tệp chứng thư", await page.Locator(".error-summary").TextContentAsync());
        await Accessibility.AssertNoViolationsAsync(page, "admin-trust-store-error");
    }
}
