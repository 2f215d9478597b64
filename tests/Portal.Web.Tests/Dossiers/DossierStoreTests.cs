using System.Text;
using Dapper;
using Portal.Core.Dossiers;
using Portal.Tests.Shared;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Dossiers;

[Collection("db")]
public sealed class DossierStoreTests(PostgresFixture db, Portal.Web.Tests.Signatures.SignedFiles signed) : IClassFixture<Portal.Web.Tests.Signatures.SignedFiles>
{
    [Fact]
    public async Task A_draft_keeps_its_answers_and_nobody_else_sees_it()
    {
        var world = await DossierWorld.CreateAsync(db);
        var huong = await world.ApplicantAsync();
        var other = await world.ApplicantAsync();
        var id = (await world.Store.StartAsync(huong, world.ProcedureCode, DossierWorld.Huong, default))!.Value;

        var draft = (await world.Store.LoadAsync(huong, id, null, default))!;
        var saved = await world.Store.SaveAnswersAsync(huong, id, draft.RowVersion,
            draft.Answers with { Owner = new OwnerAnswers { SameAsApplicant = false, FullName = "Trần Văn Bình", IdNumber = "001080000001", Address = "Hà Nội" } },
            "giay-to-1", default);

        var again = (await world.Store.LoadAsync(huong, id, null, default))!;
        Assert.Equal(draft.RowVersion + 1, saved);
        Assert.Equal("Trần Văn Bình", again.Answers.Owner!.FullName);
        Assert.Equal("Nguyễn Thị Hường", again.Answers.Applicant!.FullName);
        Assert.Equal("giay-to-1", again.CurrentStep);
        Assert.Equal(DossierWorld.Monday9.AddDays(30), again.ExpiresAt);
        Assert.Null(await world.Store.LoadAsync(other, id, null, default));
        Assert.Null(await world.Store.SaveAnswersAsync(other, id, again.RowVersion, new DossierAnswers(), "x", default));
    }

    [Fact]
    public async Task A_save_from_a_stale_page_is_refused_and_changes_nothing()
    {
        var world = await DossierWorld.CreateAsync(db);
        var huong = await world.ApplicantAsync();
        var id = (await world.Store.StartAsync(huong, world.ProcedureCode, DossierWorld.Huong, default))!.Value;
        var draft = (await world.Store.LoadAsync(huong, id, null, default))!;
        Assert.NotNull(await world.Store.SaveAnswersAsync(huong, id, draft.RowVersion, draft.Answers with { Declared = true }, "a", default));

        var stale = await world.Store.SaveAnswersAsync(huong, id, draft.RowVersion, draft.Answers with { Delivery = new() { Method = "post" } }, "b", default);

        Assert.Null(stale);
        var now = (await world.Store.LoadAsync(huong, id, null, default))!;
        Assert.True(now.Answers.Declared);
        Assert.Null(now.Answers.Delivery);
    }

    [Fact]
    public async Task A_wrong_file_type_or_an_oversize_file_is_refused_and_the_files_already_there_stay()
    {
        var world = await DossierWorld.CreateAsync(db, new DossierRules { MaxFileBytes = 64 * 1024 });
        var huong = await world.ApplicantAsync();
        var id = (await world.Store.StartAsync(huong, world.ProcedureCode, DossierWorld.Huong, default))!.Value;
        var first = await world.Store.UploadAsync(huong, id, 1, "to-khai.pdf", new MemoryStream(TestPdfs.OnePage("Tờ khai")), default);
        Assert.IsType<UploadOutcome.Accepted>(first);

        var text = await world.Store.UploadAsync(huong, id, 1, "ghi-chu.pdf", new MemoryStream(Encoding.UTF8.GetBytes("không phải PDF")), default);
        var big = await world.Store.UploadAsync(huong, id, 2, "anh.png", new MemoryStream(new byte[200 * 1024]), default);

        Assert.Equal("Tệp \"ghi-chu.pdf\" là tệp văn bản thuần. Tệp phải là PDF, JPG, PNG, Word (.docx), Excel (.xlsx) hoặc OpenDocument (.odt).",
            Assert.IsType<UploadOutcome.Refused>(text).Message);
        Assert.Equal("Tệp \"anh.png\" lớn hơn 64 KB — hãy chia nhỏ hoặc giảm độ phân giải rồi tải lên lại.", Assert.IsType<UploadOutcome.Refused>(big).Message);
        var dossier = (await world.Store.LoadAsync(huong, id, null, default))!;
        var kept = Assert.Single(dossier.Documents.SelectMany(d => d.Files));
        Assert.Equal("to-khai.pdf", kept.FileName);
        Assert.Empty(Directory.GetFiles(Path.Combine(world.FilesRoot, "incoming")));
    }

