using System.Security.Cryptography;

namespace Portal.Core.Identity;

/// <summary>
/// The demo's citizen and organisation (demo data only, ./run.sh): created on the first run, reset on later ones — new
/// password, details as below, earlier tokens revoked and one new token — so the credentials file is always right.
/// </summary>
public static class DemoApplicants
{
    public sealed record Demo(string Role, string Email, string? Phone, ApplicantDetails Details);

    public static readonly IReadOnlyList<Demo> All =
    [
        new("citizen", "congdan@demo.binhson.vn", "0912000001", new ApplicantDetails
        {
            Kind = ApplicantKinds.Individual, FullName = "Nguyễn Thị Demo", BirthDate = "15/08/1990", IdNumber = "001190000001",
            Address = "Số 1 đường Trần Phú, phường Bình Sơn, tỉnh Bình Sơn",
        }),
        new("organisation", "doanhnghiep@demo.binhson.vn", null, new ApplicantDetails
        {
            Kind = ApplicantKinds.Organisation, FullName = "Công ty TNHH Demo Bình Sơn", TaxCode = "0109999999",
            Representative = "Nguyễn Văn Đại Diện", Address = "Số 2 đường Lê Lợi, phường Bình Sơn, tỉnh Bình Sơn",
        }),
    ];

    public static async Task<(string Login, string Password, string ApiToken)> EnsureAsync(Applicants applicants, Demo demo, CancellationToken ct)
    {
        var password = NewPassword();
        Guid id;
        if (await applicants.FindByLoginAsync(demo.Email, ct) is { } existing)
        {
            id = existing.Id;
            Throw(await applicants.UpdateDetailsAsync(id, demo.Details, ct));
            Throw((await applicants.SetPasswordAsync(id, password, ct)).Select(p => ("password", p)).ToList());
            foreach (var token in await applicants.TokensAsync(id, ct)) await applicants.RevokeTokenAsync(id, token.Id, ct);
        }
        else
        {
            var (created, problems) = await applicants.RegisterAsync(
                new Registration { Details = demo.Details, Email = demo.Email, Phone = demo.Phone ?? "", Password = password }, ct);
            Throw(problems);
            id = created!.Id;
        }
        var apiToken = await applicants.CreateTokenAsync(id, "Demo", ct);
        return (demo.Email, password, apiToken.Token);
    }

    static void Throw(IReadOnlyList<(string Field, string Message)> problems)
    {
        if (problems.Count > 0) throw new InvalidOperationException(string.Join(" ", problems.Select(p => $"{p.Field}: {p.Message}")));
    }

    // Easy to type from the file: lower-case letters without look-alikes, and digits.
    const string Letters = "abcdefghijkmnpqrstuvwxyz";

    internal static string NewPassword() =>
        $"demo-{RandomNumberGenerator.GetString(Letters, 6)}-{RandomNumberGenerator.GetInt32(1000, 10000)}-{RandomNumberGenerator.GetString(Letters, 6)}";
}
