using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Portal.Core.Dossiers;

namespace Portal.Web;

/// <summary>
/// File uploads into a dossier's document, read section by section from the multipart body and streamed into the
/// file store as they arrive (never buffered whole, not even to a temporary file: ASP.NET's form reading is never
/// triggered). The antiforgery token must come before the files, so the page's form puts it first, and it is
/// checked before a single file byte is read. Used by the submission page (form post, or the progress script) and
/// by the applicants' API.
/// </summary>
public static class Uploads
{
    public const string TokenField = "__RequestVerificationToken";

    public abstract record Batch
    {
        public sealed record Done(IReadOnlyList<UploadOutcome> Outcomes) : Batch;
        public sealed record BadRequest(string Message) : Batch;
        public sealed record NotFound : Batch;
    }

    public static async Task<Batch> ReadAsync(HttpContext context, Dossiers dossiers, Guid applicantId, Guid dossierId, short lineNo,
        bool checkAntiforgery, CancellationToken ct)
    {
        var dossier = await dossiers.LoadAsync(applicantId, dossierId, null, ct);
        if (dossier is null || dossier.Documents.All(d => d.LineNo != lineNo)) return new Batch.NotFound();
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
            return new Batch.BadRequest("Hãy gửi tệp dưới dạng multipart/form-data.");
        // Room for every file the dossier may still take plus one file over the limit, so the store can say which
        // file was too large; beyond that Kestrel stops reading.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = dossier.MaxDossierBytes + dossier.MaxFileBytes + 1024 * 1024;

        var reader = new MultipartReader(boundary, context.Request.Body);
        var outcomes = new List<UploadOutcome>();
        var trusted = !checkAntiforgery;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)) continue;
                // IsFormDisposition means "a field, not a file" in ASP.NET's helpers.
                if (disposition.IsFormDisposition())
                {
                    if (checkAntiforgery && disposition.Name.Value == TokenField && !trusted)
                    {
                        var token = await new StreamReader(section.Body).ReadToEndAsync(ct);
                        if (token.Length > 4096) return new Batch.BadRequest("Phiên làm việc không hợp lệ.");
                        // The antiforgery service reads the header before the form: handing it the token this way keeps
                        // it from buffering the whole multipart body.
                        context.Request.Headers["RequestVerificationToken"] = token;
                        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
                        if (!await antiforgery.IsRequestValidAsync(context)) return new Batch.BadRequest("Phiên làm việc không hợp lệ.");
                        trusted = true;
                    }
                    continue;
                }
                if (!trusted) return new Batch.BadRequest("Phiên làm việc không hợp lệ.");
                var name = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : disposition.FileName.Value;
                // A file input left empty still sends a section with an empty name and no bytes.
                if (string.IsNullOrEmpty(name)) continue;
                var outcome = await dossiers.UploadAsync(applicantId, dossierId, lineNo, name, section.Body, ct);
                if (outcome is null) return new Batch.NotFound();
                outcomes.Add(outcome);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            outcomes.Add(new UploadOutcome.Refused(
                $"Các tệp gửi cùng lúc lớn hơn dung lượng còn lại của hồ sơ ({Dossiers.Size(dossier.MaxDossierBytes)}). Hãy tải lên từng tệp, mỗi tệp tối đa {Dossiers.Size(dossier.MaxFileBytes)}."));
        }
        catch (IOException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
        if (!trusted) return new Batch.BadRequest("Phiên làm việc không hợp lệ.");
        return new Batch.Done(outcomes);
    }

    /// <summary>POST /nop-ho-so/{code}/{id}/giay-to/{line}/tai-len: a draft's upload, then back to its document page (PRG).</summary>
    public static Task<IResult> DraftUploadAsync(HttpContext context, string code, Guid id, short line, Dossiers dossiers,
        ITempDataDictionaryFactory tempData, CancellationToken ct) =>
        PageUploadAsync(context, id, line, $"/nop-ho-so/{code}/{id}/giay-to/{line}", dossiers, tempData, ct);

    /// <summary>POST /ho-so/{code}/bo-sung/{line}/tai-len: a replacement file for a supplement request, then back to it.</summary>
    public static async Task<IResult> SupplementUploadAsync(HttpContext context, string code, short line, Dossiers dossiers,
        ITempDataDictionaryFactory tempData, CancellationToken ct)
    {
        if (await dossiers.LoadAsync(CitizenAuth.ApplicantId(context.User)!.Value, null, code, ct) is not { } dossier) return Results.NotFound();
        return await PageUploadAsync(context, dossier.Id, line, $"/ho-so/{code}/bo-sung", dossiers, tempData, ct);
    }

    static async Task<IResult> PageUploadAsync(HttpContext context, Guid id, short line, string page, Dossiers dossiers,
        ITempDataDictionaryFactory tempData, CancellationToken ct)
    {
        var applicant = CitizenAuth.ApplicantId(context.User)!.Value;
        var batch = await ReadAsync(context, dossiers, applicant, id, line, checkAntiforgery: true, ct);
        switch (batch)
        {
            case Batch.NotFound: return Results.NotFound();
            case Batch.BadRequest bad: return Results.BadRequest(bad.Message);
        }
        var outcomes = ((Batch.Done)batch).Outcomes;
        var data = tempData.GetTempData(context);
        var errors = outcomes.OfType<UploadOutcome.Refused>().Select(r => r.Message).ToArray();
        var accepted = outcomes.OfType<UploadOutcome.Accepted>().Select(a => a.File.FileName).ToArray();
        if (outcomes.Count == 0) errors = ["Chọn tệp cần tải lên"];
        if (errors.Length > 0) data["upload-errors"] = string.Join('\n', errors);
        if (accepted.Length > 0) data["upload-done"] = string.Join('\n', accepted);
        data["upload-line"] = (int)line;
        data.Save();
        // The progress script asks for the address instead of following the redirect, so the message is shown once.
        return context.Request.Headers["X-Portal-Upload"] == "1" ? Results.Json(new { redirect = page }) : Results.Redirect(page);
    }
}
