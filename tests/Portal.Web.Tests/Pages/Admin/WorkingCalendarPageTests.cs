using System.Net;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Core.Deadlines;
using Portal.Core.Identity;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Pages.Admin;

[Collection("db")]
public sealed class WorkingCalendarPageTests(PostgresFixture db)
{
    PortalFactory portal => db.Portal;
    const string Password = Staff.Password;

    HttpClient Client() => portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    static Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) => Staff.ParseAsync(response);

    Task<string> StaffAsync(params string[] roles) => Staff.CreateAsync(db, roles);

    static Task<HttpResponseMessage> PostFormAsync(HttpClient client, string pageUrl, string action, Dictionary<string, string> fields) =>
        Staff.PostFormAsync(client, pageUrl, action, fields);

    static Task<HttpResponseMessage> SignInAsync(HttpClient client, string login, string password) => Staff.SignInAsync(client, login, password);

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_the_sign_in_page()
    {
        var response = await Client().GetAsync("/quan-tri/lich-lam-viec?nam=2026");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/can-bo/dang-nhap?quay-lai=%2Fquan-tri%2Flich-lam-viec", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Staff_without_the_administrator_role_are_refused()
    {
        var client = Client();
        var signIn = await SignInAsync(client, await StaffAsync("specialist"), Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        var response = await client.GetAsync("/quan-tri/lich-lam-viec");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/loi/403", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_wrong_password_is_explained_and_repeated_failures_lock_the_account()
    {
        var login = await StaffAsync(StaffRoles.Administrator);
        var client = Client();

        var wrong = await SignInAsync(client, login, "sai-mat-khau-1");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        var page = await ParseAsync(wrong);
        Assert.Equal("Tên đăng nhập hoặc mật khẩu không đúng.", page.QuerySelector(".error-summary li")!.TextContent.Trim());
        Assert.Equal(login, page.QuerySelector<IHtmlInputElement>("#login")!.Value);
        Assert.StartsWith("Lỗi: ", page.Title);

        for (var i = 2; i <= StaffAccounts.MaxFailures; i++) await SignInAsync(client, login, $"sai-mat-khau-{i}");
        var locked = await ParseAsync(await SignInAsync(client, login, Password));   // right password, but locked
        Assert.Contains("Tài khoản tạm khóa", locked.QuerySelector(".error-summary")!.TextContent);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/quan-tri/lich-lam-viec")).StatusCode);
    }

    [Fact]
    public async Task An_administrator_sees_the_year_and_adds_and_removes_a_decision_with_an_audit_trail()
    {
        var client = Client();
        var login = await StaffAsync(StaffRoles.Administrator);
        var signIn = await SignInAsync(client, login, Password);
        Assert.Equal("/quan-tri/lich-lam-viec", signIn.Headers.Location!.ToString());

        var year2026 = await ParseAsync(await client.GetAsync("/quan-tri/lich-lam-viec?nam=2026"));
        Assert.Equal("Lịch làm việc năm 2026", year2026.QuerySelector("h1")!.TextContent);
        Assert.Contains("17/02/2026", year2026.QuerySelector(".summary-list")!.TextContent);
        Assert.Contains(year2026.QuerySelectorAll("tbody th"), th => th.TextContent == "Thứ Bảy, 22/08/2026");

        // A Monday far away, so that the shared calendar other tests read does not change.
        var day = Portal.Web.Tests.Deadlines.CalendarStoreTests.FreeMonday();
        var page = $"/quan-tri/lich-lam-viec?nam={day.Year}";
        var added = await PostFormAsync(client, page, "/quan-tri/lich-lam-viec?handler=Add", new()
        {
            ["Day"] = day.ToString("yyyy-MM-dd"), ["Kind"] = "bridge-day-off",
            ["Reason"] = "Nghỉ hoán đổi (kiểm thử)", ["Source"] = "Thông báo kiểm thử số 1", ["nam"] = day.Year.ToString(),
        });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var after = await ParseAsync(await client.GetAsync(added.Headers.Location!.ToString()));
        Assert.Contains("Đã thêm quyết định.", after.QuerySelector(".success-banner")!.TextContent);
        Assert.Contains(after.QuerySelectorAll("#quyet-dinh + table tbody tr"), tr => tr.TextContent.Contains("Nghỉ hoán đổi (kiểm thử)") && tr.TextContent.Contains(login));

        var id = (await new CalendarStore(db.DataSource).DecisionsAsync(day.Year, default)).Single(d => d.Day == day).Id;
        var removed = await PostFormAsync(client, page, "/quan-tri/lich-lam-viec?handler=Remove", new()
        {
            ["RemoveId"] = id.ToString(), ["RemoveReason"] = "Nhập nhầm", ["nam"] = day.Year.ToString(),
        });
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        var final = await ParseAsync(await client.GetAsync(removed.Headers.Location!.ToString()));
        Assert.Contains(final.QuerySelectorAll("#quyet-dinh + table tbody tr"), tr => tr.TextContent.Contains("Lý do: Nhập nhầm"));
        Assert.Contains("Gỡ \"Nghỉ hoán đổi (kiểm thử)\"", final.Body!.TextContent);
    }

    [Fact]
    public async Task A_decision_with_problems_is_not_saved_and_the_answers_are_kept()
    {
        var client = Client();
        await SignInAsync(client, await StaffAsync(StaffRoles.Administrator), Password);

        var response = await PostFormAsync(client, "/quan-tri/lich-lam-viec", "/quan-tri/lich-lam-viec?handler=Add", new()
        {
            ["Day"] = "2026-08-21", ["Kind"] = "working-day", ["Reason"] = "Làm bù thử", ["Source"] = "",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await ParseAsync(response);
        var errors = page.QuerySelectorAll(".error-summary li a").Select(a => (a.GetAttribute("href"), a.TextContent)).ToList();
        Assert.Equal([("#can-cu", "Nhập văn bản quyết định (số, ngày, cơ quan ban hành).")], errors);
        Assert.Equal("Làm bù thử", page.QuerySelector<IHtmlInputElement>("#ly-do")!.Value);
        Assert.Equal("2026-08-21", page.QuerySelector<IHtmlInputElement>("#ngay")!.Value);
        Assert.Equal("working-day", page.QuerySelector<IHtmlSelectElement>("#loai")!.Value);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        var client = Client();
        await SignInAsync(client, await StaffAsync(StaffRoles.Administrator), Password);
        // A reason no other test writes: other tests add decisions on far-future days of their own, 2095 among them.
        var reason = $"không có mã chống giả mạo {Given.Next()}";
        var response = await client.PostAsync("/quan-tri/lich-lam-viec?handler=Add", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Day"] = "2095-01-02", ["Kind"] = "holiday", ["Reason"] = reason, ["Source"] = "y",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(await new CalendarStore(db.DataSource).DecisionsAsync(2095, default), d => d.Reason == reason);
    }

    [Fact]
    public async Task Sign_in_attempts_are_rate_limited_per_address()
    {
        using var limited = portal.WithWebHostBuilder(b => b.UseSetting("Portal:SignInAttemptsPerMinute", "3"));
        var client = limited.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) statuses.Add((await SignInAsync(client, "khong-co-ai", "sai-mat-khau")).StatusCode);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        var page = await ParseAsync(await SignInAsync(client, "khong-co-ai", "sai-mat-khau"));
        Assert.Equal("Quá nhiều yêu cầu", page.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var client = Client();
        await SignInAsync(client, await StaffAsync(StaffRoles.Administrator), Password);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/quan-tri/lich-lam-viec")).StatusCode);

        var signOut = await PostFormAsync(client, "/quan-tri/lich-lam-viec", "/can-bo/dang-xuat", []);
        Assert.Equal("/can-bo/dang-nhap?da-dang-xuat=1", signOut.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/quan-tri/lich-lam-viec")).StatusCode);
    }

    [Fact]
    public async Task A_password_reset_ends_open_sessions()
    {
        var client = Client();
        var login = await StaffAsync(StaffRoles.Administrator);
        await SignInAsync(client, login, Password);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/quan-tri/lich-lam-viec")).StatusCode);

        Assert.Empty(await new StaffAccounts(db.DataSource).CreateAsync(login, "Nguyễn Văn Kiểm", "mat-khau-moi-2027", [StaffRoles.Administrator], null, default));

        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/quan-tri/lich-lam-viec")).StatusCode);
    }
}
