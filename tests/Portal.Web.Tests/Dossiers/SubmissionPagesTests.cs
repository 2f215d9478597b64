using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Core.Catalogue;
using Portal.Tests.Shared;
using Portal.Web.Tests.Database;
using Portal.Web.Tests.Signatures;

namespace Portal.Web.Tests.Dossiers;

// The submission journey over HTTP against the real application and database, as a browser without JavaScript
// would do it. The procedure has a required form (line 1) and an optional authorisation that must be signed (line 2).
[Collection("db")]
public sealed class SubmissionPagesTests(PostgresFixture db, SignedFiles signed) : IClassFixture<SignedFiles>
{
    WebApplicationFactory<Program> Portal(int maxFileMegabytes = 20) => db.Portal.WithWebHostBuilder(b =>
    {
        b.UseSetting("Portal:Signatures:ExtraAnchors", signed.RootPem);
        b.UseSetting("Portal:Signatures:CrlFiles", string.Join(',', signed.Crls));
        b.UseSetting("Portal:Uploads:MaxFileMegabytes", maxFileMegabytes.ToString());
        b.UseSetting("Portal:Files", Path.Combine(Path.GetTempPath(), "portal-web-files"));
    });

    async Task<string> ProcedureAsync()
    {
        var agency = Given.Agency();
        var field = Given.Field();
        var procedure = Given.Procedure(agency.Code, field.Code);
        await Given.ImportAsync(db, [agency], [field], [procedure]);
        return procedure.Code();
    }

    async Task<(Journey Journey, string Draft)> StartAsync(WebApplicationFactory<Program> portal, string procedure)
    {
        var (_, login, password) = await Citizens.CreateAsync(db);
        var journey = Journey.For(portal);
        await Citizens.SignInAsync(journey.Client, login, password);
        var started = await journey.PostAsync($"/nop-ho-so/{procedure}", []);
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        return (journey, Journey.Location(started));
    }

    static Dictionary<string, string> Applicant => new()
    {
        ["Kind"] = "individual", ["FullName"] = "Nguyễn Thị Hường", ["BirthDate"] = "5/3/1990", ["IdNumber"] = "001190012345",
        ["Address"] = "Thôn 3, xã Hòa An, tỉnh Bình Sơn", ["Phone"] = "0912 345 678", ["Email"] = "huong@example.vn",
    };

    async Task<string> FillAsync(Journey j, string draft)
    {
        Assert.Equal($"{draft}/chu-ho-so", Journey.Location(await j.PostAsync($"{draft}/nguoi-nop", Applicant)));
        Assert.Equal($"{draft}/giay-to/1", Journey.Location(await j.PostAsync($"{draft}/chu-ho-so", new() { ["Same"] = "yes" })));
        Assert.Equal($"{draft}/giay-to/1", Journey.Location(await j.UploadAsync($"{draft}/giay-to/1", ("to-khai.pdf", TestPdfs.OnePage("Tờ khai")))));
        Assert.Equal($"{draft}/giay-to/2", Journey.Location(await j.PostAsync($"{draft}/giay-to/1", [])));
        Assert.Equal($"{draft}/nhan-ket-qua", Journey.Location(await j.PostAsync($"{draft}/giay-to/2", [])));
        Assert.Equal($"{draft}/kiem-tra", Journey.Location(await j.PostAsync($"{draft}/nhan-ket-qua", new() { ["Method"] = "online" })));
        return draft;
    }

    [Fact]
    public async Task A_citizen_files_a_dossier_from_start_to_confirmation_and_follows_it()
    {
        var portal = Portal();
        var procedure = await ProcedureAsync();
        var (j, draft) = await StartAsync(portal, procedure);

        var tasks = await j.PageAsync(draft);
        Assert.Equal(["Chưa hoàn thành", "Chưa bắt đầu"], tasks.QuerySelectorAll(".task-list__status").Take(2).Select(t => t.TextContent));
        var applicantPage = await j.PageAsync($"{draft}/nguoi-nop");
        Assert.False(string.IsNullOrEmpty(applicantPage.QuerySelector<IHtmlInputElement>("#FullName")!.Value));   // prefilled from the account
        await FillAsync(j, draft);
        var check = await j.PageAsync($"{draft}/kiem-tra");
        Assert.Contains("to-khai.pdf — Không có chữ ký số", check.QuerySelector("main")!.TextContent);
        Assert.All(check.QuerySelectorAll("a").Where(a => a.TextContent.StartsWith("Thay đổi")), a => Assert.EndsWith("?quay-lai=kiem-tra", a.GetAttribute("href")));

        var sent = await j.PostAsync($"{draft}/kiem-tra", new() { ["Declared"] = "true" });

        Assert.Equal($"{draft}/da-gui", Journey.Location(sent));
        var confirmation = await j.PageAsync($"{draft}/da-gui");
        var code = confirmation.QuerySelector(".dossier-code")!.TextContent;
        Assert.Matches(@"^000\.\d\d\.\d{6}\.T01-\d{6}-0001$", code);
        Assert.Contains("Dự kiến trả kết quả", confirmation.QuerySelector("main")!.TextContent);
        var page = await j.PageAsync($"/ho-so/{code}");
        Assert.Contains("Mới đăng ký", page.QuerySelector(".tag")!.TextContent);
        Assert.Contains("Nộp hồ sơ trực tuyến", page.QuerySelector(".timeline")!.TextContent);
        var receipt = await j.Client.GetAsync($"/ho-so/{code}/giay-xac-nhan");
        Assert.Equal("application/pdf", receipt.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString((await receipt.Content.ReadAsByteArrayAsync())[..5]));
        Assert.Contains(code, (await j.PageAsync("/ho-so")).QuerySelector("main")!.TextContent);
    }

