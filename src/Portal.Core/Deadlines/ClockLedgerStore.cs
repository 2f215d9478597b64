using Dapper;
using Npgsql;

namespace Portal.Core.Deadlines;

/// <summary>Reads and appends a dossier's clock segments and its one extension, inside the caller's transaction.</summary>
public static class ClockLedgerStore
{
    static readonly Dictionary<ClockCause, string> CauseNames = new()
    {
        [ClockCause.AgencyStep] = "agency-step",
        [ClockCause.SupplementRequested] = "supplement-requested",
        [ClockCause.WaitingForFees] = "waiting-for-fees",
        [ClockCause.WaitingForCitizen] = "waiting-for-citizen",
    };

    sealed record SegmentRow
    {
        public int Seq { get; init; }
        public string State { get; init; } = "";
        public string Cause { get; init; } = "";
        public string? AgencyCode { get; init; }
        public int? Step { get; init; }
        public DateTimeOffset StartedAt { get; init; }
        public DateTimeOffset? EndedAt { get; init; }
    }

    const string LoadSql = """
        SELECT seq, state, cause, agency_code, step, started_at, ended_at
          FROM portal.dossier_clock_segments
         WHERE dossier_id = @dossierId
         ORDER BY seq
        """;

    /// <summary>The statements of <see cref="LoadAsync"/> and <see cref="LoadExtensionAsync"/> (parameter @dossierId), for a
    /// caller that sends them in one batch with its own and reads them back with <see cref="ReadSegmentsAsync"/> and
    /// <see cref="ReadExtensionAsync"/>.</summary>
    public const string SegmentsSql = LoadSql;
    public const string ExtensionOfDossierSql = ExtensionSql;

    public static async Task<IReadOnlyList<ClockSegment>> LoadAsync(NpgsqlConnection conn, Guid dossierId, NpgsqlTransaction? tx = null) =>
        ToSegments(await conn.QueryAsync<SegmentRow>(LoadSql, new { dossierId }, tx));

    public static async Task<IReadOnlyList<ClockSegment>> ReadSegmentsAsync(SqlMapper.GridReader batch) =>
        ToSegments(await batch.ReadAsync<SegmentRow>());

    public static async Task<Extension?> ReadExtensionAsync(SqlMapper.GridReader batch) =>
        await batch.ReadSingleOrDefaultAsync<ExtensionRow>() is { } row ? new Extension(row.GrantedAt, row.NewDue, row.Reason, row.Timely) : null;

    static List<ClockSegment> ToSegments(IEnumerable<SegmentRow> rows) =>
        rows.Select(r => new ClockSegment
        {
            Start = r.StartedAt,
            End = r.EndedAt,
            State = r.State == "running" ? ClockState.Running : ClockState.Stopped,
            Cause = CauseNames.Single(c => c.Value == r.Cause).Key,
            AgencyCode = r.AgencyCode,
            Step = r.Step,
        }).ToList();

    // Append-only: a stored segment may only be closed (ended_at from NULL to a value), never changed.
    const string SaveSql = """
        INSERT INTO portal.dossier_clock_segments (dossier_id, seq, state, cause, agency_code, step, started_at, ended_at, actor)
        VALUES (@dossierId, @seq, @state, @cause, @agencyCode, @step, @startedAt, @endedAt, @actor)
        ON CONFLICT (dossier_id, seq) DO UPDATE SET ended_at = EXCLUDED.ended_at
         WHERE dossier_clock_segments.ended_at IS NULL
           AND dossier_clock_segments.started_at = EXCLUDED.started_at
           AND dossier_clock_segments.state = EXCLUDED.state
        """;

    /// <summary>Writes the segments the database does not have yet and closes the one that was open.</summary>
    public static async Task SaveAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid dossierId, IReadOnlyList<ClockSegment> segments, string actor)
    {
        var stored = await conn.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM portal.dossier_clock_segments WHERE dossier_id = @dossierId AND ended_at IS NOT NULL",
            new { dossierId }, tx);
        var rows = segments.Select((s, seq) => new
        {
            dossierId, seq, state = s.State == ClockState.Running ? "running" : "stopped", cause = CauseNames[s.Cause],
            s.AgencyCode, s.Step, startedAt = s.Start.ToUniversalTime(), endedAt = s.End?.ToUniversalTime(), actor,
        }).Skip(stored);
        await conn.ExecuteAsync(SaveSql, rows, tx);
    }

    const string ExtensionSql = """
        SELECT granted_at, new_due, reason, timely FROM portal.dossier_deadline_extensions WHERE dossier_id = @dossierId
        """;

    sealed record ExtensionRow
    {
        public DateTimeOffset GrantedAt { get; init; }
        public DateTimeOffset NewDue { get; init; }
        public string Reason { get; init; } = "";
        public bool Timely { get; init; }
    }

    public static async Task<Extension?> LoadExtensionAsync(NpgsqlConnection conn, Guid dossierId, NpgsqlTransaction? tx = null)
    {
        var row = await conn.QuerySingleOrDefaultAsync<ExtensionRow>(ExtensionSql, new { dossierId }, tx);
        return row is null ? null : new Extension(row.GrantedAt, row.NewDue, row.Reason, row.Timely);
    }

    const string InsertExtensionSql = """
        INSERT INTO portal.dossier_deadline_extensions (dossier_id, granted_at, new_due, reason, timely, granted_by)
        VALUES (@dossierId, @grantedAt, @newDue, @reason, @timely, @actor)
        """;

    /// <summary>The database refuses a second extension too (primary key), for two officers acting at once.</summary>
    public static async Task SaveExtensionAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid dossierId, Extension extension, string actor)
    {
        try
        {
            await conn.ExecuteAsync(InsertExtensionSql, new
            {
                dossierId, grantedAt = extension.GrantedAt.ToUniversalTime(), newDue = extension.NewDue.ToUniversalTime(),
                extension.Reason, extension.Timely, actor,
            }, tx);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new DeadlineException("Hồ sơ đã được hẹn lại một lần; theo quy định chỉ được hẹn lại một lần.");
        }
    }
}
