using System.Collections.Concurrent;
using Dapper;
using Npgsql;

namespace Portal.Core.Deadlines;

/// <summary>A stored holiday decision, with who added it and, once removed, who removed it and why.</summary>
public sealed record HolidayDecision
{
    public Guid Id { get; init; }
    public DateOnly Day { get; init; }
    public string Kind { get; init; } = "";
    public string Reason { get; init; } = "";
    public string Source { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset? RemovedAt { get; init; }
    public string? RemovedBy { get; init; }
    public string? RemovedReason { get; init; }

    public CalendarDay ToCalendarDay() => new(Day, CalendarStore.ParseKind(Kind), Reason, Source);
}

public sealed record CalendarChange
{
    public DateTimeOffset ChangedAt { get; init; }
    public string ChangedBy { get; init; } = "";
    public string Action { get; init; } = "";
    public DateOnly? Day { get; init; }
    public string Detail { get; init; } = "";
}

/// <summary>
/// The stored half of the calendar: holiday decisions, working-time profiles, the audit of changes, and a per-node
/// cache of built calendars keyed by <c>portal.calendar_state.version</c> (bumped in the transaction of every change,
/// so every node sees a change at its next request, as with the catalogue).
/// </summary>
public sealed class CalendarStore(NpgsqlDataSource db)
{
    readonly ConcurrentDictionary<string, (long Version, Task<WorkingCalendar> Calendar)> cache = new(StringComparer.Ordinal);

    public static readonly IReadOnlyDictionary<string, DayKind> Kinds = new Dictionary<string, DayKind>
    {
        ["holiday"] = DayKind.Holiday,
        ["compensatory-day-off"] = DayKind.CompensatoryDayOff,
        ["bridge-day-off"] = DayKind.BridgeDayOff,
        ["working-day"] = DayKind.WorkingDay,
    };

    public static DayKind ParseKind(string kind) =>
        Kinds.TryGetValue(kind, out var value) ? value : throw new DeadlineException($"Loại ngày \"{kind}\" không hợp lệ.");

    public static string KindLabel(DayKind kind) => kind switch
    {
        DayKind.Holiday => "Ngày lễ, tết",
        DayKind.CompensatoryDayOff => "Nghỉ bù",
        DayKind.BridgeDayOff => "Nghỉ hoán đổi",
        _ => "Ngày làm việc (làm bù)",
    };

    // ---- calendars ----

    /// <summary>The calendar version and an agency's profile (@agency; NULL for the default): callers may batch it.</summary>
    public const string LookupSql = """
        SELECT (SELECT version FROM portal.calendar_state) AS version,
               CASE WHEN @agency::text IS NULL THEN 'mac-dinh'
                    ELSE (SELECT coalesce(working_time_profile, 'mac-dinh') FROM portal.agency WHERE code = @agency)
               END AS profile
        """;

    /// <summary>The calendar of an agency unit (its working-time profile, or the province's default).</summary>
    public async Task<WorkingCalendar> CalendarAsync(string? agencyCode, CancellationToken ct)
    {
        long version;
        string? profile;
        await using (var conn = await db.OpenConnectionAsync(ct))
            (version, profile) = await conn.QuerySingleAsync<(long, string?)>(
                new CommandDefinition(LookupSql, new { agency = agencyCode }, cancellationToken: ct));
        return await CalendarAsync(version, profile, agencyCode);
    }

    /// <summary>
    /// The calendar for a version and profile the caller read with <see cref="LookupSql"/> in its own batch (one round
    /// trip fewer on hot pages). Call it without holding a pooled connection: a cache miss opens its own.
    /// </summary>
    public async Task<WorkingCalendar> CalendarAsync(long version, string? profile, string? agencyCode)
    {
        if (profile is null) throw new DeadlineException($"Không có cơ quan mã \"{agencyCode}\".");
        if (cache.TryGetValue(profile, out var hit) && hit.Version == version && !hit.Calendar.IsFaulted && !hit.Calendar.IsCanceled)
            return await hit.Calendar;
        // A build that races a change is tagged with the older version and replaced at the next request. It does not
        // take the request's token: one cancelled request must not leave a cancelled calendar in the cache.
        var build = BuildAsync(profile, CancellationToken.None);
        cache[profile] = (version, build);
        return await build;
    }

    async Task<WorkingCalendar> BuildAsync(string profileCode, CancellationToken ct)
    {
        var profile = await ProfileAsync(profileCode, ct)
            ?? throw new DeadlineException($"Không có cấu hình giờ làm việc \"{profileCode}\".");
        var decisions = await ActiveDecisionsAsync(ct);
        return new WorkingCalendar(profile, decisions.Select(d => d.ToCalendarDay()));
    }

    const string ActiveDecisionsSql = """
        SELECT id, day, kind, reason, source, created_at, created_by
          FROM portal.holiday_decisions
         WHERE removed_at IS NULL
         ORDER BY day
        """;

