using Dapper;
using Npgsql;
using Portal.Core.BackOffice;
using Portal.Core.Deadlines;
using Portal.Core.Notifications;

namespace Portal.Core.Reminders;

/// <summary>What one sweep did: reminders recorded (once per dossier, step and kind), messages queued, per kind.</summary>
public sealed record ReminderRun(int Sent, int Messages, IReadOnlyDictionary<string, int> ByKind);

/// <summary>
/// Deadline reminders (issue 7): staff whose step runs short or out of working time, agency leaders whose dossier needs
/// an apology before the 1-working-day limit (R-G1), citizens with an unanswered supplement request or an uncollected
/// result. Each kind's candidates are an index range of instants (<see cref="ReminderWindow"/>, per working calendar),
/// read in batches in their own transaction with SKIP LOCKED, so several nodes sweeping at once split the rows; the
/// primary key of <c>portal.reminders_sent</c> decides, in the transaction that queues the messages, that a reminder
/// is sent once. Memory is bounded by the batch.
/// </summary>
public sealed class Reminders(NpgsqlDataSource db, TimeProvider clock, CalendarStore calendars, ReminderSettings settings)
{
    public async Task<ReminderRun> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var rules = ApologyRules.For(LegalTime.DateOf(now));
        var byKind = ReminderKinds.All.ToDictionary(k => k, _ => 0);
        var messages = 0;
        foreach (var (version, profile) in await ProfilesAsync(ct))
        {
            // Agencies may share a calendar (a working-time profile): the instants are computed once per profile.
            var calendar = await calendars.CalendarAsync(version, profile, null);
            var window = ReminderWindow.At(calendar, now, settings, rules);
            foreach (var kind in ReminderKinds.All)
            {
                var (sent, queued) = await SweepAsync(kind, profile, calendar, window, rules, ct);
                byKind[kind] += sent;
                messages += queued;
            }
        }
        return new ReminderRun(byKind.Values.Sum(), messages, byKind);
    }

    const string ProfilesSql = """
        SELECT DISTINCT (SELECT version FROM portal.calendar_state) AS version, coalesce(working_time_profile, @defaultProfile) AS profile
          FROM portal.agency
        """;

    async Task<IReadOnlyList<(long Version, string Profile)>> ProfilesAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return [.. await conn.QueryAsync<(long, string)>(new CommandDefinition(ProfilesSql,
            new { defaultProfile = WorkingTimeProfile.DefaultCode }, cancellationToken: ct))];
    }

    // ---- candidates ----
    // One statement per kind: the rows of one calendar (the receiving unit's profile, as the back office computes their
    // dates), in a range of instants, after the keyset cursor, not yet reminded for their step, in order, locked.
    // FOR NO KEY UPDATE conflicts with itself and with the back office's FOR UPDATE, so a second sweeper skips what the
    // first holds and a dossier being acted on waits for the next sweep; unlike FOR UPDATE it does not hold up inserts
    // that merely reference the dossier (history, reads, outbox) in other transactions. The NOT EXISTS sees the snapshot
    // of the statement's start: a row another sweeper reminded meanwhile can still come back, and the insert into
    // reminders_sent (ON CONFLICT DO NOTHING) then writes nothing for it.

    const string Columns = """
        SELECT d.id, d.code, coalesce(d.step, 0)::smallint AS step, d.applicant_id, v.name AS procedure_name,
               d.step_due_at, d.due_at, d.risk_at, d.assignee_id, h.code AS holder_code, h.name AS holder_name,
               h.email AS holder_email, r.name AS receiving_name, ws.name AS step_name, ws.role AS step_role,
               nullif(d.answers #>> '{applicant,email}', '') AS applicant_email, d.answers #>> '{applicant,fullName}' AS applicant_name,
               d.delivery_method,
        """;

    const string Joins = """
          JOIN portal.procedure_version v ON v.id = d.version_id
          JOIN portal.agency r ON r.id = d.receiving_agency_id
          LEFT JOIN portal.agency h ON h.id = d.holder_agency_id
          LEFT JOIN portal.workflow_steps ws ON ws.version_id = d.version_id AND ws.step = d.step
        """;

    const string NotYet = """
           AND coalesce(r.working_time_profile, @defaultProfile) = @profile
           AND NOT EXISTS (SELECT 1 FROM portal.reminders_sent s WHERE s.dossier_id = d.id AND s.step = coalesce(d.step, 0) AND s.kind = @kind)
        """;

    // Due soon: [now, threshold); overdue: [1900, now).
    const string StepSql = Columns + """
               d.step_due_at AS about_at, NULL::text AS items, false AS apology_drafted
          FROM portal.dossiers d
        """ + Joins + """
         WHERE d.status IN (2, 4) AND d.step_due_at >= @from AND d.step_due_at < @to
           AND (d.step_due_at, d.id) > (@afterAt, @afterId)
        """ + NotYet + """
         ORDER BY d.step_due_at, d.id
         LIMIT @batch
           FOR NO KEY UPDATE OF d SKIP LOCKED
        """;

    // No approved apology (a draft waiting for the leader still needs them); the risk test is finished in C#.
    const string ApologySql = Columns + """
               d.due_at AS about_at, NULL::text AS items, ap.dossier_id IS NOT NULL AS apology_drafted
          FROM portal.dossiers d
        """ + Joins + """
          LEFT JOIN portal.dossier_apologies ap ON ap.dossier_id = d.id
         WHERE d.status IN (2, 4) AND d.risk_at IS NOT NULL AND d.due_at >= @from AND d.due_at <= @to
           AND (d.due_at, d.id) > (@afterAt, @afterId)
           AND ap.approved_at IS NULL
        """ + NotYet + """
         ORDER BY d.due_at, d.id
         LIMIT @batch
           FOR NO KEY UPDATE OF d SKIP LOCKED
        """;

    const string SupplementSql = Columns + """
               q.requested_at AS about_at, q.items::text AS items, false AS apology_drafted
          FROM portal.supplement_requests q
          JOIN portal.dossiers d ON d.id = q.dossier_id
        """ + Joins + """
         WHERE q.answered_at IS NULL AND q.requested_at >= @from AND q.requested_at <= @to
           AND (q.requested_at, q.dossier_id) > (@afterAt, @afterId)
           AND d.status = 5
        """ + NotYet + """
         ORDER BY q.requested_at, q.dossier_id
         LIMIT @batch
           FOR NO KEY UPDATE OF d SKIP LOCKED
        """;

    // Results going by post are the post's to deliver: nothing for the citizen to collect.
    const string UncollectedSql = Columns + """
               d.finished_at AS about_at, NULL::text AS items, false AS apology_drafted
          FROM portal.dossiers d
        """ + Joins + """
         WHERE d.status = 9 AND d.finished_at >= @from AND d.finished_at <= @to
           AND (d.finished_at, d.id) > (@afterAt, @afterId)
           AND coalesce(d.delivery_method, 'online') <> 'post'
        """ + NotYet + """
         ORDER BY d.finished_at, d.id
         LIMIT @batch
           FOR NO KEY UPDATE OF d SKIP LOCKED
        """;

    static readonly DateTimeOffset Beginning = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    (string Sql, DateTimeOffset From, DateTimeOffset To) Candidates(string kind, ReminderWindow w) => kind switch
    {
        ReminderKinds.StepDueSoon => (StepSql, w.Now, w.StepDueSoonBefore),
        ReminderKinds.StepOverdue => (StepSql, Beginning, w.Now),
        ReminderKinds.ApologyNeeded => (ApologySql, w.ApologyDueFrom, w.ApologyDueTo),
        ReminderKinds.SupplementUnanswered => (SupplementSql, Beginning, w.SupplementRequestedBy),
        ReminderKinds.ResultUncollected => (UncollectedSql, Beginning, w.ResultFinishedBy),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>One kind for one calendar: batch after batch, each its own transaction, until the range is exhausted.</summary>
    async Task<(int Sent, int Messages)> SweepAsync(string kind, string profile, WorkingCalendar calendar, ReminderWindow window,
        ApologyRules rules, CancellationToken ct)
    {
        var (sql, from, to) = Candidates(kind, window);
        if (to < from) return (0, 0);
        var (afterAt, afterId) = (from.AddTicks(-10), Guid.Empty);   // 1 µs before: PostgreSQL keeps microseconds
        int sent = 0, messages = 0;
        while (true)
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            var rows = (await conn.QueryAsync<ReminderCandidate>(new CommandDefinition(sql, new
            {
                from = from.ToUniversalTime(), to = to.ToUniversalTime(), afterAt = afterAt.ToUniversalTime(), afterId, kind, profile,
                defaultProfile = WorkingTimeProfile.DefaultCode, batch = settings.BatchSize,
            }, tx, cancellationToken: ct))).AsList();
            if (rows.Count == 0)
            {
                await tx.CommitAsync(ct);
                break;
            }
            (afterAt, afterId) = (rows[^1].AboutAt, rows[^1].Id);
            var due = kind == ReminderKinds.ApologyNeeded
                ? [.. rows.Where(d => ReminderRules.NeedsApology(calendar, d.RiskAt!.Value, d.DueAt!.Value, rules))]
                : rows;
            var (s, m) = await SendAsync(conn, tx, kind, due, calendar, window.Now, rules, ct);
            await tx.CommitAsync(ct);
            sent += s;
            messages += m;
            if (rows.Count < settings.BatchSize) break;
        }
        return (sent, messages);
    }

    // ---- sending ----

    const string RecordSql = """
        INSERT INTO portal.reminders_sent (dossier_id, step, kind, sent_at, about_at, recipients)
        SELECT x.dossier_id, x.step, @kind, @now, x.about_at, x.recipients
          FROM unnest(@ids, @steps, @aboutAt, @recipients) AS x(dossier_id, step, about_at, recipients)
        ON CONFLICT DO NOTHING
        RETURNING dossier_id
        """;

    /// <summary>Records the batch's reminders and queues the messages of those this transaction recorded first.</summary>
    async Task<(int Sent, int Messages)> SendAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string kind, IReadOnlyList<ReminderCandidate> rows,
        WorkingCalendar calendar, DateTimeOffset now, ApologyRules rules, CancellationToken ct)
    {
        if (rows.Count == 0) return (0, 0);
        var recipients = kind is ReminderKinds.SupplementUnanswered or ReminderKinds.ResultUncollected
            ? rows.ToDictionary(d => d.Id, d => d.ApplicantEmail is { } e ? (IReadOnlyList<string>)[e] : [])
            : await StaffRecipientsAsync(conn, tx, kind, rows, ct);
        var recorded = (await conn.QueryAsync<Guid>(new CommandDefinition(RecordSql, new
        {
            kind, now = now.ToUniversalTime(), ids = rows.Select(d => d.Id).ToArray(), steps = rows.Select(d => d.Step).ToArray(),
            aboutAt = rows.Select(d => d.AboutAt.UtcDateTime).ToArray(),
            recipients = rows.Select(d => (short)Math.Min(recipients[d.Id].Count, short.MaxValue)).ToArray(),
        }, tx, cancellationToken: ct))).ToHashSet();
        var messages = new List<OutboxMessage>();
        foreach (var d in rows.Where(d => recorded.Contains(d.Id) && recipients[d.Id].Count > 0))
        {
            var (subject, body, link) = Compose(kind, d, calendar, now, rules);
            var data = new Dictionary<string, string> { ["code"] = d.Code, ["link"] = link };
            messages.AddRange(recipients[d.Id].Select(to => new OutboxMessage(kind, to, subject, body) { DossierId = d.Id, Data = data }));
        }
        await Outbox.EnqueueManyAsync(conn, tx, messages, now, ct);
        return (recorded.Count, messages.Count);
    }

    (string Subject, string Body, string Link) Compose(string kind, ReminderCandidate d, WorkingCalendar calendar, DateTimeOffset now, ApologyRules rules)
    {
        var staff = ReminderMessages.StaffLink(settings.PublicUrl, d.Code);
        switch (kind)
        {
            case ReminderKinds.StepDueSoon:
                var (s1, b1) = ReminderMessages.StepDueSoon(d, calendar, now, staff);
                return (s1, b1, staff);
            case ReminderKinds.StepOverdue:
                var (s2, b2) = ReminderMessages.StepOverdue(d, calendar, now, staff);
                return (s2, b2, staff);
            case ReminderKinds.ApologyNeeded:
                var (s3, b3) = ReminderMessages.ApologyNeeded(d, calendar, rules, staff);
                return (s3, b3, staff);
            case ReminderKinds.SupplementUnanswered:
                var supplement = ReminderMessages.CitizenLink(settings.PublicUrl, d, "bo-sung");
                var (s4, b4) = ReminderMessages.SupplementUnanswered(d, supplement);
                return (s4, b4, supplement);
            default:
                var page = ReminderMessages.CitizenLink(settings.PublicUrl, d);
                var (s5, b5) = ReminderMessages.ResultUncollected(d, page);
                return (s5, b5, page);
        }
    }

    const string StaffSql = """
        SELECT id, email, agency_code, roles FROM portal.staff_accounts WHERE id = ANY (@assignees) OR agency_code = ANY (@units)
        """;

    sealed record StaffRow
    {
        public Guid Id { get; init; }
        public string? Email { get; init; }
        public string? AgencyCode { get; init; }
        public string[] Roles { get; init; } = [];
    }

    /// <summary>
    /// Who is told: for a step, its assignee, or — unassigned — the holding unit's staff with the step's role; for an
    /// apology, the holding unit's agency leaders. Accounts without an e-mail address are skipped; when nobody is left,
    /// the unit's own address (agency.email) stands in, so the reminder still reaches the unit.
    /// </summary>
    static async Task<Dictionary<Guid, IReadOnlyList<string>>> StaffRecipientsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string kind,
        IReadOnlyList<ReminderCandidate> rows, CancellationToken ct)
    {
        var apology = kind == ReminderKinds.ApologyNeeded;
        var staff = (await conn.QueryAsync<StaffRow>(new CommandDefinition(StaffSql, new
        {
            assignees = apology ? [] : rows.Where(d => d.AssigneeId is not null).Select(d => d.AssigneeId!.Value).Distinct().ToArray(),
            units = rows.Where(d => d.HolderCode is not null).Select(d => d.HolderCode!).Distinct().ToArray(),
        }, tx, cancellationToken: ct))).ToList();
        var byId = staff.ToDictionary(s => s.Id);
        var result = new Dictionary<Guid, IReadOnlyList<string>>();
        foreach (var d in rows)
        {
            IEnumerable<StaffRow> told = !apology && d.AssigneeId is { } assignee
                ? byId.TryGetValue(assignee, out var a) ? [a] : []
                : staff.Where(s => s.AgencyCode == d.HolderCode && s.Roles.Contains(apology ? "agency-leader" : ReminderMessages.StepRole(d)));
            List<string> emails = [.. told.Select(s => s.Email?.Trim()).OfType<string>().Where(e => e.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];
            if (emails.Count == 0 && d.HolderEmail is { Length: > 0 } unit) emails.Add(unit.Trim());
            result[d.Id] = emails;
        }
        return result;
    }
}
