using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Tests.Shared;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.CertifiedCopies;

// /xac-thuc/{code}: what the QR code on a copy opens. The copy is issued by the job's service on the test database,
// then the page (the real application on the same database, trusting the test's PKI) is asked about it.
[Collection("db")]
public sealed class VerifyPageTests(PostgresFixture db, CopyPki pki) : IClassFixture<CopyPki>
{
    WebApplicationFactory<Program> Portal(int perMinute = 100000) => db.Portal.WithWebHostBuilder(b =>
    {
        b.UseSetting("Portal:Signatures:ExtraAnchors", pki.RootPem);
        b.UseSetting("Portal:Signatures:CrlFiles", string.Join(',', pki.CrlPaths));
        b.UseSetting("Portal:CopyVerificationsPerMinute", perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
    });

    async Task<(CopyWorld World, CopyWorld.CopyRow Copy, byte[] Pdf)> IssuedAsync()
    {
        var w = await CopyWorld.CreateAsync(db, pki);
        var code = await w.ApprovedAsync(2, ("ban-quet.jpg", TestScans.Jpeg(200, "Bang tot nghiep")));
        Assert.Equal(1, await w.Copies.IssuePendingAsync(default));
        var copy = (await w.CopyAsync(code))!;
        return (w, copy, await w.Files.ReadAllAsync(copy.Sha256!, default));
    }

    static async Task<HttpResponseMessage> CompareAsync(HttpClient client, string url, byte[]? file)
    {
        var token = await Staff.TokenAsync(client, url);
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        if (file is not null) form.Add(new ByteArrayContent(file), "file", "ban-sao.pdf");
        return await client.PostAsync(url, form);
    }

    [Fact]
    public async Task The_page_shows_who_issued_the_copy_its_number_date_signer_and_hash()
    {
        var (w, copy, _) = await IssuedAsync();
        var response = await Portal().CreateClient().GetAsync($"/xac-thuc/{copy.Code}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Staff.ParseAsync(response);
        Assert.Equal("vi", page.DocumentElement.GetAttribute("lang"));
        Assert.StartsWith("Bản sao chứng thực số 1/2026/SCT/BS-ĐT – Kiểm tra bản sao chứng thực", page.Title);
        Assert.Equal("Bản sao chứng thực số 1/2026/SCT/BS-ĐT", page.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal($"Bản sao này do {w.AgencyName} cấp ngày 23/11/2026, chứng thực đúng với bản chính.", page.QuerySelector(".lead")!.TextContent.Trim());
        var facts = Facts(page);
        Assert.Equal(w.AgencyName, facts["Cơ quan chứng thực"]);
        Assert.Equal("Trần Văn Bình — Lãnh đạo cơ quan", facts["Người thực hiện chứng thực"]);
        Assert.Equal(copy.Sha256, facts["Mã băm SHA-256 của tệp bản sao"]);
        Assert.Equal("2", facts["Số bản sao"]);
        Assert.StartsWith("09:", facts["Thời điểm chứng thực"]);
        Assert.NotNull(page.QuerySelector("label[for=file]"));
    }

    [Fact]
    public async Task The_issued_file_matches_and_the_same_file_with_one_byte_changed_does_not()
    {
        var (_, copy, pdf) = await IssuedAsync();
        var client = Portal().CreateClient();
        var url = $"/xac-thuc/{copy.Code}";

        var genuine = await Staff.ParseAsync(await CompareAsync(client, url, pdf));
        Assert.Equal("Trùng khớp — bản sao hợp lệ", genuine.QuerySelector("#ket-qua-so-khop")!.TextContent.Trim());
        Assert.Equal("Chữ ký số hợp lệ", genuine.QuerySelector("#ket-luan")!.TextContent.Trim());
        Assert.StartsWith("Kết quả so khớp", genuine.Title);

        var tampered = (byte[])pdf.Clone();
        tampered[pdf.Length / 3] ^= 0x01;                  // one bit of one byte, inside the signed range
        var changed = await Staff.ParseAsync(await CompareAsync(client, url, tampered));
        Assert.Equal("Không trùng khớp", changed.QuerySelector("#ket-qua-so-khop")!.TextContent.Trim());
        Assert.Contains("Đừng dùng tệp này thay bản chính", changed.QuerySelector(".signature-report")!.TextContent);
        Assert.NotEqual("Chữ ký số hợp lệ", changed.QuerySelector("#ket-luan")!.TextContent.Trim());
    }

    [Fact]
    public async Task An_unknown_code_is_a_404_that_says_what_it_means()
    {
        var client = Portal().CreateClient();
        foreach (var code in new[] { "AAAAAAAAAAAAAAAA", "khong-phai-ma" })
        {
            var response = await client.GetAsync($"/xac-thuc/{code}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var page = await Staff.ParseAsync(response);
            Assert.Equal("Không tìm thấy bản sao có mã này", page.QuerySelector("h1")!.TextContent.Trim());
            Assert.Contains("không do cổng cấp", page.QuerySelector("main")!.TextContent);
        }
    }

    [Fact]
    public async Task A_comparison_without_a_file_is_an_error_on_the_form()
    {
        var (_, copy, _) = await IssuedAsync();
        var response = await CompareAsync(Portal().CreateClient(), $"/xac-thuc/{copy.Code}", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await Staff.ParseAsync(response);
        Assert.StartsWith("Lỗi: ", page.Title);
        Assert.Equal("#file", page.QuerySelector(".error-summary a")!.GetAttribute("href"));
        Assert.Equal("true", page.QuerySelector("#file")!.GetAttribute("aria-invalid"));
    }

    [Fact]
    public async Task Guessing_codes_is_rate_limited_per_address()
    {
        var client = Portal(perMinute: 3).CreateClient();
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/xac-thuc/AAAAAAAAAAAAAAA{i + 2}")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/xac-thuc/AAAAAAAAAAAAAAA7")).StatusCode);
    }

    static Dictionary<string, string> Facts(IHtmlDocument page) => page.QuerySelectorAll(".summary-list > div")
        .ToDictionary(d => d.QuerySelector("dt")!.TextContent.Trim(), d => d.QuerySelector("dd")!.TextContent.Trim());
}
