using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Portal.Web.Tests.Dossiers;

// A citizen's browser as the pages see it: a cookie jar, no redirects followed automatically (tests assert them),
// and form posts that send back the page's antiforgery token the way a browser does.
public sealed class Journey(HttpClient client)
{
    public HttpClient Client { get; } = client;

    public static Journey For(WebApplicationFactory<Program> portal) =>
        new(portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    public async Task<IHtmlDocument> PageAsync(string url)
    {
        var response = await Client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {response.Headers.Location}");
        return await Staff.ParseAsync(response);
    }

    public static string Token(IHtmlDocument page) =>
        page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

    /// <summary>Posts a form of the page at <paramref name="url"/> (its main form — not a file upload, not a row's inline button — unless an action is given) with these fields.</summary>
    public async Task<HttpResponseMessage> PostAsync(string url, Dictionary<string, string> fields, string? action = null)
    {
        var page = await PageAsync(url);
        var form = action is null ? page.QuerySelectorAll("form[method=post]").Last(f => f.GetAttribute("enctype") is null && !f.ClassList.Contains("inline-form")) : null;
        var target = action ?? form!.GetAttribute("action") ?? url;
        if (target == "") target = url;
        var values = new Dictionary<string, string>();
        if (form is not null)
            foreach (var hidden in form.QuerySelectorAll("input[type=hidden]"))
                values[hidden.GetAttribute("name")!] = hidden.GetAttribute("value") ?? "";
        foreach (var (k, v) in fields) values[k] = v;
        values["__RequestVerificationToken"] = Token(page);
        return await Client.PostAsync(target, new FormUrlEncodedContent(values));
    }

    /// <summary>Uploads files through the document page's form: the token first, as the page's form sends it.</summary>
    public async Task<HttpResponseMessage> UploadAsync(string documentUrl, params (string Name, byte[] Bytes)[] files)
    {
        var page = await PageAsync(documentUrl);
        var form = page.QuerySelector("form[data-upload]")!;
        var content = new MultipartFormDataContent { { new StringContent(Token(page)), "__RequestVerificationToken" } };
        foreach (var (name, bytes) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Add(part, "files", name);
        }
        return await Client.PostAsync(form.GetAttribute("action"), content);
    }

    public static string Location(HttpResponseMessage response) =>
        response.Headers.Location?.OriginalString ?? throw new InvalidOperationException($"No redirect: {(int)response.StatusCode}");
}
