using Microsoft.AspNetCore.Mvc;
using Portal.Core.Identity;

namespace Portal.Web.Pages.Account;

// /tai-khoan/dang-ky: a citizen or an organisation opens an account (POSTs share the sign-in rate limit). On success the
// person is signed in and goes back to where they came from (quay-lai), or to their dossiers.
public sealed class RegisterModel(Applicants applicants) : FormPageModel
{
    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public string? BirthDate { get; set; }
    [BindProperty] public string? IdNumber { get; set; }
    [BindProperty] public string? OrganisationName { get; set; }
    [BindProperty] public string? TaxCode { get; set; }
    [BindProperty] public string? Representative { get; set; }
    [BindProperty] public string? Address { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true, Name = CitizenAuth.ReturnUrlParameter)] public string? ReturnUrl { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var organisation = Kind == ApplicantKinds.Organisation;
        var registration = new Registration
        {
            Details = new ApplicantDetails
            {
                Kind = Kind ?? "", FullName = (organisation ? OrganisationName : FullName) ?? "", BirthDate = BirthDate ?? "",
                IdNumber = IdNumber ?? "", TaxCode = TaxCode ?? "", Representative = Representative ?? "", Address = Address ?? "",
            },
            Email = Email ?? "", Phone = Phone ?? "", Password = Password ?? "",
        };
        var (applicant, problems) = await applicants.RegisterAsync(registration, ct);
        if (applicant is null)
        {
            // The organisation's name has its own field on the form.
            Errors.AddRange(problems.Select(p => organisation && p.Field == "fullName" ? ("organisationName", p.Message) : p));
            Password = null;
            return Page();
        }
        await CitizenAuth.SignInAsync(HttpContext, applicant);
        return LocalRedirect(CitizenAuth.SafeReturnUrl(ReturnUrl));
    }
}
