using Portal.Core.Deadlines;
using Portal.Core.Dossiers;
using Portal.Core.Signatures;

namespace Portal.Web.Api;

// The applicants' API (/api/v1/me/dossiers): what the submission pages do, for businesses that file many dossiers.
// Authenticated by a personal API token (Authorization: Bearer) or the session cookie; every dossier is the caller's
// own, anybody else's is a 404. Errors are RFC 7807 problem details in Vietnamese.
public static class ApplicantDossiersApi
{
    /// <summary>Applicant defaults to the account's details; owner to the applicant; delivery to online.</summary>
    public sealed record CreateRequest(string? ProcedureCode, ApplicantAnswers? Applicant, OwnerAnswers? Owner, DeliveryAnswers? Delivery);

    public sealed record FileOut(Guid Id, string FileName, long Size, string MediaType, string Sha256, string SignatureStatus,
        string? Indication, SignatureReport? SignatureReport);

    public sealed record DocumentOut(int ComponentId, string Name, bool Required, bool MustBeSigned, IReadOnlyList<FileOut> Files);

    public sealed record DossierOut(Guid Id, string? Code, int Status, string StatusKey, string StatusName, string ProcedureCode,
        string ProcedureName, string Agency, DateTimeOffset? SubmittedAt, DateTimeOffset? DueAt, IReadOnlyList<DocumentOut> Documents,
        IReadOnlyList<HistoryOut>? History);

    public sealed record HistoryOut(DateTimeOffset At, string Action, string ActionName, int Status, string? Agency);

    public sealed record SubmitOut(string Code, int Status, string StatusKey, DateTimeOffset? DueAt);

    public sealed record ListItemOut(Guid Id, string? Code, int Status, string StatusKey, string ProcedureCode, string ProcedureName,
        DateTimeOffset UpdatedAt, DateTimeOffset? DueAt);

