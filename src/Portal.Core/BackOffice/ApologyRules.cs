namespace Portal.Core.BackOffice;

/// <summary>
/// When an apology and new appointment may be issued (R-G1, R-G2, R-G5), as versioned rules: no later than
/// <see cref="MinWorkingDaysBefore"/> working days before the current due, and at most <see cref="MaxLetters"/> per
/// dossier. The 2025 regime's values are unconfirmed (R-G5) and kept the same until a source says otherwise.
/// </summary>
public sealed record ApologyRules(string Version, DateOnly EffectiveFrom, decimal MinWorkingDaysBefore, int MaxLetters, string Source)
{
    public static IReadOnlyList<ApologyRules> Versions { get; } =
    [
        new("61-2018", new DateOnly(2018, 6, 21), 1, 1,
            "Nghị định 61/2018/NĐ-CP: chậm nhất 01 ngày trước hạn trả kết quả, hẹn lại một lần."),
        new("118-2025", new DateOnly(2025, 7, 1), 1, 1,
            "Nghị định 118/2025/NĐ-CP (Mẫu 04: văn bản xin lỗi và đề nghị gia hạn); thời hạn và số lần giữ như 2018 cho đến khi có văn bản xác nhận (R-G5)."),
    ];

    public static ApologyRules For(DateOnly day) => Versions.Last(v => v.EffectiveFrom <= day);
}
