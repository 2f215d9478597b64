namespace Portal.Core.Identity;

/// <summary>
/// The demo's staff (demo data only, ./run.sh): every unit role at two provincial departments and two communes, plus
/// one administrator and one supervisor for the whole province. Each run creates or resets them — new password, earlier
/// tokens revoked, one new staff API token — so the credentials file is always right.
/// </summary>
public static class DemoStaff
{
    /// <summary>FileRole is the short name in the credentials file's first column.</summary>
    public sealed record Demo(string FileRole, string Role, string Login, string DisplayName, string? AgencyCode)
    {
        /// <summary>Where the demo's reminders go (a made-up address in the province's mail domain).</summary>
        public string Email => $"{Login}@binhson.gov.vn";
    }

    static readonly (string Slug, string Code, string Name)[] Units =
    [
        ("snv", "000.00.02.H99", "Sở Nội vụ"),
        ("stp", "000.00.03.H99", "Sở Tư pháp"),
        ("binhson", "000.21.01.H99", "UBND phường Bình Sơn"),
        ("tanphuoc", "000.22.01.H99", "UBND xã Tân Phước"),
    ];

    static readonly (string FileRole, string Role, string LoginStem)[] UnitRoles =
    [
        ("receiving-officer", "receiving-officer", "tiepnhan"),
        ("specialist", "specialist", "chuyenvien"),
        ("head", "head-of-division", "truongphong"),
        ("leader", "agency-leader", "lanhdao"),
        ("result-officer", "result-officer", "trakq"),
    ];

    public static readonly IReadOnlyList<Demo> All =
    [
        .. Units.SelectMany(u => UnitRoles.Select(r =>
            new Demo(r.FileRole, r.Role, $"{r.LoginStem}.{u.Slug}", $"{StaffRoles.Labels[r.Role]} — {u.Name} (demo)", u.Code))),
        // Login names apart from run.sh's "quantri", whose password lives in .data/admin-password.
        new("admin", StaffRoles.Administrator, "quantri.tinh", "Quản trị hệ thống (demo)", null),
        new("supervisor", "supervisor", "giamsat.tinh", "Giám sát toàn tỉnh (demo)", null),
    ];

    /// <summary>The first-column names this command writes (so a rerun replaces its own lines and keeps the applicants').</summary>
    public static readonly IReadOnlySet<string> FileRoles = All.Select(d => d.FileRole).ToHashSet();

    public static async Task<(string Password, string ApiToken)> EnsureAsync(StaffAccounts accounts, StaffTokens tokens, Demo demo, CancellationToken ct)
    {
        var password = DemoApplicants.NewPassword();
        var problems = await accounts.CreateAsync(demo.Login, demo.DisplayName, password, [demo.Role], demo.AgencyCode, ct, demo.Email);
        if (problems.Count > 0) throw new InvalidOperationException($"{demo.Login}: {string.Join(" ", problems)}");
        var account = await accounts.FindAsync(demo.Login, ct) ?? throw new InvalidOperationException($"{demo.Login} was not saved");
        await tokens.RevokeAllAsync(account.Id, ct);
        var token = await tokens.CreateAsync(account.Id, "Demo", ct);
        return (password, token.Token);
    }
}
