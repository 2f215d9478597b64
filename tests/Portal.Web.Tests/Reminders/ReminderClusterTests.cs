using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Reminders;
using Portal.Jobs;
using Portal.Web.Tests.BackOffice;
using Portal.Web.Tests.Database;
using Portal.Web.Tests.Jobs;
using Xunit.Abstractions;
using static Portal.Web.Tests.BackOffice.BackOfficeWorld;

namespace Portal.Web.Tests.Reminders;

// Real clustering: two Quartz nodes on one database sweep the same burst of candidates at once. SKIP LOCKED splits the
// rows between them and the reminders_sent key keeps each reminder to one; the messages are counted, never timed.
[Collection("db")]
public sealed class ReminderClusterTests(PostgresFixture db, ITestOutputHelper output)
{
    const int Burst = 1000;

    [Fact]
    public async Task Two_nodes_sweeping_a_burst_of_a_thousand_overdue_steps_at_once_remind_each_exactly_once()
    {
        var w = await CreateAsync(db);
        w.Clock.Now = At(23, 9);
        var code = await w.SubmittedAsync();
        w.Clock.Now = At(23, 9, 30);
        await w.DoAsync("A:receiving-officer", code, "receive");
        w.Clock.Now = At(23, 10);
        await w.DoAsync("A:receiving-officer", code, "forward");             // step 1 at A, due Tuesday 08:00
        await using (var conn = await db.DataSource.OpenConnectionAsync())   // one specialist with an address: one message per reminder
            await conn.ExecuteAsync("UPDATE portal.staff_accounts SET email = login || '@binhson.gov.vn' WHERE login = @login",
                new { login = w["A:specialist"].Login });
        // The nodes first (each sweeps once as it starts), then the burst arrives and both are fired at once, three times.
        var clock = new TestClock(At(24, 9));                                // Tuesday 09:00: all 1,000 steps overdue
        var settings = new Dictionary<string, string?> { ["Portal:Reminders:BatchSize"] = "20", ["Portal:PublicUrl"] = "https://dvc.test" };
        await using var a = await JobNode.StartAsync(db, "node-a", settings, s => s.AddSingleton<TimeProvider>(clock));
        await using var b = await JobNode.StartAsync(db, "node-b", settings, s => s.AddSingleton<TimeProvider>(clock));
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        {
            // The burst: the dossier and 999 copies of it.
            await conn.ExecuteAsync("""
                INSERT INTO portal.dossiers (applicant_id, procedure_id, version_id, receiving_agency_id, status, sub_state, code, channel,
                                             answers, current_step, created_at, updated_at, submitted_at, due_at, step, holder_agency_id,
                                             received_at, original_due_at, step_due_at, risk_at, delivery_method, applicant_name)
                SELECT applicant_id, procedure_id, version_id, receiving_agency_id, status, sub_state, code || '-' || lpad(g::text, 4, '0'),
                       channel, answers, current_step, created_at, updated_at, submitted_at, due_at, step, holder_agency_id,
                       received_at, original_due_at, step_due_at, risk_at, delivery_method, applicant_name
                  FROM portal.dossiers d CROSS JOIN generate_series(1, @copies) g
                 WHERE d.code = @code
                """, new { code, copies = Burst - 1 });
        }

        for (var round = 0; round < 3; round++)
            await Task.WhenAll(a.TriggerAsync(PortalJobs.ReminderSweep), b.TriggerAsync(PortalJobs.ReminderSweep));

        // Until every burst dossier is reminded and both nodes are idle (generous: the machine is shared).
        var reminded = 0;
        var busy = 0;
        await Eventually.HoldsAsync(async () =>
        {
            reminded = await CountAsync("""
                SELECT count(*) FROM portal.reminders_sent s JOIN portal.dossiers d ON d.id = s.dossier_id
                 WHERE d.code LIKE @code || '%' AND s.kind = @kind
                """, code);
            // Idle: no firing of the sweep acquired or running on any node, no one-off trigger left (only the periodic one).
            busy = await CountAsync("""
                SELECT (SELECT count(*) FROM quartz.qrtz_fired_triggers WHERE job_name = @job)
                     + (SELECT count(*) FROM quartz.qrtz_triggers WHERE job_name = @job) - 1
                """, code);
            return reminded >= Burst && busy == 0;
        }, "every burst dossier is reminded and both nodes are idle", () => $"{reminded} of {Burst} reminded, {busy} sweeps still running");

        Assert.Equal(Burst, reminded);
        Assert.Equal(Burst, await CountAsync("""
            SELECT count(*) FROM portal.outbox_messages o JOIN portal.dossiers d ON d.id = o.dossier_id
             WHERE d.code LIKE @code || '%' AND o.kind = @kind
            """, code));
        Assert.Equal(Burst, await CountAsync("""
            SELECT count(DISTINCT o.dossier_id) FROM portal.outbox_messages o JOIN portal.dossiers d ON d.id = o.dossier_id
             WHERE d.code LIKE @code || '%' AND o.kind = @kind
            """, code));

        // Which node did what (reported, not asserted: Quartz decides which node acquires each firing).
        await using var read = await db.DataSource.OpenConnectionAsync();
        foreach (var (node, summary, metrics) in await read.QueryAsync<(string, string?, string?)>("""
            SELECT instance_name, summary, metrics FROM quartz.qrtz_execution_history WHERE job_name = @job ORDER BY fired_time
            """, new { job = PortalJobs.ReminderSweep.Key }))
            output.WriteLine($"{node}: {summary} {metrics}");
    }

    async Task<int> CountAsync(string sql, string code)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<int>(sql, new { code, kind = ReminderKinds.StepOverdue, job = PortalJobs.ReminderSweep.Key });
    }
}
