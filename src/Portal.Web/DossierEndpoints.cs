using Portal.Core.Deadlines;
using Portal.Core.Dossiers;
using Portal.Core.Signatures;

namespace Portal.Web;

// The citizen's non-page endpoints: the streamed upload behind the document page, file downloads and the PDF
// acknowledgement. Each is for the signed-in applicant's own dossiers only; anybody else's is a 404.
public static class DossierEndpoints
{
    public static WebApplication MapDossierEndpoints(this WebApplication app)
    {
        var citizen = app.MapGroup("").RequireAuthorization(CitizenAuth.ApplicantPolicy).ExcludeFromDescription();
        citizen.MapPost("/nop-ho-so/{code}/{id:guid}/giay-to/{line:int}/tai-len", Uploads.DraftUploadAsync)
            .DisableAntiforgery();   // checked by Uploads before any file byte is read
        citizen.MapPost("/ho-so/{code}/bo-sung/{line:int}/tai-len", Uploads.SupplementUploadAsync).DisableAntiforgery();
        // A session that expired during an upload signs in again and comes back here with GET: show the page.
        citizen.MapGet("/nop-ho-so/{code}/{id:guid}/giay-to/{line:int}/tai-len",
            (string code, Guid id, int line) => Results.Redirect($"/nop-ho-so/{code}/{id}/giay-to/{line}"));
        citizen.MapGet("/ho-so/tep/{fileId:guid}", DownloadAsync);
        // "Tiếp tục phiên làm việc" in the timeout dialog: any authenticated request renews the sliding session.
        citizen.MapGet("/tai-khoan/phien", (HttpContext c) => { c.Response.Headers.CacheControl = "no-store"; return Results.NoContent(); });
        citizen.MapGet("/ho-so/{code}/giay-xac-nhan", ReceiptAsync);
        citizen.MapGet("/ho-so/{code}/ket-qua/{n:int}", (HttpContext c, string code, short n, Dossiers dossiers, CancellationToken ct) =>
            IssuedAsync(c, code, i => i.Kind == "result" && i.ResultNo == n, dossiers, ct));
        citizen.MapGet("/ho-so/{code}/bieu-mau/{id:guid}", (HttpContext c, string code, Guid id, Dossiers dossiers, CancellationToken ct) =>
            IssuedAsync(c, code, i => i.FormId == id, dossiers, ct));
        return app;
    }

    static async Task<IResult> DownloadAsync(HttpContext context, Guid fileId, Dossiers dossiers, CancellationToken ct)
    {
        var applicant = CitizenAuth.ApplicantId(context.User)!.Value;
        if (await dossiers.FileAsync(applicant, fileId, ct) is not { } file) return Results.NotFound();
        context.Response.Headers.CacheControl = "private, no-store";
        return Results.Stream(dossiers.OpenFile(file.Sha256), file.MediaType, file.FileName, enableRangeProcessing: true);
    }

    /// <summary>A form or result issued to the applicant's own dossier; 404 for anybody else's or one not yet released.</summary>
    static async Task<IResult> IssuedAsync(HttpContext context, string code, Func<Dossiers.IssuedDocument, bool> which, Dossiers dossiers, CancellationToken ct)
    {
        var applicant = CitizenAuth.ApplicantId(context.User)!.Value;
        if ((await dossiers.IssuedAsync(applicant, code, ct)).FirstOrDefault(which) is not { } doc) return Results.NotFound();
        var sha = doc.Sha256 ?? await context.RequestServices.GetRequiredService<Portal.Core.BackOffice.BackOffice>().FormFileAsync(doc.FormId!.Value, ct);
        if (sha is null) return Results.NotFound();
        context.Response.Headers.CacheControl = "private, no-store";
        var name = doc.Kind == "result" ? doc.FileName : $"{doc.Kind}-{code}.pdf";
        return Results.Stream(dossiers.OpenFile(sha), doc.MediaType, name);
    }

    static async Task<IResult> ReceiptAsync(HttpContext context, string code, Dossiers dossiers, Site site, IConfiguration config, CancellationToken ct)
    {
        var applicant = CitizenAuth.ApplicantId(context.User)!.Value;
        if (await dossiers.LoadAsync(applicant, null, code, ct) is not { IsDraft: false } d) return Results.NotFound();
        var due = await dossiers.DueAsync(d, ct);
        var a = d.Answers.Applicant!;
        var owner = d.Answers.Owner is { SameAsApplicant: false } o ? o.FullName : null;
        var pdf = ReceiptPdf.Build(new Receipt
        {
            SiteName = site.Name, ProvinceName = site.ProvinceName, DossierCode = d.Code!,
            LookupUrl = $"{Site.PublicBase(context.Request, config)}/tra-cuu?ma={Uri.EscapeDataString(d.Code!)}",
            ProcedureCode = d.ProcedureCode, ProcedureName = d.ProcedureName, AgencyName = d.AgencyName,
            ApplicantName = a.FullName, ApplicantAddress = a.Address, Phone = a.Phone, Email = a.Email == "" ? null : a.Email,
            IdNumber = a.Identifier, OwnerName = owner, SubmittedAt = d.SubmittedAt!.Value, DueAt = due?.Due ?? d.DueAt,
            DueExplanation = due is null ? "" : string.Join(" ", due.Explanation),
            DeliveryMethod = d.Answers.Delivery?.MethodName ?? "",
            Documents = [.. d.Documents.Select(s => new ReceiptDocument(s.Name, [.. s.Files.Select(f => f.FileName)]))],
            Hotline = site.Hotline,
            DemoMarker = config.GetValue("Portal:Demo", false) ? DemoPki.Marker : null,
        });
        context.Response.Headers.CacheControl = "private, no-store";
        return Results.File(pdf, "application/pdf", $"giay-xac-nhan-{d.Code}.pdf");
    }
}
