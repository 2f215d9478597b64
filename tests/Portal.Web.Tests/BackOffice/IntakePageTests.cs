using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.BackOffice;

// /can-bo/tiep-nhan/moi: a paper dossier typed in at the counter or from a parcel, over the real application.
[Collection("db")]
public sealed class IntakePageTests(PostgresFixture db)
{
    async Task<HttpClient> SignedInAsync(string login)
    {
        var client = db.Portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await Staff.SignInAsync(client, login)).StatusCode);
        return client;
    }

    static Dictionary<string, string> Huong(string procedure, string channel = "direct") => new()
    {
        ["thu-tuc"] = procedure, ["Channel"] = channel, ["Kind"] = "individual", ["FullName"] = "Nguyễn Thị Hường",
        ["BirthDate"] = "5/3/1990", ["IdNumber"] = "001190012345", ["Address"] = "Thôn 3, xã Hòa An, tỉnh Bình Sơn",
        ["Phone"] = "0912 345 678", ["Email"] = "", ["DeliveryMethod"] = "counter", ["DocumentsReceived"] = "1",
    };

    [Fact]
    public async Task A_receiving_officer_chooses_the_procedure_and_receives_a_counter_dossier()
    {
        var world = await BackOfficeWorld.CreateAsync(db);
        var client = await SignedInAsync(world["A:receiving-officer"].Login);
        var procedure = world.Citizens.ProcedureCode;

        var start = await Staff.ParseAsync(await client.GetAsync("/can-bo/tiep-nhan/moi"));
        Assert.Equal("thu-tuc", start.QuerySelector<IHtmlInputElement>("#ProcedureCode")!.Name);
        var form = await Staff.ParseAsync(await client.GetAsync($"/can-bo/tiep-nhan/moi?thu-tuc={procedure}"));
        Assert.True(form.QuerySelector<IHtmlInputElement>("#Channel")!.IsChecked);
        Assert.Contains("1 bản chính", form.QuerySelector("label[for=DocumentsReceived]")!.TextContent);
        Assert.Equal(2, form.QuerySelectorAll("input[name=DocumentsReceived]").Length);

        var url = $"/can-bo/tiep-nhan/moi?thu-tuc={procedure}";
        var created = await Staff.PostFormAsync(client, url, "/can-bo/tiep-nhan/moi", Huong(procedure));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var location = created.Headers.Location!.ToString();
        Assert.StartsWith("/can-bo/ho-so/", location);
        var code = Uri.UnescapeDataString(location["/can-bo/ho-so/".Length..]);
        Assert.StartsWith(world.A, code);

        var page = await Staff.ParseAsync(await client.GetAsync(location));
        Assert.Contains($"Đã tiếp nhận hồ sơ {code}", page.QuerySelector(".success-banner[role=status]")!.TextContent);
        Assert.Equal("Được tiếp nhận", page.QuerySelector(".tag")!.TextContent);
        var state = await world.StateAsync(code);
        Assert.Equal((short)2, state.Status);
        Assert.Equal("direct", await world.ScalarAsync<string>("SELECT channel FROM portal.dossiers WHERE code = @code", new { code }));
    }

    [Fact]
    public async Task A_postal_dossier_is_registered_and_waits_in_the_inbox()
    {
        var world = await BackOfficeWorld.CreateAsync(db);
        var client = await SignedInAsync(world["A:receiving-officer"].Login);
        var procedure = world.Citizens.ProcedureCode;
        var fields = Huong(procedure, "postal");
        fields["Waybill"] = "EB123456789VN";
        fields["DeliveryMethod"] = "post";

        var created = await Staff.PostFormAsync(client, $"/can-bo/tiep-nhan/moi?thu-tuc={procedure}", "/can-bo/tiep-nhan/moi", fields);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var code = Uri.UnescapeDataString(created.Headers.Location!.ToString()["/can-bo/ho-so/".Length..]);
        Assert.Equal((short)1, (await world.StateAsync(code)).Status);
        var inbox = await Staff.ParseAsync(await client.GetAsync("/can-bo/tiep-nhan"));
        Assert.Contains(inbox.QuerySelectorAll("table a"), a => a.TextContent == code);
    }

    [Fact]
    public async Task Missing_answers_show_the_error_summary_and_keep_what_was_typed()
    {
        var world = await BackOfficeWorld.CreateAsync(db);
        var client = await SignedInAsync(world["A:receiving-officer"].Login);
        var procedure = world.Citizens.ProcedureCode;
        var fields = Huong(procedure, "postal");
        fields["FullName"] = " ";
        fields["Waybill"] = "";
        fields["Phone"] = "0912 345 678";

        var response = await Staff.PostFormAsync(client, $"/can-bo/tiep-nhan/moi?thu-tuc={procedure}", "/can-bo/tiep-nhan/moi", fields);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Staff.ParseAsync(response);
        Assert.StartsWith("Lỗi: ", page.Title);
        var links = page.QuerySelectorAll(".error-summary a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["#Waybill", "#FullName"], links);
        Assert.Equal("true", page.QuerySelector("#FullName")!.GetAttribute("aria-invalid"));
        Assert.Equal("FullName-error", page.QuerySelector("#FullName")!.GetAttribute("aria-describedby"));
        Assert.Equal("0912 345 678", page.QuerySelector<IHtmlInputElement>("#Phone")!.Value);
        Assert.True(page.QuerySelector<IHtmlInputElement>("#Channel-postal")!.IsChecked);
        Assert.True(page.QuerySelector<IHtmlInputElement>("#DocumentsReceived")!.IsChecked);

        // Everything answered but the required document not ticked: the documents' own message.
        fields["FullName"] = "Nguyễn Thị Hường";
        fields["Waybill"] = "EB987654321VN";
        fields.Remove("DocumentsReceived");
        var missing = await Staff.ParseAsync(await Staff.PostFormAsync(client, $"/can-bo/tiep-nhan/moi?thu-tuc={procedure}", "/can-bo/tiep-nhan/moi", fields));
        Assert.Equal("#DocumentsReceived", missing.QuerySelector(".error-summary a")!.GetAttribute("href"));
        Assert.Contains("DocumentsReceived-error", missing.QuerySelector("fieldset:has(#DocumentsReceived)")!.GetAttribute("aria-describedby"));
        Assert.Equal(0L, await world.ScalarAsync<long>("SELECT count(*) FROM portal.dossiers d JOIN portal.procedure p ON p.id = d.procedure_id WHERE p.code = @procedure", new { procedure }));
    }

    [Fact]
    public async Task An_unknown_procedure_code_is_an_error_on_the_first_step()
    {
        var world = await BackOfficeWorld.CreateAsync(db);
        var client = await SignedInAsync(world["A:receiving-officer"].Login);
        var page = await Staff.ParseAsync(await client.GetAsync("/can-bo/tiep-nhan/moi?thu-tuc=9.999999.XX"));
        Assert.StartsWith("Lỗi: ", page.Title);
        Assert.Equal("#ProcedureCode", page.QuerySelector(".error-summary a")!.GetAttribute("href"));
        Assert.Equal("9.999999.XX", page.QuerySelector<IHtmlInputElement>("#ProcedureCode")!.Value);
    }

    [Fact]
    public async Task Other_roles_are_told_why_and_cannot_post()
    {
        var world = await BackOfficeWorld.CreateAsync(db);
        var procedure = world.Citizens.ProcedureCode;
        var specialist = await SignedInAsync(world["A:specialist"].Login);
        var get = await specialist.GetAsync($"/can-bo/tiep-nhan/moi?thu-tuc={procedure}");
        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        var page = await Staff.ParseAsync(get);
        Assert.Contains("Chỉ cán bộ tiếp nhận", page.QuerySelector("main")!.TextContent);
        Assert.Null(page.QuerySelector("main form"));

        var token = (await Staff.ParseAsync(await specialist.GetAsync("/can-bo"))).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var post = await specialist.PostAsync("/can-bo/tiep-nhan/moi",
            new FormUrlEncodedContent(Huong(procedure).Append(new("__RequestVerificationToken", token))));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(0L, await world.ScalarAsync<long>("SELECT count(*) FROM portal.dossiers d JOIN portal.procedure p ON p.id = d.procedure_id WHERE p.code = @procedure", new { procedure }));
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_rejected()
    {
        var world = await BackOfficeWorld.CreateAsync(db);
        var client = await SignedInAsync(world["A:receiving-officer"].Login);
        var response = await client.PostAsync("/can-bo/tiep-nhan/moi", new FormUrlEncodedContent(Huong(world.Citizens.ProcedureCode)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