    public static void MapApplicantDossiersApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/me/dossiers").RequireAuthorization(CitizenAuth.ApplicantPolicy).WithTags("Hồ sơ của tôi")
            .DisableAntiforgery();   // cookie callers are covered by SameSite=Lax: browsers do not send it on cross-site POST/PUT
        me.MapGet("", ListAsync).WithSummary("Danh sách hồ sơ (nháp và đã nộp) của người dùng");
        me.MapPost("", CreateAsync).WithSummary("Tạo hồ sơ nháp cho một thủ tục nộp trực tuyến")
            .Produces<DossierOut>(201).ProducesProblem(400).ProducesProblem(404);
        me.MapGet("/{code}", GetAsync).WithSummary("Một hồ sơ theo mã hồ sơ (hoặc id của hồ sơ nháp)")
            .Produces<DossierOut>().ProducesProblem(404);
        me.MapPut("/{id:guid}/documents/{componentId:int}", UploadAsync)
            .WithSummary("Tải một tệp (multipart, trường \"file\") lên một thành phần hồ sơ; tệp PDF/CMS được kiểm tra chữ ký số")
            .Produces<FileOut>(201).ProducesProblem(400).ProducesProblem(404).ProducesProblem(413).ProducesProblem(422);
        me.MapPost("/{id:guid}/submit", SubmitAsync)
            .WithSummary("Gửi hồ sơ. Gửi kèm header Idempotency-Key: gửi lại cùng khóa nhận lại đúng câu trả lời lần đầu. Gửi hồ sơ qua API là lời cam đoan thông tin và giấy tờ là đúng sự thật.")
            .Produces<SubmitOut>().ProducesProblem(404).ProducesProblem(422);
    }

    static Guid Me(HttpContext context) => CitizenAuth.ApplicantId(context.User)!.Value;

    static IResult Problem(int status, string title, string detail, object? errors = null) =>
        Results.Problem(statusCode: status, title: title, detail: detail,
            extensions: errors is null ? null : new Dictionary<string, object?> { ["errors"] = errors });

    static IResult NotFound() => Problem(404, "Không tìm thấy hồ sơ", "Không có hồ sơ này trong tài khoản của bạn.");

    static async Task<IResult> ListAsync(HttpContext context, Dossiers dossiers, CancellationToken ct) =>
        Results.Ok((await dossiers.ListAsync(Me(context), 1000, ct)).Select(i => new ListItemOut(i.Id, i.Code, i.Status,
            DossierStatus.Key(i.Status), i.ProcedureCode, i.ProcedureName, LegalTime.Local(i.UpdatedAt), Local(i.DueAt))));

    static async Task<IResult> CreateAsync(HttpContext context, CreateRequest? request, Dossiers dossiers, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request?.ProcedureCode) || request.ProcedureCode.Length > 64)
            return Problem(400, "Thiếu mã thủ tục", "Gửi {\"procedureCode\": \"<mã thủ tục>\"}, ví dụ mã trong /api/v1/procedures.");
        var me = Me(context);
        var owner = (request.Owner ?? new OwnerAnswers()).Normalised();
        var delivery = (request.Delivery ?? new DeliveryAnswers { Method = "online" }).Normalised();
        var applicant = request.Applicant?.Normalised() ?? await dossiers.ProfileAnswersAsync(me, ct);
        var problems = (request.Applicant is null ? [] : applicant!.Validate()).Select(e => new { field = "applicant." + e.Field, message = e.Message })
            .Concat(owner.Validate().Select(e => new { field = "owner." + e.Field, message = e.Message }))
            .Concat(delivery.Validate().Select(e => new { field = "delivery." + e.Field, message = e.Message })).ToList();
        if (problems.Count > 0) return Problem(400, "Có thông tin cần sửa", string.Join("; ", problems.Select(p => p.message)), problems);
        var id = await dossiers.StartAsync(me, request.ProcedureCode.Trim(), applicant, ct);
        if (id is null) return Problem(404, "Không tìm thấy thủ tục", $"Thủ tục \"{request.ProcedureCode}\" không có hoặc không nhận hồ sơ trực tuyến.");
        var draft = (await dossiers.LoadAsync(me, id, null, ct))!;
        await dossiers.SaveAnswersAsync(me, draft.Id, draft.RowVersion,
            draft.Answers with { Owner = owner, Delivery = delivery, DocumentsDone = [.. draft.Documents.Select(d => d.LineNo)] }, "kiem-tra", ct);
        return Results.Created($"/api/v1/me/dossiers/{id}", await OutAsync(dossiers, (await dossiers.LoadAsync(me, id, null, ct))!, false, ct));
    }

    static async Task<IResult> GetAsync(HttpContext context, string code, Dossiers dossiers, CancellationToken ct)
    {
        var dossier = Guid.TryParse(code, out var id)
            ? await dossiers.LoadAsync(Me(context), id, null, ct)
            : DossierCode.LooksValid(code) ? await dossiers.LoadAsync(Me(context), null, code, ct) : null;
        return dossier is null ? NotFound() : Results.Ok(await OutAsync(dossiers, dossier, true, ct));
    }

    static async Task<IResult> UploadAsync(HttpContext context, Guid id, int componentId, Dossiers dossiers, SignatureStore signatures, CancellationToken ct)
    {
        if (componentId is < 1 or > short.MaxValue) return NotFound();
        var batch = await Uploads.ReadAsync(context, dossiers, Me(context), id, (short)componentId, checkAntiforgery: false, ct);
        switch (batch)
        {
            case Uploads.Batch.NotFound: return NotFound();
            case Uploads.Batch.BadRequest bad: return Problem(400, "Yêu cầu không hợp lệ", bad.Message);
        }
        var outcomes = ((Uploads.Batch.Done)batch).Outcomes;
        if (outcomes.Count == 0) return Problem(400, "Thiếu tệp", "Gửi tệp trong trường \"file\" của multipart/form-data.");
        if (outcomes[0] is UploadOutcome.Refused refused)
            return Problem(refused.Message.Contains("lớn hơn") || refused.Message.Contains("Tổng dung lượng") ? 413 : 422, "Tệp không được nhận", refused.Message);
        var file = ((UploadOutcome.Accepted)outcomes[0]).File;
        var report = file.SignatureReportId is null ? null : await signatures.LatestReportAsync(file.Sha256, ct);
        return Results.Created($"/ho-so/tep/{file.Id}", ToFileOut(file, report));
    }

    static async Task<IResult> SubmitAsync(HttpContext context, Guid id, Dossiers dossiers, IConfiguration config, CancellationToken ct)
    {
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length > 200) return Problem(400, "Khóa không hợp lệ", "Idempotency-Key tối đa 200 ký tự.");
        var me = Me(context);
        // An API submission is the declaration (documented on the endpoint).
        if (await dossiers.LoadAsync(me, id, null, ct) is { IsDraft: true, Answers.Declared: false } draft)
            await dossiers.SaveAnswersAsync(me, id, draft.RowVersion, draft.Answers with { Declared = true }, "kiem-tra", ct);
        var outcome = await dossiers.SubmitAsync(me, id, key == "" ? null : key, Site.PublicBase(context.Request, config), ct);
        return outcome switch
        {
            // Times in Vietnam's offset whichever way they were read, so a repeated key gets the very same answer.
            SubmitOutcome.Submitted s => Results.Ok(new SubmitOut(s.Code, DossierStatus.Submitted, DossierStatus.Key(DossierStatus.Submitted), Local(s.DueAt))),
            SubmitOutcome.Incomplete i => Problem(422, "Hồ sơ chưa đủ để gửi", string.Join("; ", i.Problems.Select(p => p.Message)),
                i.Problems.Select(p => new { field = p.Field, message = p.Message })),
            _ => NotFound(),
        };
    }

    static DateTimeOffset? Local(DateTimeOffset? instant) => instant is { } i ? LegalTime.Local(i) : null;

    static FileOut ToFileOut(DossierFile f, SignatureReport? report) =>
        new(f.Id, f.FileName, f.Size, f.MediaType, f.Sha256, f.SignatureText, f.Indication, report);

    static async Task<DossierOut> OutAsync(Dossiers dossiers, Dossier d, bool withHistory, CancellationToken ct)
    {
        var due = await dossiers.DueAsync(d, ct);
        var history = withHistory && !d.IsDraft
            ? (await dossiers.HistoryAsync(d.Id, ct)).Select(h => new HistoryOut(LegalTime.Local(h.At), h.Action, h.ActionName, h.ToStatus, h.AgencyName)).ToList()
            : null;
        return new DossierOut(d.Id, d.Code, d.Status, DossierStatus.Key(d.Status), d.StatusName, d.ProcedureCode, d.ProcedureName, d.AgencyName,
            Local(d.SubmittedAt), Local(due?.Due ?? d.DueAt),
            [.. d.Documents.Select(s => new DocumentOut(s.LineNo, s.Name, s.Required, s.MustBeSigned, [.. s.Files.Select(f => ToFileOut(f, null))]))],
            history);
    }
}
