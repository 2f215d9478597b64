using System.Net;
using Portal.Core.Deadlines;
using Portal.Core.Dossiers;
using Portal.Tests.Shared;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Dossiers;

// What the applicant does after sending: answer a supplement request, ask to withdraw.
[Collection("db")]
public sealed class CitizenActionsTests(PostgresFixture db)
{
    static readonly SupplementItem[] Items = [new(1, "Tờ khai theo mẫu", "Thiếu chữ ký ở trang 2"), new(null, "Ảnh 4x6", "Ảnh mờ")];

    async Task<(DossierWorld World, Guid Applicant, Guid Id, string Code)> SentAsync()
    {
        var world = await DossierWorld.CreateAsync(db);
        var applicant = await world.ApplicantAsync();
        var id = await world.CompleteDraftAsync(applicant);
        var sent = Assert.IsType<SubmitOutcome.Submitted>(await world.Store.SubmitAsync(applicant, id, null, "https://x", default));
        return (world, applicant, id, sent.Code);
    }

    [Fact]
    public async Task A_supplement_in_processing_stops_the_clock_and_the_answer_moves_the_due_date_by_the_wait()
    {
        var (world, applicant, id, _) = await SentAsync();
        await world.ScalarAsync<int>("UPDATE portal.dossiers SET status = 4 WHERE id = @id RETURNING 1", new { id });   // received and forwarded (back office)
        world.Clock.Now = DossierWorld.Monday9.AddHours(2);   // Monday 11:00: 2 working hours used

        Assert.Null(await world.Store.RequestSupplementAsync(id, Items, "Xem hướng dẫn", "staff:canbo1", default));
        world.Clock.Now = DossierWorld.Monday9.AddDays(2);   // Wednesday 09:00: two working days waiting for the citizen
        var waiting = (await world.Store.LoadAsync(applicant, id, null, default))!;
        Assert.Equal((DossierStatus.AwaitingSupplement, "5.in_processing"), (waiting.Status, waiting.SubState));
        Assert.Equal("Tờ khai theo mẫu: Thiếu chữ ký ở trang 2; Ảnh 4x6: Ảnh mờ", (await world.Store.HistoryAsync(id, default))[^1].Note);

        Assert.Null(await world.Store.ResubmitAsync(applicant, id, "Đã ký bổ sung", default));

        var back = (await world.Store.LoadAsync(applicant, id, null, default))!;
        Assert.Equal(DossierStatus.Processing, back.Status);
        // Due was Thursday 09:00. Stopped Monday 11:00 → Wednesday 09:00 is 0.5 + 3.5 + 8 + 2 = 14 working hours
        // (07:00–11:30, 13:30–17:00), which push the due to Friday 17:00.
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 17, 0, 0, TimeSpan.FromHours(7)), back.DueAt);
        Assert.Equal(["submit", "request-supplement", "resubmit"], (await world.Store.HistoryAsync(id, default)).Select(h => h.Action));
        Assert.NotNull(Assert.Single(await world.Store.RequestsAsync(id, default)).AnsweredAt);
        Assert.Equal("Hồ sơ không ở trạng thái chờ bổ sung (có thể bạn đã nộp bổ sung rồi). Hãy tải lại trang để xem trạng thái mới.",
            (await world.Store.ResubmitAsync(applicant, id, null, default))!.Message);
        Assert.Equal(1, await world.ScalarAsync<int>(
            "SELECT count(*) FROM portal.dossier_clock_segments WHERE dossier_id = @id AND cause = 'supplement-requested'", new { id }));
    }

    [Fact]
    public async Task A_supplement_at_reception_returns_the_dossier_to_reception_and_tells_the_applicant()
    {
        var (world, applicant, id, code) = await SentAsync();

        Assert.Null(await world.Store.RequestSupplementAsync(id, Items, null, "staff:canbo1", default));
        var upload = await world.Store.UploadAsync(applicant, id, 1, "to-khai-da-ky.pdf", new MemoryStream(TestPdfs.OnePage("Tờ khai đã ký")), default);
        Assert.IsType<UploadOutcome.Accepted>(upload);
        Assert.Null(await world.Store.ResubmitAsync(applicant, id, null, default));

        Assert.Equal(DossierStatus.Submitted, (await world.Store.LoadAsync(applicant, id, null, default))!.Status);
        Assert.Contains("Thiếu chữ ký ở trang 2", await world.ScalarAsync<string>(
            "SELECT body_text FROM portal.outbox_messages WHERE dossier_id = @id AND kind = 'supplement-requested'", new { id }));
        Assert.Equal("Liệt kê mọi giấy tờ cần bổ sung, mỗi giấy tờ kèm lý do.",
            (await world.Store.RequestSupplementAsync(id, [new(1, "Tờ khai", " ")], null, "staff:x", default))!.Message);
        Assert.NotEmpty(code);
    }

    [Fact]
    public async Task Withdrawal_needs_a_reason_and_is_refused_once_the_result_is_ready()
    {
        var (world, applicant, id, _) = await SentAsync();

        Assert.Equal("Nhập lý do rút hồ sơ", (await world.Store.WithdrawAsync(applicant, id, "  ", default))!.Message);
        Assert.Null(await world.Store.WithdrawAsync(applicant, id, "Nộp nhầm thủ tục", default));
        var withdrawn = (await world.Store.LoadAsync(applicant, id, null, default))!;
        Assert.Equal((DossierStatus.WithdrawalRequested, "7.from-1"), (withdrawn.Status, withdrawn.SubState));
        Assert.Equal("Bạn đã gửi yêu cầu rút hồ sơ này; cán bộ đang xem xét.", (await world.Store.WithdrawAsync(applicant, id, "Lần nữa", default))!.Message);

        await world.ScalarAsync<int>("UPDATE portal.dossiers SET status = 9 WHERE id = @id RETURNING 1", new { id });
        Assert.Equal("Hồ sơ đang ở trạng thái “Đã xử lý xong”, không thể rút.", (await world.Store.WithdrawAsync(applicant, id, "Muộn rồi", default))!.Message);
        Assert.Null(await world.Store.WithdrawAsync(await world.ApplicantAsync(), id, "Không phải của tôi", default) is { Message: "Không có hồ sơ này." } ? null : "leak");
    }
}
