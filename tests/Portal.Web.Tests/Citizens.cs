using Portal.Core.Identity;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests;

// Citizen and organisation accounts and signed-in clients, for any page or API test that needs an applicant.
public static class Citizens
{
    public const string Password = "mat-khau-cong-dan-2026";

    /// <summary>A new account through the production code; login is its e-mail (or its phone when only a phone is given).</summary>
    public static async Task<(Guid Id, string Login, string Password)> CreateAsync(PostgresFixture db,
        string kind = ApplicantKinds.Individual, string? email = null, string? phone = null, string password = Password,
        string? name = null)
    {
        var n = Given.Next();
        email ??= phone is null ? $"congdan{n}@example.vn" : null;
        var details = kind == ApplicantKinds.Organisation
            ? new ApplicantDetails { Kind = kind, FullName = name ?? $"Công ty TNHH Kiểm Thử {n}", TaxCode = $"01{n:00000000}", Representative = "Trần Văn Đại Diện", Address = "Số 1 đường Thử nghiệm, phường Bình Sơn" }
            : new ApplicantDetails { Kind = kind, FullName = name ?? "Nguyễn Thị Kiểm Thử", BirthDate = "05/03/1990", IdNumber = $"0011{n:00000000}", Address = "Số 2 đường Thử nghiệm, xã Bình An" };
        var (applicant, problems) = await new Applicants(db.DataSource, TimeProvider.System).RegisterAsync(
            new Registration { Details = details, Email = email ?? "", Phone = phone ?? "", Password = password }, default);
        Assert.Empty(problems);
        return (applicant!.Id, email ?? applicant.Phone!, password);
    }

    /// <summary>Posts the citizen sign-in form as a browser would (the client keeps the cookie).</summary>
    public static Task<HttpResponseMessage> SignInAsync(HttpClient client, string login, string password = Password) =>
        Staff.PostFormAsync(client, "/tai-khoan/dang-nhap", "/tai-khoan/dang-nhap", new() { ["Login"] = login, ["Password"] = password });
}