    [Fact]
    public async Task A_wrong_file_type_is_reported_next_to_the_field_and_the_files_already_there_stay()
    {
        var portal = Portal();
        var (j, draft) = await StartAsync(portal, await ProcedureAsync());
        await j.UploadAsync($"{draft}/giay-to/1", ("trang-1.pdf", TestPdfs.OnePage("Trang 1")));

        var response = await j.UploadAsync($"{draft}/giay-to/1", ("ghi-chu.txt", "chỉ là chữ"u8.ToArray()), ("trang-2.pdf", TestPdfs.OnePage("Trang 2")));

        Assert.Equal($"{draft}/giay-to/1", Journey.Location(response));
        var page = await j.PageAsync($"{draft}/giay-to/1");
        Assert.StartsWith("Lỗi: ", page.Title);
        Assert.Contains("Tệp \"ghi-chu.txt\" là tệp văn bản thuần. Tệp phải là PDF, JPG, PNG", page.QuerySelector("#files-error")!.TextContent);
        Assert.Equal("#files", page.QuerySelector(".error-summary a")!.GetAttribute("href"));
        Assert.Equal("true", page.QuerySelector("#files")!.GetAttribute("aria-invalid"));
        Assert.Equal(["trang-1.pdf", "trang-2.pdf"], page.QuerySelectorAll("tbody tr td:first-child").Select(td => td.TextContent.Trim()));
        Assert.Null((await j.PageAsync($"{draft}/giay-to/1")).QuerySelector("#files-error"));   // said once
    }

    [Fact]
    public async Task An_oversize_file_gets_a_clear_message()
    {
        var portal = Portal(maxFileMegabytes: 1);
        var (j, draft) = await StartAsync(portal, await ProcedureAsync());

        await j.UploadAsync($"{draft}/giay-to/1", ("scan.pdf", TestPdfs.Pages(1, "Bản quét", 1_600_000)));

        var page = await j.PageAsync($"{draft}/giay-to/1");
        Assert.Contains("Tệp \"scan.pdf\" lớn hơn 1 MB — hãy chia nhỏ hoặc giảm độ phân giải rồi tải lên lại.", page.QuerySelector("#files-error")!.TextContent);
        Assert.Contains("Chưa có tệp nào", page.QuerySelector("main")!.TextContent);
    }

