using System.Net;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.BackOffice;

// The staff pages over the real application and database: what a unit sees, the action forms' outcomes, the export.
[Collection("db")]
public sealed class StaffPagesTests(PostgresFixture db)
{
    async Task<HttpClient> SignedInAsync(string login)
    {
        var client = db.Portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await Staff.SignInAsync(client, login)).StatusCode);
        return client;
    }

    static async Task<int> VersionAsync(HttpClient client, string code) =>
        int.Parse((await Staff.ParseAsync(await client.GetAsync($"/can-bo/ho-so/{code}")))
            .QuerySelector("#tt-refuse-title + form input[name=ExpectedVersion]")!.GetAttribute("value")!);

    [Fact]
    public async Task The_inbox_lists_a_submitted_dossier_for_its_unit_and_not_for_another_agency()
    {
        var world = await BackOfficeWorld.CreateAsync(db);
        var code = await world.SubmittedAsync();

        var mine = await Staff.ParseAsync(await (await SignedInAsync(world["A:receiving-officer"].Login)).GetAsync("/can-bo/tiep-nhan"));
        Assert.Contains(mine.QuerySelectorAll("table a"), a => a.TextContent == code);
        Assert.Equal("vi", mine.DocumentElement.GetAttribute("lang"));

        var other = await Staff.ParseAsync(await (await SignedInAsync(world["B:receiving-officer"].Login)).GetAsync("/can-bo/tiep-nhan"));
        Assert.DoesNotContain(code, other.Body!.TextContent);
    }

    [Fact]
    public async Task Another_agencys_dossier_and_its_control_slip_are_not_found()
    {
        var world = await BackOfficeWorld.CreateAsync(db);
        var code = await world.SubmittedAsync();
        var other = await SignedInAsync(world["B:receiving-officer"].Login);

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/can-bo/ho-so/{code}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/can-bo/ho-so/{code}/phieu-kiem-soat")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await SignedInAsync(world["A:receiving-officer"].Login)).GetAsync($"/can-bo/ho-so/{code}")).StatusCode);
    }

    [Fact]
    public async Task The_units_own_control_slip_lists_the_hand_overs()
    {
        var world = await BackOfficeWorld.CreateAsync(db);
        var code = await world.SubmittedAsync();
        await world.DoAsync("A:receiving-officer", code, "receive");
        await world.DoAsync("A:receiving-officer", code, "forward");
        var response = await (await SignedInAsync(world["A:receiving-officer"].Login)).GetAsync($"/can-bo/ho-so/{code}/phieu-kiem-soat");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await Staff.ParseAsync(response)).QuerySelectorAll("main table tbody tr").Length);   // reception, forward

        // The same slip as an A5 PDF (Mẫu 06), for another agency not found either.
        var pdf = await (await SignedInAsync(world["A:receiving-officer"].Login)).GetAsync($"/can-bo/ho-so/{code}/phieu-kiem-soat?dinh-dang=pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.True(pdf.Headers.CacheControl is { NoStore: true, Private: true });
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString((await pdf.Content.ReadAsByteArrayAsync())[..5]));
        Assert.Equal(HttpStatusCode.NotFound,
            (await (await SignedInAsync(world["B:receiving-officer"].Login)).GetAsync($"/can-bo/ho-so/{code}/phieu-kiem-soat?dinh-dang=pdf")).StatusCode);
    }

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_the_staff_sign_in()
    {
        var response = await db.Portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync("/can-bo/tiep-nhan");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/can-bo/dang-nhap", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_refusal_without_a_reason_shows_the_field_error_and_keeps_the_other_forms_input()
    {
        var world = await BackOfficeWorld.CreateAsync(db);
        var code = await world.SubmittedAsync();
        var client = await SignedInAsync(world["A:receiving-officer"].Login);
        var version = await VersionAsync(client, code);

        var refused = await Staff.PostFormAsync(client, $"/can-bo/ho-so/{code}", $"/can-bo/ho-so/{code}",
            new() { ["thao-tac"] = "refuse", ["ExpectedVersion"] = $"{version}", ["Reason"] = "  " });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await Staff.ParseAsync(refused);
        Assert.StartsWith("Lỗi: ", page.Title);
        var link = page.QuerySelector(".error-summary a")!;
        Assert.Equal("#refuse-reason", link.GetAttribute("href"));
        Assert.Equal("true", page.QuerySelector("#refuse-reason")!.GetAttribute("aria-invalid"));
        Assert.Equal((short)1, (await world.StateAsync(code)).Status);

        // A supplement request with a row missing its reason: the rows come back as typed.
        var supplement = await Staff.PostFormAsync(client, $"/can-bo/ho-so/{code}", $"/can-bo/ho-so/{code}",
            new() { ["thao-tac"] = "request-supplement", ["ExpectedVersion"] = $"{version}", ["ItemName"] = "Bản sao sổ hộ khẩu", ["ItemReason"] = "", ["Note"] = "Gọi trước khi đến" });
        var again = await Staff.ParseAsync(supplement);
        Assert.Equal("Bản sao sổ hộ khẩu", again.QuerySelector<IHtmlInputElement>("#request-supplement-name-0")!.Value);
        Assert.Equal("Gọi trước khi đến", again.QuerySelector<IHtmlInputElement>("#request-supplement-note")!.Value);
        Assert.Equal("#request-supplement-items", again.QuerySelector(".error-summary a")!.GetAttribute("href"));
        Assert.NotNull(again.QuerySelector("#request-supplement-items"));
    }

    [Fact]
    public async Task A_stale_version_shows_the_conflict_and_a_fresh_one_receives_with_a_message()
    {
        var world = await BackOfficeWorld.CreateAsync(db);
        var code = await world.SubmittedAsync();
        var client = await SignedInAsync(world["A:receiving-officer"].Login);
        var version = await VersionAsync(client, code);

        var stale = await Staff.PostFormAsync(client, $"/can-bo/ho-so/{code}", $"/can-bo/ho-so/{code}",
            new() { ["thao-tac"] = "refuse", ["ExpectedVersion"] = $"{version - 1}", ["Reason"] = "Hồ sơ không thuộc thẩm quyền" });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var page = await Staff.ParseAsync(stale);
        Assert.Contains("vừa được", page.QuerySelector(".error-summary")!.TextContent);
        Assert.Equal("Hồ sơ không thuộc thẩm quyền", page.QuerySelector<IHtmlInputElement>("#refuse-reason")!.Value);

        var received = await Staff.PostFormAsync(client, $"/can-bo/ho-so/{code}", $"/can-bo/ho-so/{code}",
            new() { ["thao-tac"] = "receive", ["ExpectedVersion"] = $"{version}" });
        Assert.Equal(HttpStatusCode.Redirect, received.StatusCode);
        var after = await Staff.ParseAsync(await client.GetAsync(received.Headers.Location!.ToString()));
        Assert.Contains("Đã tiếp nhận hồ sơ", after.QuerySelector(".success-banner[role=status]")!.TextContent);
        var form = after.QuerySelector("a[href*='/bieu-mau/']")!.GetAttribute("href")!;
        var pdf = await client.GetAsync(form);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        Assert.Contains("no-store", pdf.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_rejected()
    {
        var world = await BackOfficeWorld.CreateAsync(db);
        var code = await world.SubmittedAsync();
        var client = await SignedInAsync(world["A:receiving-officer"].Login);
        var response = await client.PostAsync($"/can-bo/ho-so/{code}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["thao-tac"] = "receive", ["ExpectedVersion"] = "1" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal((short)1, (await world.StateAsync(code)).Status);
    }

    [Fact]
    public async Task The_tracking_book_exports_the_received_dossier_as_csv()
    {
        var world = await BackOfficeWorld.CreateAsync(db);
        var code = await world.SubmittedAsync();
        await world.DoAsync("A:receiving-officer", code, "receive");
        var client = await SignedInAsync(world["A:receiving-officer"].Login);

        var response = await client.GetAsync("/can-bo/so-theo-doi?tu-ngay=2026-11-01&den-ngay=2026-11-30&dinh-dang=csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Mã hồ sơ;Thủ tục;Người nộp", lines[0]);
        var row = Assert.Single(lines, l => l.StartsWith(code + ";", StringComparison.Ordinal));
        Assert.Contains(";Nguyễn Thị Hường;", row);

        var table = await Staff.ParseAsync(await client.GetAsync("/can-bo/so-theo-doi?tu-ngay=2026-11-01&den-ngay=2026-11-30"));
        Assert.Contains(table.QuerySelectorAll("table a"), a => a.TextContent == code);
    }

    [Fact]
    public void Csv_fields_are_quoted_and_formulas_defused()
    {
        var csv = Encoding.UTF8.GetString(Portal.Web.Pages.Staff.TrackingBookModel.Csv(
            [new() { Code = "X-1", ProcedureName = "Đăng ký; \"khai sinh\"", ApplicantName = "=HYPERLINK(1)" }]));
        Assert.Contains("X-1;\"Đăng ký; \"\"khai sinh\"\"\";'=HYPERLINK(1);", csv);
    }

    [Fact]
    public async Task The_workflow_editor_saves_the_steps_and_warns_when_they_do_not_add_up()
    {
        var world = await BackOfficeWorld.CreateAsync(db);
        var admin = await SignedInAsync(await Staff.CreateAsync(db, Portal.Core.Identity.StaffRoles.Administrator));
        var url = $"/quan-tri/quy-trinh/{world.VersionId}";
        var editor = await Staff.ParseAsync(await admin.GetAsync(url));
        Assert.Equal("Xác định nguồn gốc đất", editor.QuerySelector<IHtmlInputElement>("#buoc-2-ten")!.Value);

        var saved = await admin.PostAsync(url, new FormUrlEncodedContent(new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", await Staff.TokenAsync(admin, url)),
            new("StepName", "Tiếp nhận"), new("StepAgency", ""), new("StepRole", "receiving-officer"), new("StepAmount", "2"), new("StepUnit", "working-hours"), new("StepActions", ""),
            new("StepName", "Thẩm định và ký"), new("StepAgency", world.A), new("StepRole", "agency-leader"), new("StepAmount", "1"), new("StepUnit", "working-days"), new("StepActions", "approve, return-to-previous"),
            new("StepName", ""), new("StepAgency", ""), new("StepRole", "specialist"), new("StepAmount", ""), new("StepUnit", "working-hours"), new("StepActions", ""),
        }));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var after = await Staff.ParseAsync(await admin.GetAsync(url));
        Assert.Contains("Đã lưu quy trình.", after.QuerySelector(".success-banner")!.TextContent);
        Assert.Contains("Tổng thời gian các bước là 1 ngày 2 giờ làm việc", after.QuerySelector(".notice--warning")!.TextContent);
        Assert.Null(after.QuerySelector("#buoc-3-ten")!.GetAttribute("value"));
        Assert.Null(after.QuerySelector("#buoc-4-ten"));
        Assert.Contains("Tùy chỉnh", (await Staff.ParseAsync(await admin.GetAsync("/quan-tri/quy-trinh?q=" + Uri.EscapeDataString(world.Citizens.ProcedureCode)))).Body!.TextContent);
    }
}
