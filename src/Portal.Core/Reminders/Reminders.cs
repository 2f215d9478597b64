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
        foreach (var cal in await CalendarsAsync(ct))
        {
            var window = ReminderWindow.At(cal.Calendar, now, settings, rules);
            foreach (var kind in ReminderKinds.All)
            {
                var (sent, queued) = await SweepAsync(kind, cal, window, rules, ct);
                byKind[kind] += sent;
                messages += queued;
            }
        }
        return new ReminderRun(byKind.Values.Sum(), messages, byKind);
    }

    /// <summary>A working calendar and the units that are not on it.</summary>
    sealed record CalendarGroup(WorkingCalendar Calendar, Guid[] OtherAgencies);

    const string ProfilesSql = """
        SELECT (SELECT version FROM portal.calendar_state) AS version, coalesce(working_time_profile, @defaultProfile) AS profile,
               array_agg(id) AS agencies
          FROM portal.agency
         GROUP BY 2
        """;

    /// <summary>
    /// Agencies may share a calendar (a working-time profile): the instants are computed once per profile, for the
    /// dossiers whose receiving unit is on it (the back office computes their dates with that unit's calendar).
    /// </summary>
    async Task<IReadOnlyList<CalendarGroup>> CalendarsAsync(CancellationToken ct)
    {
        List<(long Version, string Profile, Guid[] Agencies)> profiles;
        await using (var conn = await db.OpenConnectionAsync(ct))
            profiles = [.. await conn.QueryAsync<(long, string, Guid[])>(new CommandDefinition(ProfilesSql,
                new { defaultProfile = WorkingTimeProfile.DefaultCode }, cancellationToken: ct))];
        var result = new List<CalendarGroup>(profiles.Count);
        foreach (var p in profiles)
            result.Add(new CalendarGroup(await calendars.CalendarAsync(p.Version, p.Profile, null),
                [.. profiles.Where(o => o.Profile != p.Profile).SelectMany(o => o.Agencies)]));
        return result;
    }

    // ---- candidates ----
    // Each kind's candidates are a range of instants on an index. A batch is two statements: the next page of that
    // range in index order (keyset on the instant and the id, no filter the index cannot answer), then the claim of
    // that page's rows that still qualify: re-checked, not yet reminded for their step, on this calendar, locked with
    // SKIP LOCKED. Paging apart from claiming keeps the plan an ordered index scan whatever the planner guesses about
    // the NOT EXISTS (with it in one statement it sorted the whole range for every batch: 6 s a batch on a million
    // dossiers), and one sweep walks each range once.
    // FOR NO KEY UPDATE conflicts with itself and with the back office's FOR UPDATE, so a second sweeper skips what the
    // first holds and a dossier being acted on waits for the next sweep; unlike FOR UPDATE it does not hold up inserts
    // that merely reference the dossier (history, reads, outbox) in other transactions. The NOT EXISTS sees the
    // statement's snapshot: a row another sweeper has just reminded can still be claimed, and the insert into
    // reminders_sent (ON CONFLICT DO NOTHING) then writes nothing for it.

    // A page, and for each row whether it still lacks its reminder (checked after the LIMIT, so the page stays an
    // ordered index scan): a sweep that finds nothing new claims nothing.
    const string Open = """
        SELECT p.at, p.id,
               NOT EXISTS (SELECT 1 FROM portal.reminders_sent s WHERE s.dossier_id = p.id AND s.step = p.step AND s.kind = @kind) AS open
          FROM (
        """;

    const string StepPageSql = Open + """
            SELECT d.step_due_at AS at, d.id, coalesce(d.step, 0) AS step FROM portal.dossiers d
             WHERE d.status IN (2, 4) AND d.step_due_at >= @from AND d.step_due_at < @to AND (d.step_due_at, d.id) > (@afterAt, @afterId)
             ORDER BY d.step_due_at, d.id
             LIMIT @batch) p
         ORDER BY p.at, p.id
        """;

    const string DuePageSql = Open + """
            SELECT d.due_at AS at, d.id, coalesce(d.step, 0) AS step FROM portal.dossiers d
             WHERE d.status IN (2, 4) AND d.due_at >= @from AND d.due_at <= @to AND (d.due_at, d.id) > (@afterAt, @afterId)
             ORDER BY d.due_at, d.id
             LIMIT @batch) p
         ORDER BY p.at, p.id
        """;

    const string SupplementPageSql = Open + """
            SELECT q.requested_at AS at, q.dossier_id AS id, coalesce(d.step, 0) AS step
              FROM portal.supplement_requests q JOIN portal.dossiers d ON d.id = q.dossier_id
             WHERE q.answered_at IS NULL AND q.requested_at >= @from AND q.requested_at <= @to
               AND (q.requested_at, q.dossier_id) > (@afterAt, @afterId)
             ORDER BY q.requested_at, q.dossier_id
             LIMIT @batch) p
         ORDER BY p.at, p.id
        """;

    const string ResultPageSql = Open + """
            SELECT d.finished_at AS at, d.id, coalesce(d.step, 0) AS step FROM portal.dossiers d
             WHERE d.status = 9 AND d.finished_at >= @from AND d.finished_at <= @to AND (d.finished_at, d.id) > (@afterAt, @afterId)
             ORDER BY d.finished_at, d.id
             LIMIT @batch) p
         ORDER BY p.at, p.id
        """;

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

    // The units on other calendars are named (usually none): a condition the planner can estimate, unlike a
    // comparison of each unit's profile.
    const string Claim = """
           AND NOT (d.receiving_agency_id = ANY (@otherCalendars))
           AND NOT EXISTS (SELECT 1 FROM portal.reminders_sent s WHERE s.dossier_id = d.id AND s.step = coalesce(d.step, 0) AND s.kind = @kind)
           FOR NO KEY UPDATE OF d SKIP LOCKED
        """;

    // Due soon: [now, threshold); overdue: [1900, now).
    const string StepClaimSql = Columns + """
               d.step_due_at AS about_at, NULL::text AS items, false AS apology_drafted
          FROM portal.dossiers d
        """ + Joins + """
         WHERE d.id = ANY (@ids) AND d.status IN (2, 4) AND d.step_due_at >= @from AND d.step_due_at < @to
        """ + Claim;

    // No approved apology (a draft waiting for the leader still needs them); the risk test is finished in C#.
    const string ApologyClaimSql = Columns + """
               d.due_at AS about_at, NULL::text AS items, ap.dossier_id IS NOT NULL AS apology_drafted
          FROM portal.dossiers d
        """ + Joins + """
          LEFT JOIN portal.dossier_apologies ap ON ap.dossier_id = d.id
         WHERE d.id = ANY (@ids) AND d.status IN (2, 4) AND d.risk_at IS NOT NULL AND d.due_at >= @from AND d.due_at <= @to
           AND ap.approved_at IS NULL
        """ + Claim;

    const string SupplementClaimSql = Columns + """
               q.requested_at AS about_at, q.items::text AS items, false AS apology_drafted
          FROM portal.supplement_requests q
          JOIN portal.dossiers d ON d.id = q.dossier_id
        """ + Joins + """
         WHERE q.dossier_id = ANY (@ids) AND q.answered_at IS NULL AND q.requested_at >= @from AND q.requested_at <= @to
           AND d.status = 5
        """ + Claim;

    // Results going by post are the post's to deliver: nothing for the citizen to collect.
    const string ResultClaimSql = Columns + """
               d.finished_at AS about_at, NULL::text AS items, false AS apology_drafted
          FROM portal.dossiers d
        """ + Joins + """
         WHERE d.id = ANY (@ids) AND d.status = 9 AND d.finished_at >= @from AND d.finished_at <= @to
           AND coalesce(d.delivery_method, 'online') <> 'post'
        """ + Claim;

    static readonly DateTimeOffset Beginning = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    static (string Page, string Claim, DateTimeOffset From, DateTimeOffset To) Candidates(string kind, ReminderWindow w) => kind switch
    {
        ReminderKinds.StepDueSoon => (StepPageSql, StepClaimSql, w.Now, w.StepDueSoonBefore),
        ReminderKinds.StepOverdue => (StepPageSql, StepClaimSql, Beginning, w.Now),
        ReminderKinds.ApologyNeeded => (DuePageSql, ApologyClaimSql, w.ApologyDueFrom, w.ApologyDueTo),
        ReminderKinds.SupplementUnanswered => (SupplementPageSql, SupplementClaimSql, Beginning, w.SupplementRequestedBy),
        ReminderKinds.ResultUncollected => (ResultPageSql, ResultClaimSql, Beginning, w.ResultFinishedBy),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>One kind for one calendar: page after page of its range, each claimed and sent in its own transaction.</summary>
    async Task<(int Sent, int Messages)> SweepAsync(string kind, CalendarGroup cal, ReminderWindow window, ApologyRules rules, CancellationToken ct)
    {
        var (pageSql, claimSql, from, to) = Candidates(kind, window);
        if (to < from) return (0, 0);
        var (afterAt, afterId) = (from.AddTicks(-10), Guid.Empty);   // 1 µs before: PostgreSQL keeps microseconds
        int sent = 0, messages = 0;
        while (true)
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            var page = (await conn.QueryAsync<(DateTime At, Guid Id, bool Open)>(new CommandDefinition(pageSql, new
            {
                from = from.ToUniversalTime(), to = to.ToUniversalTime(), afterAt = afterAt.ToUniversalTime(), afterId, kind, batch = settings.BatchSize,
            }, cancellationToken: ct))).AsList();
            if (page.Count == 0) break;
            (afterAt, afterId) = (new DateTimeOffset(DateTime.SpecifyKind(page[^1].At, DateTimeKind.Utc)), page[^1].Id);
            var open = page.Where(p => p.Open).Select(p => p.Id).ToArray();
            if (open.Length == 0)
            {
                if (page.Count < settings.BatchSize) break;
                continue;
            }

            await using var tx = await conn.BeginTransactionAsync(ct);
            var rows = (await conn.QueryAsync<ReminderCandidate>(new CommandDefinition(claimSql, new
            {
                ids = open, from = from.ToUniversalTime(), to = to.ToUniversalTime(), kind, otherCalendars = cal.OtherAgencies,
            }, tx, cancellationToken: ct))).AsList();
            var due = kind == ReminderKinds.ApologyNeeded
                ? [.. rows.Where(d => ReminderRules.NeedsApology(cal.Calendar, d.RiskAt!.Value, d.DueAt!.Value, rules))]
                : rows;
            var (s, m) = await SendAsync(conn, tx, kind, due, cal.Calendar, window.Now, rules, ct);
            await tx.CommitAsync(ct);
            sent += s;
            messages += m;
            if (page.Count < settings.BatchSize) break;
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
