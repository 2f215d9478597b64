using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Portal.Core.BackOffice;
using Portal.Core.Deadlines;
using Portal.Core.Documents;
using Portal.Core.Dossiers;

namespace Portal.Web.Api;

// The staff API (/api/v1/staff): the back office for a unit's own software. Every call goes through BackOffice, so
// scope (a dossier outside the caller's units is a 404), roles (403), the version the caller saw (409) and the
// transition rules (409 with the reason) are the pages' own. Reads take the staff cookie or a staff token; actions
// take the token only (StaffAuth.ApiWritePolicy), so no antiforgery is needed and a session cannot be driven
// cross-site. Errors are problem details in Vietnamese; "type" tells an illegal transition from a conflict.
public static class StaffDossiersApi
{
    public const string IllegalTransitionType = "https://dichvucong.binhson.gov.vn/problems/illegal-transition";
    public const string ConflictType = "https://dichvucong.binhson.gov.vn/problems/conflict";

    public sealed record ListItemOut(string Code, string Procedure, string? Applicant, int Status, string StatusKey, string StatusName,
        string? SubState, DateTimeOffset? DueAt, DateTimeOffset? StepDueAt, string? Holder, int? Step, string? Assignee);

    public sealed record HistoryOut(int Seq, DateTimeOffset At, string Action, string ActionName, int? FromStatus, int ToStatus, string Actor,
        string? ActorName, string? Unit, string? UnitName, string? Note, int? Step, int? ToStep, string? ToUnit, string? ToUnitName,
        string? Receiver, string? Outcome);

    public sealed record ResultOut(int N, string Code, string Title, string FileName, string Sha256, long Size, string MediaType,
        bool SignedByPortal, DateTimeOffset AddedAt);

    public sealed record FormOut(Guid Id, string Kind, string Name, string? Sha256, DateTimeOffset IssuedAt, string IssuedBy);

    public sealed record ClockOut(DateTimeOffset Started, DateTimeOffset OriginalDue, DateTimeOffset CurrentDue, DateTimeOffset? ExtendedDue,
        DateTimeOffset EffectiveDue, DateTimeOffset? Finished, int SupplementRequests, IReadOnlyList<string> LateUnits);

    public sealed record ActionOut(string Key, string Name);

    public sealed record DossierOut(string Code, string ProcedureCode, string Procedure, string? Applicant, int Status, string StatusKey,
        string StatusName, string? SubState, string Channel, string? ReceivingUnit, string? Holder, int? Step, string? Assignee,
        DateTimeOffset? SubmittedAt, DateTimeOffset? ReceivedAt, DateTimeOffset? DueAt, DateTimeOffset? OriginalDueAt, DateTimeOffset? StepDueAt,
        DateTimeOffset? FinishedAt, DateTimeOffset? ReturnedAt, string? DeliveryMethod, int Version, ClockOut? Clock,
        IReadOnlyList<HistoryOut> History, IReadOnlyList<ResultOut> Results, IReadOnlyList<FormOut> Forms, IReadOnlyList<ActionOut> Actions);

    public sealed record ItemIn(short? LineNo, string? Name, string? Reason);

    /// <summary>The body of an action; each action reads what it needs (see the action's description).</summary>
    public sealed record ActionRequest
    {
        public string? Reason { get; init; }
        public string? Note { get; init; }
        public IReadOnlyList<ItemIn>? Items { get; init; }
        public string? Assignee { get; init; }
        public string? Method { get; init; }
        public string? ReceivedBy { get; init; }
        public string? Waybill { get; init; }
        public long? AmountVnd { get; init; }
        /// <summary>ISO 8601 with an offset, e.g. 2026-12-01T16:00:00+07:00.</summary>
        public string? NewDue { get; init; }
        public string? Title { get; init; }
        public int? Version { get; init; }
    }

