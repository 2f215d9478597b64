using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Core.Identity;
using Portal.Core.Signatures;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Pages.Admin;

[Collection("db")]
public sealed class TrustStorePageTests(PostgresFixture db)
{
    const string Page = "/quan-tri/kho-tin-cay";

    async Task<HttpClient> AdministratorAsync()
    {
        var client = db.Portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await Staff.SignInAsync(client, await Staff.CreateAsync(db, StaffRoles.Administrator))).StatusCode);
        return client;
    }

    static X509Certificate2 Certificate(bool ca)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN=CA kiểm thử {Given.Next()}, O=Portal Tests, C=VN", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, false, 0, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
    }

    static async Task<HttpResponseMessage> AddAsync(HttpClient client, X509Certificate2? cert, string? role, string note)
    {
        var form = new MultipartFormDataContent { { new StringContent(await Staff.TokenAsync(client, Page)), "__RequestVerificationToken" } };
        if (cert is not null) form.Add(new StringContent(cert.ExportCertificatePem()), "certificate", "ca.pem");
        if (role is not null) form.Add(new StringContent(role), "Role");
        form.Add(new StringContent(note), "Note");
        return await client.PostAsync(Page + "?handler=Add", form);
    }

    [Fact]
    public async Task Only_administrators_see_the_trust_store()
    {
        var anonymous = await db.Portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync(Page);
        Assert.StartsWith("http://localhost/can-bo/dang-nhap", anonymous.Headers.Location!.ToString());

        var specialist = db.Portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await Staff.SignInAsync(specialist, await Staff.CreateAsync(db, "specialist"));
        Assert.StartsWith("http://localhost/loi/403", (await specialist.GetAsync(Page)).Headers.Location!.ToString());
    }

    [Fact]
    public async Task The_page_lists_the_shipped_anchors_with_their_pinned_fingerprints()
    {
        var page = await Staff.ParseAsync(await (await AdministratorAsync()).GetAsync(Page));
        var text = page.QuerySelector("#danh-sach + table")!.TextContent;
        foreach (var (_, _, sha256) in TrustStore.Shipped) Assert.Contains(sha256, text);
    }

    [Fact]
    public async Task An_added_anchor_is_trusted_by_the_next_verification_and_a_removal_is_audited()
    {
        var client = await AdministratorAsync();
        var cert = Certificate(ca: true);
        var store = db.Portal.Services.GetService(typeof(SignatureStore)) as SignatureStore;
        Assert.False((await store!.VerifierAsync(default)).Trust.IsAnchor(cert));

        var added = await AddAsync(client, cert, "anchor", "Kiểm thử, tải ngày 22/11/2026");
        Assert.Equal(Page + "?da-luu=them", added.Headers.Location!.ToString());
        Assert.True((await store.VerifierAsync(default)).Trust.IsAnchor(cert));

        var removed = await Staff.PostFormAsync(client, Page, Page + "?handler=Remove", new() { ["RemoveSha256"] = TrustStore.Fingerprint(cert) });
        Assert.Equal(Page + "?da-luu=go", removed.Headers.Location!.ToString());
        Assert.False((await store.VerifierAsync(default)).Trust.IsAnchor(cert));
        var audit = await Staff.ParseAsync(await client.GetAsync(Page));
        Assert.Contains(audit.QuerySelectorAll("tbody tr"), tr => tr.TextContent.Contains(TrustStore.Fingerprint(cert)) && tr.TextContent.Contains("Đã gỡ bởi"));
    }

    [Fact]
    public async Task Every_problem_is_listed_at_once_and_nothing_is_saved()
    {
        var client = await AdministratorAsync();
        var response = await AddAsync(client, Certificate(ca: false), role: null, note: " ");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var links = (await Staff.ParseAsync(response)).QuerySelectorAll(".error-summary a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["#vai-tro-goc", "#ghi-chu"], links);

        var notCa = await Staff.ParseAsync(await AddAsync(client, Certificate(ca: false), "intermediate", "Kiểm thử"));
        Assert.Contains("không phải của tổ chức chứng thực", notCa.QuerySelector(".error-summary")!.TextContent);
        Assert.Equal("#chung-thu", notCa.QuerySelector(".error-summary a")!.GetAttribute("href"));
    }
}
