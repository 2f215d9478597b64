using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using Portal.Core.BackOffice;
using Portal.Core.Catalogue;
using Portal.Core.Deadlines;
using Portal.Core.Dossiers;

namespace Portal.Web.Pages.Staff;

// /can-bo/tiep-nhan/moi: a paper dossier typed in by a receiving officer, at the counter or from a parcel. First the
// procedure (a GET form, so the address can be shared and Back works), then one form: channel, waybill, applicant,
// how the result is collected and the documents received on paper. Created → the dossier page with a message;
// invalid → the same form with the error summary and everything typed kept. Other roles get 403 with the reason.
public sealed class IntakeModel(BackOffice office, CatalogueCache cache, NpgsqlDataSource db, TimeProvider clock, IConfiguration config) : PageModel
{
    public const string Role = "receiving-officer";

    /// <summary>The procedure code typed in the first step (GET) or carried by the form (POST).</summary>
    [BindProperty(SupportsGet = true, Name = "thu-tuc")] public string? ProcedureCode { get; set; }
    [BindProperty] public string Channel { get; set; } = "";
    [BindProperty] public string? Waybill { get; set; }
    [BindProperty] public string Kind { get; set; } = "individual";
    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public string? BirthDate { get; set; }
    [BindProperty] public string? IdNumber { get; set; }
    [BindProperty] public string? TaxCode { get; set; }
    [BindProperty] public string? Representative { get; set; }
    [BindProperty] public string? Address { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string DeliveryMethod { get; set; } = "";
    [BindProperty] public List<short> DocumentsReceived { get; set; } = [];

    /// <summary>The procedure chosen, once its code names one in force that takes paper dossiers.</summary>
    public ProcedureDetail? Procedure { get; private set; }
    public List<FieldError> Errors { get; } = [];
    /// <summary>Why the user may not take in dossiers here (a role or unit problem), instead of the form.</summary>
    public string? Refusal { get; private set; }

    [TempData(Key = "staff-done")] public string? DoneMessage { get; set; }

    /// <summary>The paper channels the procedure takes, in the order the form offers them.</summary>
    public IReadOnlyList<(string Value, string Label)> Channels => Procedure is null ? [] :
        [.. new[] { ("direct", "Trực tiếp tại quầy"), ("postal", "Qua bưu chính") }.Where(c => Procedure.Channels.Contains(c.Item1))];

    public static readonly IReadOnlyList<(string Value, string Label)> DeliveryMethods =
        [("counter", "Nhận tại bộ phận một cửa"), ("post", "Qua bưu chính công ích"), ("online", "Trực tuyến (tải về trên cổng, cần email)")];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Refused()) return Page();
        if (string.IsNullOrWhiteSpace(ProcedureCode)) return Page();
        await ChooseAsync(ct);
        if (Procedure is not null)
        {
            Channel = Channels[0].Value;
            DeliveryMethod = "counter";
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Refused()) return Page();
        await ChooseAsync(ct);
        if (Procedure is null) return Page();
        var input = new IntakeInput
        {
            ProcedureCode = Procedure.Code, Channel = Channel, Waybill = Waybill, DeliveryMethod = DeliveryMethod,
            DocumentsReceived = DocumentsReceived,
            Applicant = new ApplicantAnswers
            {
                Kind = Kind, FullName = FullName ?? "", BirthDate = BirthDate ?? "", IdNumber = IdNumber ?? "", TaxCode = TaxCode ?? "",
                Representative = Representative ?? "", Address = Address ?? "", Phone = Phone ?? "", Email = Email ?? "",
            },
        };
        switch (await office.IntakeAsync(StaffAuth.User(User), input, Site.PublicBase(Request, config), ct))
        {
            case IntakeOutcome.Created created:
                DoneMessage = created.Status switch
                {
                    DossierStatus.Received => $"Đã tiếp nhận hồ sơ {created.Code} tại quầy và cấp giấy tiếp nhận, hẹn trả kết quả.",
                    _ when Channel == "postal" => $"Đã ghi nhận hồ sơ {created.Code} nhận qua bưu chính. Hồ sơ chờ kiểm tra và tiếp nhận.",
                    _ => $"Đã ghi nhận hồ sơ {created.Code}, nhưng chưa tiếp nhận được. Hãy tiếp nhận trên trang này.",
                };
                return Redirect($"/can-bo/ho-so/{Uri.EscapeDataString(created.Code)}");
            case IntakeOutcome.Invalid invalid:
                // Problems of the account (no unit) have no field: shown as the reason instead of the form.
                if (invalid.Problems.FirstOrDefault(p => p.Field == "") is { } general)
                {
                    Refusal = general.Message;
                    Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Page();
                }
                Errors.AddRange(invalid.Problems.OrderBy(p => Array.IndexOf(FieldOrder, p.Field) is var i and >= 0 ? i : FieldOrder.Length));
                break;
        }
        return Page();
    }

    /// <summary>The form's fields in page order, so the summary lists problems as the officer meets them.</summary>
    static readonly string[] FieldOrder =
        ["ProcedureCode", "Channel", "Waybill", "Kind", "FullName", "BirthDate", "IdNumber", "TaxCode", "Representative", "Address", "Phone", "Email",
         "DeliveryMethod", "DocumentsReceived"];

    bool Refused()
    {
        var user = StaffAuth.User(User);
        Refusal = !user.Has(Role) ? "Chỉ cán bộ tiếp nhận (bộ phận một cửa) nhận hồ sơ trực tiếp hoặc qua bưu chính. Tài khoản của bạn không có vai trò này."
            : user.AgencyCode is null ? "Tài khoản của bạn chưa gắn với đơn vị tiếp nhận nào. Liên hệ quản trị để được gắn đơn vị."
            : null;
        if (Refusal is not null) Response.StatusCode = StatusCodes.Status403Forbidden;
        return Refusal is not null;
    }

    /// <summary>Looks the code up: a procedure in force that takes dossiers at the counter or by post, else an error.</summary>
    async Task ChooseAsync(CancellationToken ct)
    {
        var code = (ProcedureCode ?? "").Trim();
        ProcedureCode = code;
        if (code == "")
        {
            Errors.Add(new("ProcedureCode", "Nhập mã thủ tục, ví dụ 1.001193.H56"));
            return;
        }
        var detail = code.Length > 64 ? null : await ProcedureDetails.LoadCachedAsync(cache, db, code, LegalTime.Today(clock), ct);
        if (detail is null)
            Errors.Add(new("ProcedureCode", "Không tìm thấy thủ tục đang có hiệu lực với mã này. Kiểm tra lại mã trên danh mục thủ tục"));
        else if (!detail.Channels.Contains("direct") && !detail.Channels.Contains("postal"))
            Errors.Add(new("ProcedureCode", "Thủ tục này chỉ nhận hồ sơ trực tuyến. Hướng dẫn người nộp nộp trên cổng"));
        else
            Procedure = detail;
    }

    public void MarkErrors() => ViewData["HasErrors"] = Errors.Count > 0;

    /// <summary>"1 bản chính, 1 bản sao" for a document line.</summary>
    public static string Counts(RequiredDocument d) => string.Join(", ", new[]
    {
        d.Originals > 0 ? $"{d.Originals} bản chính" : null,
        d.Copies > 0 ? $"{d.Copies} bản sao" : null,
    }.OfType<string>()) is { Length: > 0 } s ? s : "số bản theo hướng dẫn";
}