    public sealed record ActionResultOut(string Code, int Status, string StatusKey, string Message);

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapStaffDossiersApi(this IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup("/api/v1/staff").WithTags("Cán bộ — xử lý hồ sơ");
        staff.MapGet("/dossiers", ListAsync).RequireAuthorization(StaffAuth.ApiPolicy)
            .WithSummary("Danh sách hồ sơ đơn vị đang giữ (lọc theo trạng thái, đơn vị, hồ sơ được phân công cho tôi), 50 hồ sơ một trang")
            .Produces<IReadOnlyList<ListItemOut>>().ProducesValidationProblem();
        staff.MapGet("/dossiers/{code}", GetAsync).RequireAuthorization(StaffAuth.ApiPolicy)
            .WithSummary("Một hồ sơ: trạng thái, lịch sử (các cột của phiếu kiểm soát), kết quả, phiếu đã phát hành, thời hạn, phiên bản (ETag) và các thao tác được phép")
            .Produces<DossierOut>().ProducesProblem(404);
        staff.MapGet("/late-risk", LateRiskAsync).RequireAuthorization(StaffAuth.ApiPolicy)
            .WithSummary("Hồ sơ có nguy cơ trễ hạn tại đơn vị, hạn sớm nhất trước")
            .Produces<IReadOnlyList<ListItemOut>>();
        staff.MapPost("/dossiers/{code}/actions/{action}", ActAsync).RequireAuthorization(StaffAuth.ApiWritePolicy)
            .DisableAntiforgery()    // token only: a browser never sends the Authorization header on its own
            .WithSummary("Thực hiện một thao tác trên hồ sơ (tiếp nhận, yêu cầu bổ sung, từ chối, phân công, chuyển bước, trả kết quả…). Chỉ nhận mã truy cập cán bộ (Bearer st_…).")
            .WithDescription("Thao tác: " + string.Join(", ", StaffActions.All.Select(a => $"{a.Key} ({a.Name})")) + ". "
                + "Thân yêu cầu JSON: reason, note, items [{lineNo, name, reason}], assignee, method, receivedBy, waybill, amountVnd, "
                + "newDue (ISO 8601), title, version. Gửi If-Match: \"<version>\" (hoặc version trong thân) để chỉ ghi khi hồ sơ chưa bị người khác thay đổi. "
                + "add-result nhận multipart/form-data: file, title [, version]. 409 khi thao tác không hợp lệ với trạng thái hồ sơ hoặc hồ sơ vừa bị thay đổi; "
                + "403 khi vai trò không được làm thao tác; 404 khi hồ sơ không thuộc đơn vị hoặc thao tác không có.")
            .Accepts<ActionRequest>("application/json", "multipart/form-data")
            .Produces<ActionResultOut>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(413);
    }

    static IResult Problem(int status, string title, string detail, string? type = null) =>
        Results.Problem(statusCode: status, title: title, detail: detail, type: type);

    static IResult NotFound() => Problem(404, "Không tìm thấy hồ sơ", "Không có hồ sơ này trong các đơn vị của bạn.");

