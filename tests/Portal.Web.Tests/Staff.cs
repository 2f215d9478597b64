using AngleSharp;
using AngleSharp.Html.Dom;
using Portal.Core.Identity;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests;

// Staff accounts and signed-in clients for the administration pages' tests.
public static class Staff
{
    public const string Password = "mat-khau-kiem-thu-2026";

    public static async Task<string> CreateAsync(PostgresFixture db, params string[] roles)
    {
        var login = $"canbo{Given.Next()}";
        Assert.Empty(await new StaffAccounts(db.DataSource).CreateAsync(login, "Nguyễn Văn Kiểm", Password, roles, null, default));
        return login;
    }

    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) =>
        (IHtmlDocument)await BrowsingContext.New(Configuration.Default).OpenAsync(r => r.Content(response.Content.ReadAsStream()));

    /// <summary>The page's antiforgery token, as a browser would send it back.</summary>
    public static async Task<string> TokenAsync(HttpClient client, string pageUrl) =>
        (await ParseAsync(await client.GetAsync(pageUrl))).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string pageUrl, string action, Dictionary<string, string> fields) =>
        await client.PostAsync(action, new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", await TokenAsync(client, pageUrl)))));

    public static Task<HttpResponseMessage> SignInAsync(HttpClient client, string login, string password = Password) =>
        PostFormAsync(client, "/can-bo/dang-nhap", "/can-bo/dang-nhap", new() { ["Login"] = login, ["Password"] = password });
}
