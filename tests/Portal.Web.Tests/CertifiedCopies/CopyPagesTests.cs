using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Core.BackOffice;
using Portal.Tests.Shared;
using Portal.Web.Tests.Database;
using Portal.Web.Tests.Dossiers;

namespace Portal.Web.Tests.CertifiedCopies;

// The pages of a certified copy: the citizen's scans, number of copies and fee in the submission journey; the officer's
// scans, number of copies and fee on the staff dossier page, and the issued copy shown there.
[Collection("db")]
public sealed class CopyPagesTests(PostgresFixture db, CopyPki pki) : IClassFixture<CopyPki>
{
    static readonly Lazy<byte[]> Jpeg200 = new(() => TestScans.Jpeg(200));
    static readonly Lazy<byte[]> Jpeg150 = new(() => TestScans.Jpeg(150));

    WebApplicationFactory<Program> Portal() => db.Portal.WithWebHostBuilder(b =>
    {
        b.UseSetting("Portal:Signatures:ExtraAnchors", pki.RootPem);
        b.UseSetting("Portal:Signatures:CrlFiles", string.Join(',', pki.CrlPaths));
        b.UseSetting("Portal:Files", FilesRoot);
    });

    // The application's store is the world's, so the job finds the scans the pages stored.
    static readonly string FilesRoot = Path.Combine(Path.GetTempPath(), "portal-web-files");

    [Fact]
    public async Task The_citizen_uploads_scans_of_200_dpi_gives_the_number_of_copies_and_sees_the_fee()
    {
        var w = await CopyWorld.CreateAsync(db, pki);
        var (applicant, login, password) = await Citizens.CreateAsync(db);
        var j = Journey.For(Portal());
        await Citizens.SignInAsync(j.Client, login, password);
        var draft = Journey.Location(await j.PostAsync($"/nop-ho-so/{w.ProcedureCode}", []));
        Assert.Equal($"{draft}/chu-ho-so", Journey.Location(await j.PostAsync($"{draft}/nguoi-nop", new()
        {
            ["Kind"] = "individual", ["FullName"] = "Nguyễn Thị Hường", ["BirthDate"] = "5/3/1990", ["IdNumber"] = "001190012345",
            ["Address"] = "Thôn 3, xã Hòa An, tỉnh Bình Sơn", ["Phone"] = "0912 345 678", ["Email"] = "huong@example.vn",
        })));
        Assert.Equal($"{draft}/giay-to/1", Journey.Location(await j.PostAsync($"{draft}/chu-ho-so", new() { ["Same"] = "yes" })));
        // The original is shown at the counter: nothing to upload, the page says so and lets the person go on.
        var original = await j.PageAsync($"{draft}/giay-to/1");
        Assert.Contains("Không cần tải bản chính lên", original.QuerySelector("main")!.TextContent);
        Assert.Equal($"{draft}/giay-to/2", Journey.Location(await j.PostAsync($"{draft}/giay-to/1", [])));

        // A scan under 200 dpi is refused with what to do; one of 200 dpi is kept with its pages and resolution.
        await j.UploadAsync($"{draft}/giay-to/2", ("chup-mo.jpg", Jpeg150.Value));
        var refused = await j.PageAsync($"{draft}/giay-to/2");
        Assert.Contains("thấp hơn mức tối thiểu 200 dpi", refused.QuerySelector(".error-summary")!.TextContent);
        Assert.Contains("Hãy quét lại bản chính", refused.QuerySelector(".error-summary")!.TextContent);
        await j.UploadAsync($"{draft}/giay-to/2", ("ban-quet.jpg", Jpeg200.Value));
        var scans = await j.PageAsync($"{draft}/giay-to/2");
        Assert.Contains("1 trang, 200 dpi", scans.QuerySelector("tbody")!.TextContent);

        // The number of copies is asked on the same page; without it the page says what to enter.
        var missing = await j.PostAsync($"{draft}/giay-to/2", []);
        Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
        var page = await Staff.ParseAsync(missing);
        Assert.Equal("#CopyCount", page.QuerySelector(".error-summary a")!.GetAttribute("href"));
        Assert.Equal("true", page.QuerySelector("#CopyCount")!.GetAttribute("aria-invalid"));
        Assert.Equal($"{draft}/nhan-ket-qua", Journey.Location(await j.PostAsync($"{draft}/giay-to/2", new() { ["CopyCount"] = "3" })));
        Assert.Equal($"{draft}/kiem-tra", Journey.Location(await j.PostAsync($"{draft}/nhan-ket-qua", new() { ["Method"] = "online" })));

        var check = await j.PageAsync($"{draft}/kiem-tra");
        Assert.Contains("1 trang × 3 bản = 6.000 đồng", check.QuerySelector("main")!.TextContent);
        var sent = await j.PostAsync($"{draft}/kiem-tra", new() { ["Declared"] = "true" });
        Assert.Equal($"{draft}/da-gui", Journey.Location(sent));

        // The dossier page says what happens next and what it will cost.
        var code = await w.ScalarAsync<string>("SELECT code FROM portal.dossiers WHERE applicant_id = @applicant", new { applicant });
        var dossier = (await j.PageAsync($"/ho-so/{code}")).QuerySelector("main")!.TextContent;
        Assert.Contains("Phí chứng thực (dự kiến)", dossier);
        Assert.Contains("1 trang × 3 bản = 6.000 đồng", dossier);
        Assert.Contains("Chờ người thực hiện chứng thực đối chiếu bản quét với bản chính.", dossier);
    }