    static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "Có thông tin cần sửa", detail: message);

    static DateTimeOffset? Local(DateTimeOffset? instant) => instant is { } i ? LegalTime.Local(i) : null;

    static ListItemOut ToItem(OfficeListItem i) => new(i.Code, i.ProcedureName, i.ApplicantName, i.Status, DossierStatus.Key(i.Status),
        i.StatusName, i.SubState, Local(i.DueAt), Local(i.StepDueAt), i.HolderName ?? i.ReceivingName, i.Step, i.AssigneeName);

    static async Task<IResult> ListAsync(HttpContext context, BackOffice office, string? status, string? unit, bool? mine, int? page, CancellationToken ct)
    {
        short? wanted = null;
        if (status is { Length: > 0 })
        {
            if (ParseStatus(status) is not { } s)
                return Invalid("status", "Trạng thái là số 1–10 hoặc khóa trạng thái, ví dụ processing.");
            wanted = s;
        }
        var items = await office.ListAsync(StaffAuth.User(context.User), wanted, unit, mine ?? false, Math.Max(1, page ?? 1), ct);
        return Results.Ok(items.Select(ToItem));
    }

    static short? ParseStatus(string value)
    {
        if (short.TryParse(value, out var n)) return n is >= DossierStatus.Submitted and <= DossierStatus.Returned ? n : null;
        for (short s = DossierStatus.Submitted; s <= DossierStatus.Returned; s++)
            if (DossierStatus.Key(s) == value) return s;
        return null;
    }

    static async Task<IResult> LateRiskAsync(HttpContext context, BackOffice office, int? page, CancellationToken ct) =>
        Results.Ok((await office.LateRiskAsync(StaffAuth.User(context.User), Math.Max(1, page ?? 1), ct)).Select(ToItem));

    static async Task<IResult> GetAsync(HttpContext context, string code, BackOffice office, CancellationToken ct)
    {
        if (!DossierCode.LooksValid(code)) return NotFound();
        var d = await office.ViewAsync(StaffAuth.User(context.User), code, "api", ct);
        if (d is null) return NotFound();
        context.Response.Headers.ETag = $"\"{d.RowVersion}\"";
        context.Response.Headers.CacheControl = "no-store";
        var i = d.Item;
        var clock = d.Clock is { } c
            ? new ClockOut(LegalTime.Local(c.Started), LegalTime.Local(c.OriginalDue), LegalTime.Local(c.CurrentDue), Local(c.ExtendedDue),
                LegalTime.Local(c.EffectiveDue), Local(c.Finished), c.SupplementRequests, c.LateAgencies)
            : null;
        return Results.Ok(new DossierOut(d.Code, d.ProcedureCode, i.ProcedureName, i.ApplicantName, i.Status, DossierStatus.Key(i.Status),
            i.StatusName, i.SubState, i.Channel, d.ReceivingName, i.HolderName, i.Step, i.AssigneeName, Local(i.SubmittedAt), Local(i.ReceivedAt),
            Local(i.DueAt), Local(i.OriginalDueAt), Local(i.StepDueAt), Local(i.FinishedAt), Local(i.ReturnedAt), d.DeliveryMethod, d.RowVersion, clock,
            [.. d.History.Select(h => new HistoryOut(h.Seq, LegalTime.Local(h.At), h.Action, h.ActionName, h.FromStatus, h.ToStatus, h.Actor,
                h.ActorName, h.AgencyCode, h.AgencyName, h.Note, h.Step, h.ToStep, h.ToAgencyCode, h.ToAgencyName, h.Receiver, h.Outcome))],
            [.. d.Results.Select(r => new ResultOut(r.N, r.Code, r.Title, r.FileName, r.Sha256, r.Size, r.MediaType, r.SignedByPortal, LegalTime.Local(r.AddedAt)))],
            [.. d.Forms.Select(f => new FormOut(f.Id, f.Kind, f.Name, f.Sha256, LegalTime.Local(f.IssuedAt), f.IssuedBy))],
            [.. d.Actions.Select(a => new ActionOut(a.Key, a.Name))]));
    }

    static async Task<IResult> ActAsync(HttpContext context, string code, string action, BackOffice office, FileStore files, DossierRules rules,
        IConfiguration config, CancellationToken ct)
    {
        if (StaffActions.Find(action) is null)
            return Problem(404, "Không có thao tác này", $"Thao tác “{action}” không có. Các thao tác: {string.Join(", ", StaffActions.All.Select(a => a.Key))}.");
        if (!DossierCode.LooksValid(code)) return NotFound();

        int? ifMatch = null;
        var header = context.Request.Headers.IfMatch.ToString();
        if (header is { Length: > 0 } && header != "*")
        {
            if (!EntityTagHeaderValue.TryParse(header, out var tag) || !int.TryParse(tag.Tag.AsSpan().Trim('"'), out var n))
                return Invalid("If-Match", "If-Match phải là phiên bản hồ sơ trong dấu ngoặc kép, ví dụ \"3\" (lấy từ ETag khi đọc hồ sơ).");
            ifMatch = n;
        }

        ActionRequest request;
        ResultFile? file = null;
        if (IsMultipart(context.Request, out var boundary))
        {
            if (action != "add-result")
                return Invalid("body", "Chỉ thao tác add-result nhận multipart/form-data; các thao tác khác nhận JSON.");
            var read = await ReadResultAsync(context, boundary, files, rules.MaxFileBytes, ct);
            if (read.Error is { } error) return error;
            (request, file) = (read.Request, read.File);
        }
        else
        {
            try
            {
                request = context.Request.ContentLength == 0 || (context.Request.ContentLength is null && context.Request.ContentType is null)
                    ? new ActionRequest()
                    : await JsonSerializer.DeserializeAsync<ActionRequest>(context.Request.Body, Json, ct) ?? new ActionRequest();
            }
            catch (JsonException e)
            {
                return Invalid(e.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : "body",
                    "Thân yêu cầu không phải JSON hợp lệ cho thao tác này (kiểm tra kiểu của từng trường: amountVnd là số, items là danh sách).");
            }
        }

        DateTimeOffset? newDue = null;
        if (request.NewDue is { Length: > 0 } text)
        {
            if (!DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var due)
                || !text.Contains('T'))
                return Invalid("newDue", "newDue là ngày giờ theo ISO 8601 kèm múi giờ, ví dụ 2026-12-01T16:00:00+07:00.");
            newDue = due.ToUniversalTime();
        }
        var input = new ActionInput
        {
            ExpectedVersion = ifMatch ?? request.Version,
            Reason = request.Reason, Note = request.Note, Assignee = request.Assignee, Method = request.Method,
            ReceivedBy = request.ReceivedBy, Waybill = request.Waybill, AmountVnd = request.AmountVnd, NewDue = newDue, Title = request.Title,
            Items = request.Items?.Select(x => new SupplementItem(x.LineNo, x.Name ?? "", x.Reason ?? "")).ToList(),
        };
        var outcome = await office.ActAsync(StaffAuth.User(context.User), code, action, input, file, Site.PublicBase(context.Request, config), ct);
        return outcome switch
        {
            ActionOutcome.Done done => Results.Ok(new ActionResultOut(code, done.Status, DossierStatus.Key(done.Status), done.Message)),
            ActionOutcome.Refused refused => Problem(409, "Thao tác không hợp lệ với trạng thái hồ sơ", refused.Message, IllegalTransitionType),
            ActionOutcome.Conflict conflict => Problem(409, "Hồ sơ vừa được thay đổi", conflict.Message, ConflictType),
            ActionOutcome.Forbidden forbidden => Problem(403, "Không có quyền", forbidden.Message),
            ActionOutcome.Invalid invalid => Results.ValidationProblem(
                invalid.Problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
                title: "Có thông tin cần sửa", detail: string.Join(" ", invalid.Problems.Select(p => p.Message))),
            _ => NotFound(),
        };
    }

    static bool IsMultipart(HttpRequest request, out string boundary)
    {
        boundary = "";
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)) return false;
        boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value ?? "";
        return true;
    }

    sealed record ResultRead(ActionRequest Request, ResultFile? File, IResult? Error);

    /// <summary>
    /// add-result's multipart body: "file" streamed into the file store (never buffered whole), "title" and "version".
    /// The file type is recognised from its bytes, as for applicants' uploads.
    /// </summary>
    static async Task<ResultRead> ReadResultAsync(HttpContext context, string boundary, FileStore files, long maxBytes, CancellationToken ct)
    {
        static ResultRead Fail(IResult error) => new(new ActionRequest(), null, error);
        if (boundary is not { Length: > 0 and <= 200 }) return Fail(Invalid("body", "Hãy gửi tệp dưới dạng multipart/form-data."));
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = maxBytes + 1024 * 1024;
        var reader = new MultipartReader(boundary, context.Request.Body);
        string? title = null;
        int? version = null;
        ResultFile? file = null;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var name = disposition.Name.Value;
                if (disposition.IsFormDisposition())
                {
                    var value = await new StreamReader(section.Body).ReadToEndAsync(ct);
                    if (value.Length > 1000) return Fail(Invalid(name ?? "body", "Giá trị quá dài."));
                    if (name == "title") title = value;
                    else if (name == "version")
                    {
                        if (!int.TryParse(value, out var v)) return Fail(Invalid("version", "version là số phiên bản hồ sơ."));
                        version = v;
                    }
                    continue;
                }
                if (name != "file" || file is not null) continue;
                var fileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : disposition.FileName.Value;
                var saved = await files.SaveAsync(section.Body, maxBytes, ct);
                if (saved is StoreOutcome.TooLarge)
                    return Fail(Problem(413, "Tệp quá lớn", $"Tệp kết quả tối đa {Portal.Core.Dossiers.Dossiers.Size(maxBytes)}."));
                var stored = ((StoreOutcome.Saved)saved).File;
                if (stored.Type == FileType.Empty) return Fail(Invalid("file", "Tệp rỗng. Hãy chọn lại tệp."));
                if (!Portal.Core.Dossiers.Dossiers.Accepted.Contains(stored.Type))
                    return Fail(Invalid("file", $"Tệp là {stored.Type.Label}; văn bản kết quả nhận PDF, CMS/PKCS#7, ảnh JPEG/PNG, Word, Excel hoặc OpenDocument."));
                file = new ResultFile(stored, string.IsNullOrWhiteSpace(fileName) ? "ket-qua" : fileName);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Fail(Problem(413, "Tệp quá lớn", $"Tệp kết quả tối đa {Portal.Core.Dossiers.Dossiers.Size(maxBytes)}."));
        }
        catch (InvalidDataException)
        {
            return Fail(Invalid("body", "Thân multipart/form-data không đọc được."));
        }
        return new ResultRead(new ActionRequest { Title = title, Version = version }, file, null);
    }
}