    [Fact]
    public async Task The_signature_verdict_is_shown_next_to_the_file_and_warned_about_before_sending()
    {
        var portal = Portal();
        var (j, draft) = await StartAsync(portal, await ProcedureAsync());

        await j.UploadAsync($"{draft}/giay-to/2", ("uy-quyen-da-ky.pdf", signed.Signed), ("uy-quyen-chua-ky.pdf", TestPdfs.OnePage("Ủy quyền")));

        var rows = (await j.PageAsync($"{draft}/giay-to/2")).QuerySelectorAll("tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains("Chữ ký số hợp lệ", rows[0]);
        Assert.Contains("Không có chữ ký số", rows[1]);
        var check = await j.PageAsync($"{draft}/kiem-tra");
        Assert.Contains("phải có chữ ký số hợp lệ, nhưng có tệp chưa đạt", check.QuerySelector(".notice--warning")!.TextContent);
    }

    [Fact]
    public async Task Sending_twice_or_going_back_after_sending_makes_one_dossier()
    {
        var portal = Portal();
        var (j, draft) = await StartAsync(portal, await ProcedureAsync());
        await FillAsync(j, draft);
        var check = await j.PageAsync($"{draft}/kiem-tra");
        var form = new Dictionary<string, string> { ["Declared"] = "true", ["RowVersion"] = check.QuerySelector<IHtmlInputElement>("[name=RowVersion]")!.Value, ["__RequestVerificationToken"] = Journey.Token(check) };

        var first = j.Client.PostAsync($"{draft}/kiem-tra", new FormUrlEncodedContent(form));
        var second = j.Client.PostAsync($"{draft}/kiem-tra", new FormUrlEncodedContent(form));
        var responses = await Task.WhenAll(first, second);

        Assert.All(responses, r => Assert.Equal($"{draft}/da-gui", Journey.Location(r)));
        Assert.Equal($"{draft}/da-gui", Journey.Location(await j.Client.GetAsync($"{draft}/nguoi-nop")));
        var id = Guid.Parse(draft.Split('/').Last());
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT count(*) FROM portal.dossier_history WHERE dossier_id = @id", conn);
        cmd.Parameters.AddWithValue("id", id);
        Assert.Equal(1L, await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Another_citizen_gets_404_for_the_dossier_its_files_receipt_and_api()
    {
        var portal = Portal();
        var (owner, draft) = await StartAsync(portal, await ProcedureAsync());
        await FillAsync(owner, draft);
        await owner.PostAsync($"{draft}/kiem-tra", new() { ["Declared"] = "true" });
        var code = (await owner.PageAsync($"{draft}/da-gui")).QuerySelector(".dossier-code")!.TextContent;
        var fileUrl = (await owner.PageAsync($"/ho-so/{code}")).QuerySelector("a[href^='/ho-so/tep/']")!.GetAttribute("href")!;
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync(fileUrl)).StatusCode);
        var (_, login, password) = await Citizens.CreateAsync(db);
        var other = Journey.For(portal);
        await Citizens.SignInAsync(other.Client, login, password);

        foreach (var url in new[] { $"/ho-so/{code}", fileUrl, $"/ho-so/{code}/giay-xac-nhan", draft, $"{draft}/da-gui", $"/api/v1/me/dossiers/{code}" })
            Assert.True((await other.Client.GetAsync(url)).StatusCode == HttpStatusCode.NotFound, url);
    }

    [Fact]
    public async Task A_form_post_without_its_antiforgery_token_is_refused()
    {
        var portal = Portal();
        var (j, draft) = await StartAsync(portal, await ProcedureAsync());

        var step = await j.Client.PostAsync($"{draft}/nguoi-nop", new FormUrlEncodedContent(Applicant));
        var upload = await j.Client.PostAsync($"{draft}/giay-to/1/tai-len",
            new MultipartFormDataContent { { new ByteArrayContent(TestPdfs.OnePage("x")), "files", "x.pdf" } });

        Assert.Equal(HttpStatusCode.BadRequest, step.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, upload.StatusCode);
        Assert.Contains("Chưa bắt đầu", (await j.PageAsync(draft)).QuerySelector(".task-list")!.TextContent);
    }

    [Fact]
    public async Task A_save_from_a_stale_tab_keeps_what_was_typed_and_says_why()
    {
        var portal = Portal();
        var (j, draft) = await StartAsync(portal, await ProcedureAsync());
        var stale = await j.PageAsync($"{draft}/chu-ho-so");
        await j.PostAsync($"{draft}/nguoi-nop", Applicant);   // another tab saves meanwhile

        var response = await j.Client.PostAsync($"{draft}/chu-ho-so", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Same"] = "no", ["FullName"] = "Trần Văn Bình", ["IdNumber"] = "001080000001", ["Address"] = "Hà Nội",
            ["RowVersion"] = stale.QuerySelector<IHtmlInputElement>("[name=RowVersion]")!.Value, ["__RequestVerificationToken"] = Journey.Token(stale),
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Staff.ParseAsync(response);
        Assert.Contains("vừa được thay đổi ở một cửa sổ khác", page.QuerySelector(".error-summary")!.TextContent);
        Assert.Equal("Trần Văn Bình", page.QuerySelector<IHtmlInputElement>("#FullName")!.Value);
    }

    [Fact]
    public async Task A_signed_out_citizen_who_comes_back_to_a_step_signs_in_and_lands_on_it_with_the_answers()
    {
        var portal = Portal();
        var procedure = await ProcedureAsync();
        var (citizenId, login, password) = await Citizens.CreateAsync(db);
        var j = Journey.For(portal);
        await Citizens.SignInAsync(j.Client, login, password);
        var draft = Journey.Location(await j.PostAsync($"/nop-ho-so/{procedure}", []));
        await j.PostAsync($"{draft}/nguoi-nop", Applicant);

        var later = Journey.For(portal);   // a new browser session: the old cookie is gone (expired or signed out)
        var bounced = await later.Client.GetAsync($"{draft}/chu-ho-so");
        Assert.Equal(HttpStatusCode.Redirect, bounced.StatusCode);
        Assert.Contains("quay-lai=", Journey.Location(bounced));
        var signIn = Journey.Location(bounced);
        var back = await later.PostAsync(signIn, new() { ["Login"] = login, ["Password"] = password });

        Assert.EndsWith($"{draft}/chu-ho-so", Journey.Location(back));
        var applicant = await later.PageAsync($"{draft}/nguoi-nop");
        Assert.Equal("Nguyễn Thị Hường", applicant.QuerySelector<IHtmlInputElement>("#FullName")!.Value);
        Assert.NotEqual(Guid.Empty, citizenId);
    }

    [Fact]
    public async Task The_procedure_page_offers_to_continue_a_saved_draft()
    {
        var portal = Portal();
        var procedure = await ProcedureAsync();
        var (j, draft) = await StartAsync(portal, procedure);

        var page = await j.PageAsync($"/thu-tuc/{procedure}");
        var anonymous = await Journey.For(portal).PageAsync($"/thu-tuc/{procedure}");

        Assert.Equal(draft, page.QuerySelector(".start .notice a")!.GetAttribute("href"));
        Assert.Null(anonymous.QuerySelector(".start .notice"));
    }
}