    public async Task<IReadOnlyList<HolidayDecision>> ActiveDecisionsAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<HolidayDecision>(new CommandDefinition(ActiveDecisionsSql, cancellationToken: ct))).AsList();
    }

    const string YearDecisionsSql = """
        SELECT id, day, kind, reason, source, created_at, created_by, removed_at, removed_by, removed_reason
          FROM portal.holiday_decisions
         WHERE day BETWEEN make_date(@year, 1, 1) AND make_date(@year, 12, 31)
         ORDER BY day, created_at
        """;

    /// <summary>A year's decisions, removed ones included (the page shows them struck through, with the reason).</summary>
    public async Task<IReadOnlyList<HolidayDecision>> DecisionsAsync(int year, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<HolidayDecision>(new CommandDefinition(YearDecisionsSql, new { year }, cancellationToken: ct))).AsList();
    }

    const string ChangesSql = """
        SELECT changed_at, changed_by, action, day, detail
          FROM portal.calendar_changes
         ORDER BY id DESC
         LIMIT @limit
        """;

    public async Task<IReadOnlyList<CalendarChange>> ChangesAsync(int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<CalendarChange>(new CommandDefinition(ChangesSql, new { limit }, cancellationToken: ct))).AsList();
    }

    // ---- edits ----

    const string ActiveOnDaySql = "SELECT reason FROM portal.holiday_decisions WHERE day = @day AND removed_at IS NULL";

    const string InsertDecisionSql = """
        INSERT INTO portal.holiday_decisions (day, kind, reason, source, created_at, created_by)
        VALUES (@day, @kind, @reason, @source, @at, @actor)
        RETURNING id
        """;

    const string AuditSql = """
        INSERT INTO portal.calendar_changes (changed_at, changed_by, action, day, detail)
        VALUES (@at, @actor, @action, @day, @detail)
        """;

    const string BumpSql = "UPDATE portal.calendar_state SET version = version + 1";

    /// <summary>
    /// Adds a decision for a day. Returns the problems (Vietnamese) and saves nothing if there are any. Due dates
    /// already issued are values on their dossiers and receipts: they are not rewritten.
    /// </summary>
    public async Task<IReadOnlyList<string>> AddDecisionAsync(
        DateOnly day, string kind, string reason, string source, string actor, DateTimeOffset at, CancellationToken ct)
    {
        var problems = new List<string>();
        reason = reason.Trim();
        source = source.Trim();
        if (day.Year is < WorkingCalendar.FirstYear or > WorkingCalendar.LastYear)
            problems.Add($"Ngày {day:dd/MM/yyyy} nằm ngoài phạm vi lịch được hỗ trợ ({WorkingCalendar.FirstYear}–{WorkingCalendar.LastYear}).");
        if (!Kinds.ContainsKey(kind)) problems.Add("Hãy chọn loại ngày: ngày lễ, nghỉ bù, nghỉ hoán đổi hoặc ngày làm việc.");
        if (reason.Length == 0) problems.Add("Hãy nhập lý do (ví dụ: Nghỉ hoán đổi, làm bù thứ Bảy 22/08/2026).");
        if (source.Length == 0) problems.Add("Hãy nhập văn bản quyết định (số, ngày, cơ quan ban hành).");
        if (problems.Count > 0) return problems;

        await using var conn = await db.OpenConnectionAsync(ct);
        if (await conn.ExecuteScalarAsync<string?>(new CommandDefinition(ActiveOnDaySql, new { day }, cancellationToken: ct)) is { } clash)
            return [$"Ngày {day:dd/MM/yyyy} đã có quyết định \"{clash}\"; hãy gỡ quyết định đó trước khi thêm quyết định mới."];
        var calendar = await CalendarAsync(null, ct);
        var existing = calendar.Special(day);
        var dayOff = ParseKind(kind) != DayKind.WorkingDay;
        if (dayOff && !calendar.IsWorkingDay(day))
            return [$"Ngày {day:dd/MM/yyyy} đã là ngày nghỉ ({calendar.Reason(day)})."];
        if (!dayOff && calendar.IsWorkingDay(day))
            return [$"Ngày {day:dd/MM/yyyy} đã là ngày làm việc."];

        await using var tx = await conn.BeginTransactionAsync(ct);
        try
        {
            var utc = at.ToUniversalTime();
            await conn.ExecuteScalarAsync<Guid>(InsertDecisionSql, new { day, kind, reason, source, at = utc, actor }, tx);
            await conn.ExecuteAsync(AuditSql, new
            {
                at = utc, actor, action = "add-decision", day,
                detail = $"{KindLabel(ParseKind(kind))}: {reason} — {source}" + (existing is null ? "" : $" (thay cho: {existing.Reason})"),
            }, tx);
            await conn.ExecuteAsync(BumpSql, transaction: tx);
            await tx.CommitAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return [$"Ngày {day:dd/MM/yyyy} vừa được người khác thêm quyết định; hãy tải lại trang và kiểm tra."];
        }
        return [];
    }

    const string RemoveDecisionSql = """
        UPDATE portal.holiday_decisions
           SET removed_at = @at, removed_by = @actor, removed_reason = @reason
         WHERE id = @id AND removed_at IS NULL
        RETURNING day, kind, reason
        """;

    public async Task<IReadOnlyList<string>> RemoveDecisionAsync(Guid id, string reason, string actor, DateTimeOffset at, CancellationToken ct)
    {
        reason = reason.Trim();
        if (reason.Length == 0) return ["Hãy nhập lý do gỡ quyết định."];
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var utc = at.ToUniversalTime();
        var removed = await conn.QuerySingleOrDefaultAsync<(DateOnly Day, string Kind, string Reason)?>(
            RemoveDecisionSql, new { id, at = utc, actor, reason }, tx);
        if (removed is not { } r) return ["Quyết định này không còn hiệu lực (có thể đã được gỡ); hãy tải lại trang."];
        await conn.ExecuteAsync(AuditSql, new
        {
            at = utc, actor, action = "remove-decision", day = r.Day,
            detail = $"Gỡ \"{r.Reason}\" ({KindLabel(ParseKind(r.Kind))}). Lý do: {reason}",
        }, tx);
        await conn.ExecuteAsync(BumpSql, transaction: tx);
        await tx.CommitAsync(ct);
        return [];
    }

    // ---- working-time profiles ----

    const string ProfileSql = """
        SELECT code, name, working_weekdays, saturday_reception FROM portal.working_time_profiles WHERE code = @code;
        SELECT start_time, end_time FROM portal.working_sessions WHERE profile_code = @code ORDER BY start_time;
        """;

    sealed record ProfileRow
    {
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public short[] WorkingWeekdays { get; init; } = [];
        public bool SaturdayReception { get; init; }
    }

    public async Task<WorkingTimeProfile?> ProfileAsync(string code, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(ProfileSql, new { code }, cancellationToken: ct));
        var row = await grid.ReadSingleOrDefaultAsync<ProfileRow>();
        var sessions = (await grid.ReadAsync<(TimeSpan Start, TimeSpan End)>()).ToList();
        if (row is null) return null;
        return new WorkingTimeProfile
        {
            Code = row.Code,
            Name = row.Name,
            Sessions = sessions.Select(s => new WorkSession(TimeOnly.FromTimeSpan(s.Start), TimeOnly.FromTimeSpan(s.End))).ToList(),
            WorkingWeekdays = row.WorkingWeekdays.Select(d => (DayOfWeek)(d % 7)).ToHashSet(),
            SaturdayReception = row.SaturdayReception,
        };
    }

    const string UpsertProfileSql = """
        INSERT INTO portal.working_time_profiles (code, name, working_weekdays, saturday_reception, updated_at, updated_by)
        VALUES (@code, @name, @weekdays, @saturdayReception, @at, @actor)
        ON CONFLICT (code) DO UPDATE
           SET name = EXCLUDED.name, working_weekdays = EXCLUDED.working_weekdays,
               saturday_reception = EXCLUDED.saturday_reception, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by;
        DELETE FROM portal.working_sessions WHERE profile_code = @code;
        """;

    const string InsertSessionSql = """
        INSERT INTO portal.working_sessions (profile_code, start_time, end_time) VALUES (@code, @start, @end)
        """;

    /// <summary>Creates or replaces a profile; nothing is saved if it has a problem (no session, overlapping sessions...).</summary>
    public async Task<IReadOnlyList<string>> SaveProfileAsync(WorkingTimeProfile profile, string actor, DateTimeOffset at, CancellationToken ct)
    {
        var problems = profile.Problems();
        if (problems.Count > 0) return problems;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var utc = at.ToUniversalTime();
        var weekdays = profile.WorkingWeekdays.Select(d => (short)(d == DayOfWeek.Sunday ? 7 : (int)d)).Order().ToArray();
        await conn.ExecuteAsync(UpsertProfileSql, new
        {
            code = profile.Code, name = profile.Name, weekdays, saturdayReception = profile.SaturdayReception, at = utc, actor,
        }, tx);
        await conn.ExecuteAsync(InsertSessionSql,
            profile.Sessions.Select(s => new { code = profile.Code, start = s.Start, end = s.End }), tx);
        await conn.ExecuteAsync(AuditSql, new
        {
            at = utc, actor, action = "save-profile", day = (DateOnly?)null,
            detail = $"Cấu hình giờ làm việc {profile.Code}: {string.Join(", ", profile.Sessions)}",
        }, tx);
        await conn.ExecuteAsync(BumpSql, transaction: tx);
        await tx.CommitAsync(ct);
        return [];
    }
}