    async Task<HttpClient> StaffClientAsync(WebApplicationFactory<Program> portal, StaffUser user)
    {
        var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await Staff.SignInAsync(client, user.Login)).StatusCode);
        return client;
    }

    static async Task<HttpResponseMessage> PostCopyFormAsync(HttpClient client, string code, string handler, Dictionary<string, string> fields,
        params (string Name, byte[] Bytes)[] files)
    {
        var page = await Staff.ParseAsync(await client.GetAsync($"/can-bo/ho-so/{code}"));
        var form = new MultipartFormDataContent
        {
            { new StringContent(Journey.Token(page)), "__RequestVerificationToken" },
            { new StringContent(page.QuerySelector("#ban-sao-quet + form input[name=ExpectedVersion]")!.GetAttribute("value")!), "ExpectedVersion" },
        };
        foreach (var (k, v) in fields) form.Add(new StringContent(v), k);
        foreach (var (name, bytes) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(part, "ScanUploads", name);
        }
        return await client.PostAsync($"/can-bo/ho-so/{code}?handler={handler}", form);
    }

    [Fact]
    public async Task The_counter_officer_attaches_scans_and_the_number_of_copies_and_sees_the_fee_then_the_issued_copy()
    {
        var w = await CopyWorld.CreateAsync(db, pki, filesRoot: FilesRoot);
        var code = Assert.IsType<IntakeOutcome.Created>(await w.Office.IntakeAsync(w.Staff["receiving-officer"], new IntakeInput
        {
            ProcedureCode = w.ProcedureCode, Channel = "direct", Applicant = DossierWorld.Huong, DeliveryMethod = "online", DocumentsReceived = [1, 2],
        }, "https://dvc.test", default)).Code;
        var portal = Portal();
        var officer = await StaffClientAsync(portal, w.Staff["receiving-officer"]);

        var before = await Staff.ParseAsync(await officer.GetAsync($"/can-bo/ho-so/{code}"));
        Assert.Equal("Bản sao điện tử chứng thực", before.QuerySelector("#ban-sao")!.TextContent);
        Assert.NotNull(before.QuerySelector("label[for=copy-scan]"));

        var low = await PostCopyFormAsync(officer, code, "Scan", [], ("mo.jpg", Jpeg150.Value));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, low.StatusCode);
        var lowPage = await Staff.ParseAsync(low);
        Assert.Equal("#copy-scan", lowPage.QuerySelector(".error-summary a")!.GetAttribute("href"));
        Assert.Contains("thấp hơn mức tối thiểu 200 dpi", lowPage.QuerySelector("#copy-scan-error")!.TextContent);
        Assert.Equal("true", lowPage.QuerySelector("#copy-scan")!.GetAttribute("aria-invalid"));

        Assert.Equal(HttpStatusCode.Redirect, (await PostCopyFormAsync(officer, code, "Scan", [], ("ban-quet.jpg", Jpeg200.Value))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PostCopyFormAsync(officer, code, "CopyCount", new() { ["CopyCount"] = "2" })).StatusCode);
        var ready = await Staff.ParseAsync(await officer.GetAsync($"/can-bo/ho-so/{code}"));
        Assert.Contains("1 trang × 2 bản = 4.000 đồng", ready.QuerySelector("main")!.TextContent);
        Assert.Contains("200 dpi", ready.QuerySelector("main table")!.TextContent);

        Assert.IsType<ActionOutcome.Done>(await w.ThroughToApprovalAsync(code, receive: false));
        Assert.Equal(1, await w.Copies.IssuePendingAsync(default));
        var leader = await StaffClientAsync(portal, w.Staff["agency-leader"]);
        var issued = await Staff.ParseAsync(await leader.GetAsync($"/can-bo/ho-so/{code}"));
        var main = issued.QuerySelector("main")!.TextContent;
        Assert.Contains("số chứng thực 1/2026/SCT/BS-ĐT", main);
        Assert.Null(issued.QuerySelector("#ban-sao-quet"));        // nothing to change once approved
        var copy = (await w.CopyAsync(code))!;
        Assert.Contains(issued.QuerySelectorAll("a"), a => a.GetAttribute("href") == $"/xac-thuc/{copy.Code}");
    }
}
