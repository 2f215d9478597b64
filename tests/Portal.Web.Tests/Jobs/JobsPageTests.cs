using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Core.Identity;
using Portal.Jobs;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Jobs;

[Collection("cluster")]
public sealed class JobsPageTests(PostgresFixture db)
{
    const string Url = "/quan-tri/tac-vu";

    async Task<HttpClient> SignedInAsync(params string[] roles)
    {
        var client = db.Portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await Staff.SignInAsync(client, await Staff.CreateAsync(db, roles))).StatusCode);
        return client;
    }

    [Fact]
    public async Task Administrators_see_the_nodes_and_jobs_and_can_run_pause_and_resume_a_job()
    {
        // A node running the jobs (probe on, failing: a negative hold time makes its delay throw).
        await using var node = await JobNode.StartAsync(db, "node-page", new Dictionary<string, string?>
        {
            ["Portal:Jobs:Probe"] = "true", ["Portal:Jobs:ProbeSeconds"] = "-5",
        });
        var admin = await SignedInAsync(StaffRoles.Administrator);

        var page = await Staff.ParseAsync(await admin.GetAsync(Url));
        var nodeRow = page.QuerySelectorAll("table")[0].QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains("node-page"));
        Assert.Contains("Đang hoạt động", nodeRow.TextContent);
        var jobNames = page.QuerySelectorAll("tbody th[scope=row] span[id^=job-]").Select(s => s.TextContent).ToList();
        Assert.Equal(PortalJobs.All.Select(j => j.Name), jobNames);

        // Run now: the node runs the roll-up and the history says so, marked as run by hand.
        var ran = await Staff.PostFormAsync(admin, Url, Url + "?handler=Trigger", new() { ["job"] = PortalJobs.StatisticsRollup.Key });
        Assert.Equal(HttpStatusCode.Redirect, ran.StatusCode);
        Assert.Contains("Đã yêu cầu chạy ngay", (await Staff.ParseAsync(await admin.GetAsync(ran.Headers.Location!.ToString()))).QuerySelector(".success-banner")!.TextContent);
        await Eventually.SqlAsync(db.DataSource, "SELECT count(*) > 0 FROM quartz.qrtz_execution_history WHERE job_name = 'statistics-rollup' AND succeeded", "the job has run");
        var recent = await Staff.ParseAsync(await admin.GetAsync(Url));
        var row = recent.QuerySelectorAll("#gan-day ~ .table-scroll tbody tr").First(r => r.TextContent.Contains("Tổng hợp thống kê"));
        Assert.Contains("Thành công", row.TextContent);
        Assert.Contains("dòng thống kê đã cập nhật", row.TextContent);

        // A failing job shows its error, in the list of failures too.
        await Staff.PostFormAsync(admin, Url, Url + "?handler=Trigger", new() { ["job"] = PortalJobs.Probe.Key });
        await Eventually.SqlAsync(db.DataSource, "SELECT count(*) > 0 FROM quartz.qrtz_execution_history WHERE job_name = 'cluster-probe' AND NOT succeeded", "the job has run");
        var failures = await Staff.ParseAsync(await admin.GetAsync(Url + "?loi=true"));
        var failed = failures.QuerySelectorAll("#gan-day ~ .table-scroll tbody tr").ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, r => Assert.Contains("Lỗi", r.TextContent));
        Assert.Contains(failed, r => r.TextContent.Contains("Thử phục hồi cụm"));

        // Pause and resume through the shared store: the trigger's state changes for every node.
        var mailRow = () => admin.GetAsync(Url).ContinueWith(async t => (await Staff.ParseAsync(await t)).QuerySelectorAll("tbody tr")
            .Single(r => r.QuerySelector("#job-mail-dispatch") is not null)).Unwrap();
        Assert.Equal(HttpStatusCode.Redirect, (await Staff.PostFormAsync(admin, Url, Url + "?handler=Pause", new() { ["job"] = PortalJobs.MailDispatch.Key })).StatusCode);
        Assert.Equal(Quartz.TriggerState.Paused, await node.Scheduler.GetTriggerState(PortalJobs.MailDispatch.TriggerKey));
        Assert.Contains("Tạm dừng", (await mailRow()).QuerySelector("strong.tag")!.TextContent);
        Assert.Equal("Tiếp tục", (await mailRow()).QuerySelectorAll("button").Last().TextContent);
        await using (var restarted = await JobNode.StartAsync(db, "node-restarted"))     // re-declares every trigger
            Assert.Equal(Quartz.TriggerState.Paused, await restarted.Scheduler.GetTriggerState(PortalJobs.MailDispatch.TriggerKey));
        await Staff.PostFormAsync(admin, Url, Url + "?handler=Resume", new() { ["job"] = PortalJobs.MailDispatch.Key });
        Assert.Equal(Quartz.TriggerState.Normal, await node.Scheduler.GetTriggerState(PortalJobs.MailDispatch.TriggerKey));

        // An unknown job is a 404, not a scheduler error.
        Assert.Equal(HttpStatusCode.NotFound, (await Staff.PostFormAsync(admin, Url, Url + "?handler=Trigger", new() { ["job"] = "khong-co" })).StatusCode);
    }

    [Fact]
    public async Task Only_administrators_reach_the_page_and_its_actions()
    {
        var specialist = await SignedInAsync("specialist");
        Assert.NotEqual(HttpStatusCode.OK, (await specialist.GetAsync(Url)).StatusCode);
        var anonymous = db.Portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.GetAsync(Url)).StatusCode);
    }

    [Fact]
    public async Task The_health_check_reports_the_role_and_the_live_nodes()
    {
        await using var node = await JobNode.StartAsync(db, "node-health");
        var json = JsonDocument.Parse(await db.Portal.CreateClient().GetStringAsync("/healthz")).RootElement;

        Assert.Equal("ok", json.GetProperty("status").GetString());
        var scheduler = json.GetProperty("scheduler");
        Assert.Equal("web", scheduler.GetProperty("role").GetString());
        Assert.True(scheduler.GetProperty("nodesAlive").GetInt32() >= 1);
    }

}
