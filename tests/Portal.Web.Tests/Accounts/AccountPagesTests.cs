using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Core.Identity;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Accounts;

// The /tai-khoan pages and the token-protected API through the real application (TestServer + PostgreSQL).
[Collection("db")]
public sealed class AccountPagesTests(PostgresFixture db)
{
    HttpClient Client() => db.Portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    static Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) => Staff.ParseAsync(response);

    static List<(string?, string)> Summary(IHtmlDocument page) =>
        page.QuerySelectorAll(".error-summary li a").Select(a => (a.GetAttribute("href"), a.TextContent)).ToList();

    [Fact]
    public async Task The_register_form_lists_every_problem_beside_its_field_and_keeps_what_was_typed()
    {
        var client = Client();
        var response = await Staff.PostFormAsync(client, "/tai-khoan/dang-ky", "/tai-khoan/dang-ky", new()
        {
            ["Kind"] = ApplicantKinds.Individual, ["FullName"] = "Lê Thị Hoa", ["BirthDate"] = "31/02/1990", ["IdNumber"] = "12345",
            ["Address"] = "", ["Email"] = "hoa@", ["Phone"] = "0912 345", ["Password"] = "ngan",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await ParseAsync(response);
        Assert.StartsWith("Lỗi: Đăng ký tài khoản", page.Title);
        Assert.Equal("Có thông tin cần sửa", page.QuerySelector(".error-summary h2")!.TextContent);
        Assert.Equal(
        [
            ("#birthDate", "Nhập ngày sinh là một ngày có thật theo dạng ngày/tháng/năm, ví dụ 05/03/1990."),
            ("#idNumber", "Số căn cước công dân phải gồm đúng 12 chữ số, ví dụ 001090012345."),
            ("#address", "Nhập địa chỉ của bạn (số nhà, đường, xã/phường, tỉnh/thành phố)."),
            ("#email", "Nhập email đúng dạng, ví dụ ten@example.com."),
            ("#phone", "Nhập số điện thoại di động gồm 10 chữ số, ví dụ 0912 345 678."),
            ("#password", "Mật khẩu phải có ít nhất 12 ký tự."),
            ("#password", "Mật khẩu phải có cả chữ và số."),
        ], Summary(page));
        foreach (var id in new[] { "birthDate", "idNumber", "address", "email", "phone", "password" })
        {
            var input = page.QuerySelector<IHtmlInputElement>("#" + id)!;
            Assert.Equal("true", input.GetAttribute("aria-invalid"));
            Assert.Contains(id + "-error", input.GetAttribute("aria-describedby"));
            Assert.StartsWith("Lỗi:", page.QuerySelector($"#{id}-error")!.TextContent.Trim());
        }
        Assert.Equal("Lê Thị Hoa", page.QuerySelector<IHtmlInputElement>("#fullName")!.Value);
        Assert.Equal("31/02/1990", page.QuerySelector<IHtmlInputElement>("#birthDate")!.Value);
        Assert.Equal("0912 345", page.QuerySelector<IHtmlInputElement>("#phone")!.Value);
        Assert.True(page.QuerySelector<IHtmlInputElement>("#kind")!.IsChecked);
        Assert.Equal("", page.QuerySelector<IHtmlInputElement>("#password")!.Value);
        Assert.NotNull(page.QuerySelector("form[novalidate]"));
    }

    [Fact]
    public async Task An_organisation_without_details_is_asked_for_each_of_them()
    {
        var page = await ParseAsync(await Staff.PostFormAsync(Client(), "/tai-khoan/dang-ky", "/tai-khoan/dang-ky", new()
        {
            ["Kind"] = ApplicantKinds.Organisation, ["TaxCode"] = "0101", ["Email"] = $"dn{Given.Next()}@example.vn", ["Password"] = Citizens.Password,
        }));
        Assert.Equal(["#organisationName", "#taxCode", "#representative", "#address"], Summary(page).Select(e => e.Item1));
        Assert.Equal("0101", page.QuerySelector<IHtmlInputElement>("#taxCode")!.Value);
    }

    [Fact]
    public async Task Registering_signs_the_person_in_and_returns_to_where_they_were()
    {
        var client = Client();
        var email = $"dangky{Given.Next()}@example.vn";
        var response = await Staff.PostFormAsync(client, "/tai-khoan/dang-ky?quay-lai=%2Fthu-tuc", "/tai-khoan/dang-ky", new()
        {
            ["Kind"] = ApplicantKinds.Organisation, ["OrganisationName"] = "Công ty TNHH Đăng Ký", ["TaxCode"] = "0101234567-001",
            ["Representative"] = "Hoàng Văn Minh", ["Address"] = "Số 3 đường Hùng Vương", ["Email"] = email, ["Password"] = Citizens.Password,
            ["quay-lai"] = "/thu-tuc",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/thu-tuc", response.Headers.Location!.ToString());

        var account = await ParseAsync(await client.GetAsync("/tai-khoan"));
        Assert.Contains("Công ty TNHH Đăng Ký", account.QuerySelector(".summary-list")!.TextContent);
        Assert.Contains("0101234567001", account.QuerySelector(".summary-list")!.TextContent);
        Assert.Contains(account.QuerySelectorAll(".site-nav a"), a => a.GetAttribute("href") == "/tai-khoan");
        Assert.Contains(account.QuerySelectorAll(".site-nav a"), a => a.GetAttribute("href") == "/ho-so" && a.TextContent == "Hồ sơ của tôi");
        Assert.Null(account.QuerySelector(".staff-bar"));

        var again = await ParseAsync(await Staff.PostFormAsync(Client(), "/tai-khoan/dang-ky", "/tai-khoan/dang-ky", new()
        {
            ["Kind"] = ApplicantKinds.Individual, ["FullName"] = "Người Khác", ["BirthDate"] = "1/1/1980", ["IdNumber"] = "001080000001",
            ["Address"] = "Bình Sơn", ["Email"] = email.ToUpperInvariant(), ["Password"] = Citizens.Password,
        }));
        Assert.Equal([("#email", "Email này đã được dùng để đăng ký. Hãy đăng nhập hoặc đặt lại mật khẩu.")], Summary(again));
    }

    [Fact]
    public async Task A_return_url_to_another_site_is_ignored()
    {
        var (_, login, password) = await Citizens.CreateAsync(db);
        var response = await Staff.PostFormAsync(Client(), "/tai-khoan/dang-nhap", "/tai-khoan/dang-nhap",
            new() { ["Login"] = login, ["Password"] = password, ["quay-lai"] = "//evil.example/x" });
        Assert.Equal("/ho-so", response.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("/tai-khoan", "/tai-khoan")]
    [InlineData("/ho-so/nop/1.000001.H99?buoc=2", "/ho-so/nop/1.000001.H99?buoc=2")]
    [InlineData("//evil.example/x", "/ho-so")]
    [InlineData("/\\evil.example", "/ho-so")]
    [InlineData("/\t/evil.example", "/ho-so")]
    [InlineData("https://evil.example/", "/ho-so")]
    [InlineData("", "/ho-so")]
    [InlineData(null, "/ho-so")]
    public void Only_local_return_urls_are_followed(string? url, string expected) =>
        Assert.Equal(expected, CitizenAuth.SafeReturnUrl(url));

    [Fact]
    public async Task Citizen_sign_in_registration_and_reset_requests_share_the_per_address_limit()
    {
        using var limited = db.Portal.WithWebHostBuilder(b => b.UseSetting("Portal:SignInAttemptsPerMinute", "3"));
        var client = limited.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var statuses = new List<HttpStatusCode>
        {
            (await Citizens.SignInAsync(client, "khongco@example.vn", "sai-mat-khau-1")).StatusCode,
            (await Staff.PostFormAsync(client, "/tai-khoan/dang-ky", "/tai-khoan/dang-ky", [])).StatusCode,
            (await Staff.PostFormAsync(client, "/tai-khoan/quen-mat-khau", "/tai-khoan/quen-mat-khau", new() { ["Login"] = "khongco@example.vn" })).StatusCode,
            (await Citizens.SignInAsync(client, "khongco@example.vn", "sai-mat-khau-2")).StatusCode,
        };
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Citizens_sign_in_with_their_email_or_phone_number()
    {
        var phone = $"09{Given.Next() % 100_000_000:00000000}";
        var (_, email, password) = await Citizens.CreateAsync(db, email: $"sdt{Given.Next()}@example.vn", phone: phone);

        var byEmail = await Citizens.SignInAsync(Client(), email, password);
        Assert.Equal(HttpStatusCode.Redirect, byEmail.StatusCode);
        Assert.Equal("/ho-so", byEmail.Headers.Location!.ToString());

        var client = Client();
        var byPhone = await Citizens.SignInAsync(client, $"{phone[..4]} {phone[4..7]} {phone[7..]}", password);
        Assert.Equal(HttpStatusCode.Redirect, byPhone.StatusCode);
        var cookie = byPhone.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("portal.citizen="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/tai-khoan")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_explained_and_five_lock_the_account()
    {
        var (_, login, password) = await Citizens.CreateAsync(db);
        var client = Client();

        var wrong = await ParseAsync(await Citizens.SignInAsync(client, login, "sai-mat-khau-1"));
        Assert.Equal([("#password", "Email, số điện thoại hoặc mật khẩu không đúng.")], Summary(wrong));
        Assert.Equal(login, wrong.QuerySelector<IHtmlInputElement>("#login")!.Value);
        Assert.StartsWith("Lỗi: ", wrong.Title);

        for (var i = 2; i <= Applicants.MaxFailures; i++) await Citizens.SignInAsync(client, login, $"sai-mat-khau-{i}");
        var locked = await ParseAsync(await Citizens.SignInAsync(client, login, password));
        Assert.Equal([("#login", "Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. Hãy thử lại sau 15 phút, hoặc đặt lại mật khẩu.")], Summary(locked));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/tai-khoan")).StatusCode);
    }

    [Fact]
    public async Task The_sign_in_page_offers_registration_password_reset_and_mentions_VNeID()
    {
        var (response, page) = await db.Portal.GetPageAsync("/tai-khoan/dang-nhap?quay-lai=%2Fthu-tuc");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(page.QuerySelectorAll("a"), a => a.GetAttribute("href") == "/tai-khoan/dang-ky?quay-lai=%2Fthu-tuc");
        Assert.Contains(page.QuerySelectorAll("a"), a => a.GetAttribute("href") == "/tai-khoan/quen-mat-khau");
        Assert.Contains("VNeID", page.QuerySelector("main")!.TextContent);
        Assert.Contains(page.QuerySelectorAll(".site-nav a"), a => a.GetAttribute("href") == "/tai-khoan/dang-nhap" && a.TextContent == "Đăng nhập");
        Assert.Null(page.QuerySelector("input[onpaste]"));
    }

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_sign_in_with_the_page_to_return_to()
    {
        var response = await Client().GetAsync("/tai-khoan");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("http://localhost/tai-khoan/dang-nhap?quay-lai=%2Ftai-khoan", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_staff_session_is_not_an_applicant_session()
    {
        var client = Client();
        await Staff.SignInAsync(client, await Staff.CreateAsync(db, StaffRoles.Administrator));
        var response = await client.GetAsync("/tai-khoan");
        Assert.StartsWith("http://localhost/tai-khoan/dang-nhap", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        var (_, login, password) = await Citizens.CreateAsync(db);
        var response = await Client().PostAsync("/tai-khoan/dang-nhap",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Login"] = login, ["Password"] = password }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_the_sessions_of_other_browsers()
    {
        var (_, login, password) = await Citizens.CreateAsync(db);
        var phone = Client();
        var laptop = Client();
        await Citizens.SignInAsync(phone, login, password);
        await Citizens.SignInAsync(laptop, login, password);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/tai-khoan")).StatusCode);

        var signedOut = await Staff.PostFormAsync(laptop, "/tai-khoan", "/tai-khoan?handler=SignOutEverywhere", []);
        Assert.Equal("/tai-khoan/dang-nhap?moi-thiet-bi=1", signedOut.Headers.Location!.ToString());

        Assert.Equal(HttpStatusCode.Redirect, (await phone.GetAsync("/tai-khoan")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await laptop.GetAsync("/tai-khoan")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var (_, login, password) = await Citizens.CreateAsync(db);
        var client = Client();
        await Citizens.SignInAsync(client, login, password);
        var response = await Staff.PostFormAsync(client, "/tai-khoan", "/tai-khoan/dang-xuat", []);
        Assert.Equal("/tai-khoan/dang-nhap?da-dang-xuat=1", response.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/tai-khoan")).StatusCode);
    }

    [Fact]
    public async Task Changing_the_password_keeps_this_browser_and_ends_the_others()
    {
        var (_, login, password) = await Citizens.CreateAsync(db);
        var here = Client();
        var elsewhere = Client();
        await Citizens.SignInAsync(here, login, password);
        await Citizens.SignInAsync(elsewhere, login, password);

        var changed = await Staff.PostFormAsync(here, "/tai-khoan", "/tai-khoan?handler=Password",
            new() { ["CurrentPassword"] = password, ["NewPassword"] = "mat-khau-moi-2027" });
        Assert.Equal("/tai-khoan?da-luu=mat-khau", changed.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync("/tai-khoan")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await elsewhere.GetAsync("/tai-khoan")).StatusCode);
    }

    [Fact]
    public async Task The_profile_form_saves_details_and_shows_problems_with_what_was_typed()
    {
        var (id, login, password) = await Citizens.CreateAsync(db);
        var client = Client();
        await Citizens.SignInAsync(client, login, password);

        var bad = await ParseAsync(await Staff.PostFormAsync(client, "/tai-khoan", "/tai-khoan?handler=Details", new()
        {
            ["FullName"] = "Nguyễn Thị Mới", ["BirthDate"] = "5/3/1990", ["IdNumber"] = "00119", ["Address"] = "Địa chỉ mới",
        }));
        Assert.Equal([("#idNumber", "Số căn cước công dân phải gồm đúng 12 chữ số, ví dụ 001090012345.")], Summary(bad));
        Assert.Equal("Nguyễn Thị Mới", bad.QuerySelector<IHtmlInputElement>("#fullName")!.Value);

        var saved = await Staff.PostFormAsync(client, "/tai-khoan", "/tai-khoan?handler=Details", new()
        {
            ["FullName"] = "Nguyễn Thị Mới", ["BirthDate"] = "5/3/1990", ["IdNumber"] = "001190099999", ["Address"] = "Địa chỉ mới",
        });
        Assert.Equal("/tai-khoan?da-luu=thong-tin", saved.Headers.Location!.ToString());
        var page = await ParseAsync(await client.GetAsync("/tai-khoan?da-luu=thong-tin"));
        Assert.Contains("Đã lưu thông tin", page.QuerySelector(".success-banner")!.TextContent);
        Assert.Contains("001190099999", page.QuerySelector(".summary-list")!.TextContent);
        Assert.Equal("Nguyễn Thị Mới", (await new Applicants(db.DataSource, TimeProvider.System).FindAsync(id, default))!.FullName);
    }

    [Fact]
    public async Task Forgot_password_answers_the_same_whether_or_not_the_account_exists()
    {
        var (_, login, _) = await Citizens.CreateAsync(db);
        var known = await Staff.PostFormAsync(Client(), "/tai-khoan/quen-mat-khau", "/tai-khoan/quen-mat-khau", new() { ["Login"] = login });
        var unknown = await Staff.PostFormAsync(Client(), "/tai-khoan/quen-mat-khau", "/tai-khoan/quen-mat-khau",
            new() { ["Login"] = $"khongco{Given.Next()}@example.vn" });

        Assert.Equal(HttpStatusCode.Redirect, known.StatusCode);
        Assert.Equal(known.Headers.Location, unknown.Headers.Location);
        Assert.Equal(await known.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var link = await conn.ExecuteScalarAsync<string>(
            "SELECT data->>'link' FROM portal.outbox_messages WHERE kind = 'password-reset' AND recipient = @login", new { login });
        Assert.StartsWith("http://localhost/tai-khoan/dat-lai-mat-khau?ma=", link);

        // The link from the e-mail: a new password, then the link is spent.
        var resetUrl = link![link!.IndexOf("/tai-khoan", StringComparison.Ordinal)..];
        var client = Client();
        var form = await ParseAsync(await client.GetAsync(resetUrl));
        Assert.Equal("Đặt mật khẩu mới", form.QuerySelector("h1")!.TextContent);
        var done = await Staff.PostFormAsync(client, resetUrl, resetUrl, new() { ["Password"] = "mat-khau-dat-lai-2026" });
        Assert.Equal("/tai-khoan/dang-nhap?da-dat-lai=1", done.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await Citizens.SignInAsync(Client(), login, "mat-khau-dat-lai-2026")).StatusCode);
        var spent = await ParseAsync(await Client().GetAsync(resetUrl));
        Assert.Equal("Liên kết không còn dùng được", spent.QuerySelector("h1")!.TextContent);
    }

    static HttpRequestMessage Me(string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    [Fact]
    public async Task An_api_token_is_shown_once_works_as_a_bearer_token_and_stops_when_revoked()
    {
        var (id, login, password) = await Citizens.CreateAsync(db, kind: ApplicantKinds.Organisation);
        var client = Client();
        await Citizens.SignInAsync(client, login, password);

        var createdResponse = await Staff.PostFormAsync(client, "/tai-khoan", "/tai-khoan?handler=CreateToken", new() { ["TokenName"] = "Phần mềm kế toán" });
        Assert.True(createdResponse.Headers.CacheControl!.NoStore);
        var created = await ParseAsync(createdResponse);
        var token = created.QuerySelector("#ma-moi")!.TextContent;
        Assert.Matches("^pt_[A-Za-z0-9_-]{43}$", token);
        Assert.Contains("lần duy nhất", created.QuerySelector(".panel")!.TextContent);

        var later = await ParseAsync(await client.GetAsync("/tai-khoan"));
        Assert.Null(later.QuerySelector("#ma-moi"));
        Assert.DoesNotContain(token, later.DocumentElement!.OuterHtml);
        var row = Assert.Single(later.QuerySelectorAll("tbody tr"));
        Assert.Contains("Phần mềm kế toán", row.TextContent);
        Assert.Contains(token[..9], row.TextContent);
        Assert.Contains("Chưa dùng", row.TextContent);

        var api = db.Portal.CreateClient();
        var me = await api.SendAsync(Me(token));
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(id.ToString(), JsonDocument.Parse(await me.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString());
        Assert.DoesNotContain("Chưa dùng", (await ParseAsync(await client.GetAsync("/tai-khoan"))).QuerySelector("tbody tr")!.TextContent);

        var tokenId = (await new Applicants(db.DataSource, TimeProvider.System).TokensAsync(id, default)).Single().Id;
        var revoked = await Staff.PostFormAsync(client, "/tai-khoan", "/tai-khoan?handler=RevokeToken", new() { ["TokenId"] = tokenId.ToString() });
        Assert.Equal("/tai-khoan?da-luu=thu-hoi#ma-truy-cap", revoked.Headers.Location!.ToString());

        var refused = await api.SendAsync(Me(token));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.Contains("thu hồi", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Another_applicant_cannot_revoke_a_token()
    {
        var (owner, _, _) = await Citizens.CreateAsync(db);
        var token = await new Applicants(db.DataSource, TimeProvider.System).CreateTokenAsync(owner, "Của chủ tài khoản", default);
        var (_, login, password) = await Citizens.CreateAsync(db);
        var intruder = Client();
        await Citizens.SignInAsync(intruder, login, password);

        var response = await Staff.PostFormAsync(intruder, "/tai-khoan", "/tai-khoan?handler=RevokeToken", new() { ["TokenId"] = token.Id.ToString() });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("không còn hiệu lực", (await ParseAsync(response)).QuerySelector(".error-summary")!.TextContent);
        Assert.Equal(HttpStatusCode.OK, (await db.Portal.CreateClient().SendAsync(Me(token.Token))).StatusCode);
    }

    [Fact]
    public async Task The_api_answers_a_missing_token_with_a_401_problem_not_a_redirect()
    {
        var response = await Client().SendAsync(Me(null));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Chưa xác thực", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client().SendAsync(Me("pt_khong-co-ma-nay"))).StatusCode);
    }
}
