namespace Portal.Core.BackOffice;

/// <summary>The staff member acting: who, with which roles, from which home unit. The web layer builds it from claims.</summary>
public sealed record StaffUser(Guid Id, string Login, string Name, IReadOnlyList<string> Roles, string? AgencyCode)
{
    public bool Has(string role) => Roles.Contains(role);
    public bool HasAny(IEnumerable<string> roles) => roles.Any(Roles.Contains);

    /// <summary>Supervisors read across the province and act on nothing.</summary>
    public bool IsSupervisor => Has("supervisor");

    /// <summary>The audit name in history rows: "staff:login".</summary>
    public string Actor => $"staff:{Login}";
}

/// <summary>
/// The units a staff member works for: the home unit and every unit below it, plus — for a commune centre — the
/// province's "any commune" reception units (the 2025 regardless-of-boundary rule). Supervisors see everything.
/// </summary>
public sealed record StaffScope(Guid[] Units, string[] UnitCodes, bool Everything)
{
    public bool Covers(Guid? unit) => Everything || (unit is { } u && Units.Contains(u));
    public bool CoversCode(string? code) => Everything || (code is not null && UnitCodes.Contains(code));
}
