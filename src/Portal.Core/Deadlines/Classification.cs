namespace Portal.Core.Deadlines;

/// <summary>The statistics classes of R-F8 / §6.8.</summary>
public enum DossierClass
{
    Early,
    OnTime,
    Late,
    PendingWithinDeadline,
    PendingOverdue,
}

/// <summary>
/// The counting rules in force for a period. Versioned because the national rules change (Decision 766 added "more
/// than one supplement request during processing counts as late"); a report names the version it used.
/// </summary>
public sealed record ClassificationRules(string Version, DateOnly EffectiveFrom, int? SupplementRequestsAllowed, string Description)
{
    public static IReadOnlyList<ClassificationRules> Versions { get; } =
    [
        new("2018", new DateOnly(1900, 1, 1), null,
            "So sánh thời điểm kết thúc xử lý với hạn trả kết quả."),
        new("766-2022", new DateOnly(2022, 6, 23), 1,
            "Như trên; ngoài ra hồ sơ bị yêu cầu bổ sung quá một lần trong quá trình xử lý được tính là trễ hạn (Quyết định 766/QĐ-TTg)."),
    ];

    public static ClassificationRules For(DateOnly day) => Versions.Last(v => v.EffectiveFrom <= day);

    public static ClassificationRules Named(string version) =>
        Versions.FirstOrDefault(v => v.Version == version)
        ?? throw new DeadlineException($"Không có bộ quy tắc phân loại \"{version}\"; các phiên bản: {string.Join(", ", Versions.Select(v => v.Version))}.");
}

public static class Classification
{
    /// <summary>
    /// Early: finished on a day before the due day. On time: on the due day, at or before the due instant. Late:
    /// after the due instant, or too many supplement requests. Pending dossiers are compared with the reporting
    /// instant, i.e. min(now, end of the period) (§6.8).
    /// </summary>
    public static DossierClass Classify(
        DateTimeOffset due, DateTimeOffset? finished, int supplementRequests, DateTimeOffset reportAt, ClassificationRules rules)
    {
        var tooManySupplements = rules.SupplementRequestsAllowed is { } allowed && supplementRequests > allowed;
        if (finished is not { } end)
            return tooManySupplements || due < reportAt ? DossierClass.PendingOverdue : DossierClass.PendingWithinDeadline;
        if (end > due || tooManySupplements) return DossierClass.Late;
        return LegalTime.DateOf(end) < LegalTime.DateOf(due) ? DossierClass.Early : DossierClass.OnTime;
    }

    /// <summary>R-F9: processed (9), else returned (10), else stopped (8) or refused (3).</summary>
    public static DateTimeOffset? EndOfProcessing(
        DateTimeOffset? processed, DateTimeOffset? returned, DateTimeOffset? stopped, DateTimeOffset? refused) =>
        processed ?? returned ?? stopped ?? refused;
}
