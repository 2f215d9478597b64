using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Core.Signatures;
using Portal.Tests.Shared;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Signatures;

// The public check (/kiem-tra-chu-ky) and its API against PDFs signed by Portal's own signer with a PKI generated for
// the test (DemoPki in a temporary directory, trusted through the same configuration the demo uses).
[Collection("db")]
public sealed class SignatureCheckTests(PostgresFixture db, SignedFiles files) : IClassFixture<SignedFiles>
{
    static Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) => Staff.ParseAsync(response);

    WebApplicationFactory<Program> Portal(SignedFiles files, int checksPerMinute = 100000) => db.Portal.WithWebHostBuilder(b =>
    {
        b.UseSetting("Portal:Signatures:ExtraAnchors", files.RootPem);
        b.UseSetting("Portal:Signatures:CrlFiles", string.Join(',', files.Crls));
        b.UseSetting("Portal:SignatureChecksPerMinute", checksPerMinute.ToString());
    });

    static MultipartFormDataContent Form(byte[] file, string name = "tai-lieu.pdf", byte[]? signature = null)
    {
        var form = new MultipartFormDataContent { { new ByteArrayContent(file), "file", name } };
        if (signature is not null) form.Add(new ByteArrayContent(signature), "signature", name + ".p7s");
        return form;
    }

    static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    async Task<long> StoredReportsAsync()
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM portal.signature_reports");
    }

    [Fact]
    public async Task The_api_reports_a_valid_signature_with_signer_chain_and_coverage()
    {
        var response = await Portal(files).CreateClient().PostAsync("/api/v1/signatures/verify", Form(files.Signed));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await JsonAsync(response);
        Assert.Equal("pdf", report.GetProperty("format").GetString());
        Assert.Equal("TOTAL_PASSED", report.GetProperty("indication").GetString());
        var signature = report.GetProperty("signatures")[0];
        Assert.Equal("TOTAL_PASSED", signature.GetProperty("indication").GetString());
        Assert.True(signature.GetProperty("intact").GetBoolean());
        Assert.True(signature.GetProperty("cryptoValid").GetBoolean());
        Assert.True(signature.GetProperty("coversWholeRevision").GetBoolean());
        Assert.True(signature.GetProperty("trusted").GetBoolean());
        Assert.Equal("none", signature.GetProperty("modificationsAfter").GetString());
        Assert.Equal("claimed", signature.GetProperty("signingTimeSource").GetString());
        Assert.Contains("Bình Sơn", signature.GetProperty("signer").GetProperty("commonName").GetString());
        Assert.Equal(3, signature.GetProperty("chain").GetArrayLength());
    }

    [Fact]
    public async Task A_byte_changed_after_signing_is_a_hash_failure_in_vietnamese()
    {
        var tampered = (byte[])files.Signed.Clone();
        var at = Array.IndexOf(tampered, (byte)'q', 10);   // inside the page content, well before the signature
        tampered[at] = (byte)'Q';
        var report = await JsonAsync(await Portal(files).CreateClient().PostAsync("/api/v1/signatures/verify", Form(tampered)));
        Assert.Equal("TOTAL_FAILED", report.GetProperty("indication").GetString());
        Assert.Equal("HASH_FAILURE", report.GetProperty("subIndication").GetString());
        Assert.Equal("Nội dung tài liệu đã bị thay đổi sau khi ký.", report.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_detached_p7s_is_checked_against_its_file()
    {
        var client = Portal(files).CreateClient();
        var good = await JsonAsync(await client.PostAsync("/api/v1/signatures/verify", Form(files.Content, "don.txt", files.DetachedSignature)));
        Assert.Equal("cms-detached", good.GetProperty("format").GetString());
        Assert.Equal("TOTAL_PASSED", good.GetProperty("indication").GetString());

        var other = files.Content.Append((byte)'!').ToArray();
        var bad = await JsonAsync(await client.PostAsync("/api/v1/signatures/verify", Form(other, "don.txt", files.DetachedSignature)));
        Assert.Equal("HASH_FAILURE", bad.GetProperty("subIndication").GetString());
    }

    [Fact]
    public async Task An_unsigned_pdf_is_reported_as_not_signed()
    {
        var report = await JsonAsync(await Portal(SignedFixture).CreateClient().PostAsync("/api/v1/signatures/verify", Form(SignedFixture.Unsigned)));
        Assert.Equal("NO_SIGNATURE_FOUND", report.GetProperty("indication").GetString());
        Assert.Equal("Tài liệu chưa được ký số.", report.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_file_that_is_neither_pdf_nor_cms_is_refused_naming_its_type()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1];
        var response = await Portal(SignedFixture).CreateClient().PostAsync("/api/v1/signatures/verify", Form(jpeg, "anh.jpg"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response);
        Assert.Contains("không phải tài liệu ký số được hỗ trợ", problem.GetProperty("detail").GetString());
        Assert.Contains("ảnh JPEG", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Missing_file_and_non_multipart_requests_get_a_400_that_says_what_to_send()
    {
        var client = Portal(SignedFixture).CreateClient();
        var empty = await client.PostAsync("/api/v1/signatures/verify", new MultipartFormDataContent { { new StringContent("x"), "other" } });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("Hãy chọn tệp", (await JsonAsync(empty)).GetProperty("detail").GetString());

        var json = await client.PostAsync("/api/v1/signatures/verify", new StringContent("{}", new MediaTypeHeaderValue("application/json")));
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Contains("multipart/form-data", (await JsonAsync(json)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Checks_are_rate_limited_per_client()
    {
        var client = Portal(SignedFixture, checksPerMinute: 2).CreateClient();
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v1/signatures/verify", Form(SignedFixture.Unsigned))).StatusCode);
        var refused = await client.PostAsync("/api/v1/signatures/verify", Form(SignedFixture.Unsigned));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("quá nhiều yêu cầu", (await JsonAsync(refused)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_page_shows_the_report_in_vietnamese_and_stores_nothing()
    {
        var client = Portal(files).CreateClient();
        var form = await ParseAsync(await client.GetAsync("/kiem-tra-chu-ky"));
        Assert.Equal("vi", form.DocumentElement.GetAttribute("lang"));
        Assert.NotNull(form.QuerySelector("label[for=file]"));
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        var before = await StoredReportsAsync();
        var post = Form(files.Signed);
        post.Add(new StringContent(token), "__RequestVerificationToken");
        var response = await client.PostAsync("/kiem-tra-chu-ky", post);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await ParseAsync(response);
        Assert.Equal("Chữ ký số hợp lệ", page.QuerySelector("#ket-luan")!.TextContent.Trim());
        Assert.Contains("Tài liệu không bị thay đổi sau khi ký.", page.QuerySelector(".signature-report")!.TextContent);
        Assert.Contains("Bình Sơn", page.QuerySelector(".signature-details summary")!.TextContent);
        Assert.Contains("theo khai báo của người ký", page.QuerySelector(".signature-details")!.TextContent);
        Assert.Equal(before, await StoredReportsAsync());
    }

    [Fact]
    public async Task The_page_refuses_a_wrong_file_type_with_an_error_summary_and_keeps_the_form()
    {
        var client = Portal(SignedFixture).CreateClient();
        var token = await Staff.TokenAsync(client, "/kiem-tra-chu-ky");
        var post = Form("PK\x03\x04 not really a zip"u8.ToArray(), "ho-so.zip");
        post.Add(new StringContent(token), "__RequestVerificationToken");
        var response = await client.PostAsync("/kiem-tra-chu-ky", post);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await ParseAsync(response);
        Assert.Contains("tệp nén ZIP", page.QuerySelector(".error-summary")!.TextContent);
        Assert.Equal("#file", page.QuerySelector(".error-summary a")!.GetAttribute("href"));
        Assert.Equal("true", page.QuerySelector("#file")!.GetAttribute("aria-invalid"));
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        var response = await Portal(SignedFixture).CreateClient().PostAsync("/kiem-tra-chu-ky", Form(SignedFixture.Unsigned));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    SignedFiles SignedFixture => files;
}

/// <summary>A demo-style PKI in a temporary directory and the files signed with it, made once for the class.</summary>
public sealed class SignedFiles : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("portal-signatures-").FullName;

    public SignedFiles()
    {
        DemoPki.Ensure(dir, TimeProvider.System);
        using var key = SigningKey.FromPkcs12(Path.Combine(dir, DemoPki.SignerFile), File.ReadAllText(Path.Combine(dir, DemoPki.PasswordFile)));
        Unsigned = TestPdfs.OnePage("Giấy tiếp nhận hồ sơ");
        Signed = new PadesSigner(TimeProvider.System).SignAsync(Unsigned, key, new SignOptions { Reason = "Kiểm thử" }, default)
            .GetAwaiter().GetResult();
        Content = "Đơn đề nghị cấp bản sao"u8.ToArray();
        DetachedSignature = CadesSignature.BuildAsync(SHA256.HashData(Content), key, null, null, default).GetAwaiter().GetResult();
    }

    public string RootPem => Path.Combine(dir, DemoPki.RootFile);
    public IEnumerable<string> Crls => DemoPki.CrlFiles.Select(f => Path.Combine(dir, f));
    public byte[] Unsigned { get; }
    public byte[] Signed { get; }
    public byte[] Content { get; }
    public byte[] DetachedSignature { get; }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