    [Fact]
    public async Task A_pdf_is_stored_by_its_hash_with_its_signature_report()
    {
        var world = await DossierWorld.CreateAsync(db);
        var huong = await world.ApplicantAsync();
        var id = (await world.Store.StartAsync(huong, world.ProcedureCode, DossierWorld.Huong, default))!.Value;
        var pdf = TestPdfs.OnePage("Văn bản ủy quyền");

        var accepted = Assert.IsType<UploadOutcome.Accepted>(
            await world.Store.UploadAsync(huong, id, 2, @"C:\Users\huong\Tài liệu\uy<quyen>.pdf", new MemoryStream(pdf), default)).File;

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf)), accepted.Sha256);
        Assert.Equal("uy_quyen_.pdf".Normalize(), accepted.FileName.Replace("Tài liệu", ""));
        Assert.Equal("NO_SIGNATURE_FOUND", accepted.Indication);
        Assert.Equal("Không có chữ ký số", accepted.SignatureText);
        Assert.Equal(pdf, await File.ReadAllBytesAsync(Path.Combine(world.FilesRoot, accepted.Sha256[..2], accepted.Sha256[2..4], accepted.Sha256)));
        var dossier = (await world.Store.LoadAsync(huong, id, null, default))!;
        Assert.Equal(["Văn bản ủy quyền"], dossier.UnsignedWhereRequired.Select(d => d.Name));
    }

    [Fact]
    public async Task The_dossier_limit_counts_every_file()
    {
        var world = await DossierWorld.CreateAsync(db, new DossierRules { MaxDossierBytes = 3000 });
        var huong = await world.ApplicantAsync();
        var id = (await world.Store.StartAsync(huong, world.ProcedureCode, DossierWorld.Huong, default))!.Value;
        var pdf = TestPdfs.OnePage("Tờ khai");
        Assert.IsType<UploadOutcome.Accepted>(await world.Store.UploadAsync(huong, id, 1, "a.pdf", new MemoryStream(pdf), default));

        var second = await world.Store.UploadAsync(huong, id, 1, "b.pdf", new MemoryStream(TestPdfs.Pages(3, "Phụ lục", 800)), default);

        Assert.StartsWith("Tổng dung lượng hồ sơ không được quá 3 KB", Assert.IsType<UploadOutcome.Refused>(second).Message);
        Assert.Single((await world.Store.LoadAsync(huong, id, null, default))!.Documents.SelectMany(d => d.Files));
    }

    [Fact]
    public async Task An_incomplete_draft_is_not_sent_and_says_what_is_missing()
    {
        var world = await DossierWorld.CreateAsync(db);
        var huong = await world.ApplicantAsync();
        var id = (await world.Store.StartAsync(huong, world.ProcedureCode, DossierWorld.Huong, default))!.Value;

        var outcome = await world.Store.SubmitAsync(huong, id, null, "https://dvc.example", default);

        Assert.Equal(["chu-ho-so", "giay-to-1", "nhan-ket-qua", "Declared"],
            Assert.IsType<SubmitOutcome.Incomplete>(outcome).Problems.Select(p => p.Field));
        Assert.Equal(0, await world.ScalarAsync<short>("SELECT status FROM portal.dossiers WHERE id = @id", new { id }));
    }

    [Fact]
    public async Task Submitting_gives_a_code_history_clock_and_acknowledgement_in_one_go_and_a_second_submit_changes_nothing()
    {
        var world = await DossierWorld.CreateAsync(db);
        var huong = await world.ApplicantAsync();
        var id = await world.CompleteDraftAsync(huong);

        var sent = Assert.IsType<SubmitOutcome.Submitted>(await world.Store.SubmitAsync(huong, id, null, "https://dvc.example", default));
        var again = Assert.IsType<SubmitOutcome.Submitted>(await world.Store.SubmitAsync(huong, id, null, "https://dvc.example", default));

        Assert.Equal($"{world.AgencyCode}-261123-0001", sent.Code);
        Assert.False(sent.Repeated);
        Assert.Equal((sent.Code, true), (again.Code, again.Repeated));
        // 3 working days from Monday 09:00 → Thursday 09:00.
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.FromHours(7)), sent.DueAt);
        var dossier = (await world.Store.LoadAsync(huong, null, sent.Code, default))!;
        Assert.Equal((DossierStatus.Submitted, "1.online", (DateTimeOffset?)null), (dossier.Status, dossier.SubState, dossier.ExpiresAt));
        var history = Assert.Single(await world.Store.HistoryAsync(id, default));
        Assert.Equal(("submit", (short)0, (short)1, world.AgencyCode), (history.Action, history.FromStatus!.Value, history.ToStatus, history.AgencyCode));
        Assert.Equal(1, await world.ScalarAsync<int>("SELECT count(*) FROM portal.dossier_clock_segments WHERE dossier_id = @id AND state = 'running'", new { id }));
        var mail = await world.ScalarAsync<string>("SELECT recipient || ' ' || subject || ' ' || body_text FROM portal.outbox_messages WHERE dossier_id = @id", new { id });
        Assert.Contains($"huong@example.vn Đã nhận hồ sơ {sent.Code}", mail);
        Assert.Contains($"https://dvc.example/tra-cuu?ma={sent.Code}", mail);
        var due = (await world.Store.DueAsync(dossier, default))!;
        Assert.Equal(sent.DueAt, due.Due);
        Assert.Equal("Còn 3 ngày làm việc", due.Left);
    }

    [Fact]
    public async Task Fifty_parallel_submissions_to_one_unit_get_fifty_consecutive_codes()
    {
        var world = await DossierWorld.CreateAsync(db);
        var drafts = new List<(Guid Applicant, Guid Id)>();
        for (var i = 0; i < 50; i++)
        {
            var applicant = await world.ApplicantAsync();
            drafts.Add((applicant, await world.CompleteDraftAsync(applicant)));
        }

        var outcomes = await Task.WhenAll(drafts.Select(d => Task.Run(() => world.Store.SubmitAsync(d.Applicant, d.Id, null, "https://dvc.example", default))));

        var codes = outcomes.Select(o => Assert.IsType<SubmitOutcome.Submitted>(o).Code).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(1, 50).Select(n => $"{world.AgencyCode}-261123-{n:0000}"), codes);
    }

    [Fact]
    public async Task A_rolled_back_submission_gives_its_number_back()
    {
        var world = await DossierWorld.CreateAsync(db);
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        await using (var tx = await conn.BeginTransactionAsync())
        {
            Assert.EndsWith("-0001", await DossierCode.NextAsync(conn, tx, world.AgencyCode, new DateOnly(2026, 11, 23)));
            await tx.RollbackAsync();
        }
        var huong = await world.ApplicantAsync();

        var sent = Assert.IsType<SubmitOutcome.Submitted>(await world.Store.SubmitAsync(huong, await world.CompleteDraftAsync(huong), null, "https://x", default));

        Assert.EndsWith("-261123-0001", sent.Code);
    }

    [Fact]
    public async Task The_same_idempotency_key_answers_with_the_first_dossier()
    {
        var world = await DossierWorld.CreateAsync(db);
        var huong = await world.ApplicantAsync();
        var first = await world.CompleteDraftAsync(huong);
        var second = await world.CompleteDraftAsync(huong);

        var a = Assert.IsType<SubmitOutcome.Submitted>(await world.Store.SubmitAsync(huong, first, "khoa-1", "https://x", default));
        var b = Assert.IsType<SubmitOutcome.Submitted>(await world.Store.SubmitAsync(huong, second, "khoa-1", "https://x", default));

        Assert.Equal((a.Id, a.Code, true), (b.Id, b.Code, b.Repeated));
        Assert.Equal(0, await world.ScalarAsync<short>("SELECT status FROM portal.dossiers WHERE id = @second", new { second }));
    }

    [Fact]
    public async Task The_lookup_needs_the_code_and_the_phone_or_id_number_and_says_nothing_otherwise()
    {
        var world = await DossierWorld.CreateAsync(db);
        var huong = await world.ApplicantAsync();
        var sent = Assert.IsType<SubmitOutcome.Submitted>(await world.Store.SubmitAsync(huong, await world.CompleteDraftAsync(huong), null, "https://x", default));

        var byPhone = await world.Store.LookupAsync(sent.Code, "0912.345.678", default);
        var byId = await world.Store.LookupAsync(sent.Code.ToLowerInvariant(), "001190012345", default);

        Assert.Equal(("Mới đăng ký", 1), (byPhone!.StatusName, byPhone.History.Count));
        Assert.Equal(sent.Code, byId!.Code);
        Assert.Null(await world.Store.LookupAsync(sent.Code, "0912345679", default));
        Assert.Null(await world.Store.LookupAsync(sent.Code[..^1] + "9", "0912345678", default));
        Assert.Null(await world.Store.LookupAsync(sent.Code, "", default));
    }

    [Fact]
    public async Task A_draft_about_to_expire_is_reminded_once_and_an_expired_one_is_deleted()
    {
        var world = await DossierWorld.CreateAsync(db);
        var huong = await world.ApplicantAsync();
        var id = (await world.Store.StartAsync(huong, world.ProcedureCode, DossierWorld.Huong, default))!.Value;
        Assert.IsType<UploadOutcome.Accepted>(await world.Store.UploadAsync(huong, id, 1, "a.pdf", new MemoryStream(TestPdfs.OnePage("A")), default));
        string Reminders() => $"SELECT count(*) FROM portal.outbox_messages WHERE dossier_id = '{id}' AND kind = 'draft-expiring'";

        world.Clock.Now = DossierWorld.Monday9.AddDays(26);   // four days left: not yet
        await world.Store.RemindExpiringDraftsAsync(TimeSpan.FromDays(3), "https://dvc.example", default);
        Assert.Equal(0L, await world.ScalarAsync<long>(Reminders()));
        world.Clock.Now = DossierWorld.Monday9.AddDays(28);   // two days left
        await world.Store.RemindExpiringDraftsAsync(TimeSpan.FromDays(3), "https://dvc.example", default);
        await world.Store.RemindExpiringDraftsAsync(TimeSpan.FromDays(3), "https://dvc.example", default);
        Assert.Equal(1L, await world.ScalarAsync<long>(Reminders()));
        Assert.Contains($"https://dvc.example/nop-ho-so/{world.ProcedureCode}/{id}",
            await world.ScalarAsync<string>($"SELECT body_text FROM portal.outbox_messages WHERE dossier_id = '{id}'"));

        world.Clock.Now = DossierWorld.Monday9.AddDays(30).AddMinutes(1);
        Assert.True(await world.Store.ExpireDraftsAsync(default) >= 1);

        Assert.Null(await world.Store.LoadAsync(huong, id, null, default));
        Assert.Equal(0L, await world.ScalarAsync<long>($"SELECT count(*) FROM portal.dossier_files WHERE dossier_id = '{id}'"));
        Assert.Equal(1L, await world.ScalarAsync<long>("SELECT count(*) FROM portal.outbox_messages WHERE kind = 'draft-expiring' AND dossier_id IS NULL AND body_text LIKE '%' || @id || '%'", new { id = id.ToString() }));
    }

    [Fact]
    public async Task Working_on_a_draft_again_renews_it_and_clears_the_reminder()
    {
        var world = await DossierWorld.CreateAsync(db);
        var huong = await world.ApplicantAsync();
        var id = (await world.Store.StartAsync(huong, world.ProcedureCode, DossierWorld.Huong, default))!.Value;
        world.Clock.Now = DossierWorld.Monday9.AddDays(28);
        await world.Store.RemindExpiringDraftsAsync(TimeSpan.FromDays(3), "https://x", default);

        var draft = (await world.Store.LoadAsync(huong, id, null, default))!;
        await world.Store.SaveAnswersAsync(huong, id, draft.RowVersion, draft.Answers with { Declared = true }, "kiem-tra", default);

        Assert.Equal(DossierWorld.Monday9.AddDays(58), (await world.Store.LoadAsync(huong, id, null, default))!.ExpiresAt);
        Assert.Equal(0L, await world.ScalarAsync<long>($"SELECT count(*) FROM portal.dossiers WHERE id = '{id}' AND expiry_reminded_at IS NOT NULL"));
    }

    [Fact]
    public async Task The_same_content_uploaded_twice_to_a_document_is_one_file()
    {
        var world = await DossierWorld.CreateAsync(db);
        var huong = await world.ApplicantAsync();
        var id = (await world.Store.StartAsync(huong, world.ProcedureCode, DossierWorld.Huong, default))!.Value;
        var pdf = TestPdfs.OnePage("Tờ khai");

        var first = Assert.IsType<UploadOutcome.Accepted>(await world.Store.UploadAsync(huong, id, 1, "a.pdf", new MemoryStream(pdf), default)).File;
        var again = Assert.IsType<UploadOutcome.Accepted>(await world.Store.UploadAsync(huong, id, 1, "a (1).pdf", new MemoryStream(pdf), default)).File;

        Assert.Equal(first.Id, again.Id);
        Assert.Single((await world.Store.LoadAsync(huong, id, null, default))!.Documents[0].Files);
    }

    [Fact]
    public async Task A_broken_pdf_or_a_lone_detached_signature_is_refused_with_what_to_do()
    {
        var world = await DossierWorld.CreateAsync(db);
        var huong = await world.ApplicantAsync();
        var id = (await world.Store.StartAsync(huong, world.ProcedureCode, DossierWorld.Huong, default))!.Value;
        var pdf = TestPdfs.OnePage("Tờ khai");

        var broken = await world.Store.UploadAsync(huong, id, 1, "hong.pdf", new MemoryStream([.. pdf[..200], .. new byte[300]]), default);
        var p7s = await world.Store.UploadAsync(huong, id, 1, "chu-ky.p7s", new MemoryStream(signed.DetachedSignature), default);

        Assert.Equal("Tệp PDF \"hong.pdf\" bị hỏng, không mở được. Hãy mở lại tệp trên máy, lưu hoặc xuất lại thành PDF rồi tải lên.",
            Assert.IsType<UploadOutcome.Refused>(broken).Message);
        Assert.StartsWith("Tệp \"chu-ky.p7s\" là chữ ký rời (.p7s)", Assert.IsType<UploadOutcome.Refused>(p7s).Message);
        Assert.Empty((await world.Store.LoadAsync(huong, id, null, default))!.Documents.SelectMany(d => d.Files));
    }

    [Fact]
    public async Task A_draft_sent_after_the_procedure_changed_moves_to_the_new_version_and_keeps_files_by_document_name()
    {
        var world = await DossierWorld.CreateAsync(db);
        var huong = await world.ApplicantAsync();
        var id = await world.CompleteDraftAsync(huong);
        Assert.IsType<UploadOutcome.Accepted>(await world.Store.UploadAsync(huong, id, 2, "uy-quyen.pdf", new MemoryStream(TestPdfs.OnePage("Ủy quyền")), default));
        var (agency, field, procedure) = world.Catalogue;
        await Given.ImportAsync(db, [agency], [field], [procedure with
        {
            EffectiveFrom = new DateOnly(2026, 11, 23),
            Documents = [new("Tờ khai theo mẫu", 1, 0, true, null, false), new("Giấy xác nhận cư trú", 1, 0, true, null, false)],
        }]);

        var first = await world.Store.SubmitAsync(huong, id, null, "https://x", default);

        Assert.Equal(["thu-tuc"], Assert.IsType<SubmitOutcome.Incomplete>(first).Problems.Select(p => p.Field));
        var moved = (await world.Store.LoadAsync(huong, id, null, default))!;
        Assert.Equal(["Tờ khai theo mẫu", "Giấy xác nhận cư trú"], moved.Documents.Select(d => d.Name));
        Assert.Equal(["to-khai.pdf"], moved.Documents[0].Files.Select(f => f.FileName));
        Assert.Empty(moved.Documents[1].Files);   // the authorisation is not asked for any more: kept in history only
        Assert.Equal(["giay-to-2"], Assert.IsType<SubmitOutcome.Incomplete>(await world.Store.SubmitAsync(huong, id, null, "https://x", default)).Problems.Select(p => p.Field));
        Assert.IsType<UploadOutcome.Accepted>(await world.Store.UploadAsync(huong, id, 2, "cu-tru.pdf", new MemoryStream(TestPdfs.OnePage("Cư trú")), default));
        Assert.IsType<SubmitOutcome.Submitted>(await world.Store.SubmitAsync(huong, id, null, "https://x", default));
    }

    [Fact]
    public async Task A_procedure_version_may_set_its_own_file_limit()
    {
        var world = await DossierWorld.CreateAsync(db);
        var huong = await world.ApplicantAsync();
        var id = (await world.Store.StartAsync(huong, world.ProcedureCode, DossierWorld.Huong, default))!.Value;
        await world.ScalarAsync<int>("""
            UPDATE portal.procedure_version SET max_file_bytes = 2048
             WHERE id = (SELECT version_id FROM portal.dossiers WHERE id = @id) RETURNING 1
            """, new { id });

        var outcome = await world.Store.UploadAsync(huong, id, 1, "to-khai.pdf", new MemoryStream(TestPdfs.Pages(1, "Tờ khai", 4000)), default);

        Assert.StartsWith("Tệp \"to-khai.pdf\" lớn hơn 2 KB", Assert.IsType<UploadOutcome.Refused>(outcome).Message);
        Assert.Equal((2048L, 100L * 1024 * 1024), ((await world.Store.LoadAsync(huong, id, null, default))!.MaxFileBytes, (await world.Store.LoadAsync(huong, id, null, default))!.MaxDossierBytes));
    }
}
