using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Portal.Core.Signatures;

namespace Portal.Web.Pages.Admin;

// /quan-tri/kho-tin-cay: the trust store signatures are checked against — the shipped anchors and intermediates with
// their pinned fingerprints, and the administrators' additions (audited; a removal keeps the row). Administrators only.
public sealed class TrustStoreModel(SignatureStore store) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "da-luu")] public string? Saved { get; set; }
    [BindProperty] public string? Role { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public string? RemoveSha256 { get; set; }

    public TrustStore Current { get; private set; } = null!;
    public IReadOnlyList<SignatureStore.TrustCertificate> Added { get; private set; } = [];
    public List<(string Field, string Message)> Errors { get; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(IFormFile? certificate, CancellationToken ct)
    {
        X509Certificate2? cert = null;
        if (certificate is null || certificate.Length == 0) Errors.Add(("chung-thu", "Chọn tệp chứng thư (.pem, .cer hoặc .crt)."));
        else if (certificate.Length > 64 * 1024) Errors.Add(("chung-thu", "Tệp chứng thư lớn hơn 64 KB; hãy chọn đúng tệp chứng thư của CA."));
        else
        {
            using var buffer = new MemoryStream();
            await certificate.CopyToAsync(buffer, ct);
            cert = Read(buffer.ToArray());
            if (cert is null) Errors.Add(("chung-thu", "Không đọc được chứng thư: tệp phải là một chứng thư X.509 dạng PEM hoặc DER."));
        }
        if (Role is not ("anchor" or "intermediate")) Errors.Add(("vai-tro-goc", "Hãy chọn vai trò: chứng thư gốc (tin cậy) hoặc chứng thư trung gian."));
        if (string.IsNullOrWhiteSpace(Note)) Errors.Add(("ghi-chu", "Hãy ghi nguồn của chứng thư (ví dụ: trang rootca.gov.vn, ngày tải)."));
        if (cert is not null && Errors.Count == 0)
        {
            var problems = await store.AddCertificateAsync(cert, Role!, Note!, StaffAuth.Actor(User), ct);
            if (problems.Count == 0) return Redirect("/quan-tri/kho-tin-cay?da-luu=them");
            Errors.AddRange(problems.Select(p => ("chung-thu", p)));
        }
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(CancellationToken ct)
    {
        if (RemoveSha256 is { Length: 64 } sha && await store.RemoveCertificateAsync(sha, StaffAuth.Actor(User), ct))
            return Redirect("/quan-tri/kho-tin-cay?da-luu=go");
        Errors.Add(("danh-sach", "Chứng thư này không còn trong kho tin cậy (có thể đã được gỡ). Hãy tải lại trang."));
        await LoadAsync(ct);
        return Page();
    }

    static X509Certificate2? Read(byte[] bytes)
    {
        try
        {
            var text = System.Text.Encoding.ASCII.GetString(bytes);
            return text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text)
                : X509CertificateLoader.LoadCertificate(bytes);
        }
        catch (CryptographicException) { return null; }
    }

    async Task LoadAsync(CancellationToken ct)
    {
        Current = (await store.VerifierAsync(ct)).Trust;
        Added = await store.CertificatesAsync(ct);
    }
}
