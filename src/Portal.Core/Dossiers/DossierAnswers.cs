using System.Text;
using System.Text.RegularExpressions;
using Portal.Core.Deadlines;
using Portal.Core.Identity;

namespace Portal.Core.Dossiers;

/// <summary>A problem with an answer: the form field it concerns and what to do, in Vietnamese (UX.md §2.4).</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>
/// What the submission journey asked, as the person typed it (normalised to NFC and trimmed). Stored as the draft's
/// jsonb; each step replaces only its own section, so two tabs on different steps never overwrite each other.
/// </summary>
public sealed record DossierAnswers
{
    public ApplicantAnswers? Applicant { get; init; }
    public OwnerAnswers? Owner { get; init; }
    public DeliveryAnswers? Delivery { get; init; }
    /// <summary>Document lines whose page the person has finished (optional documents may stay empty).</summary>
    public IReadOnlyList<short> DocumentsDone { get; init; } = [];
    public bool Declared { get; init; }
    /// <summary>Certified copies: how many copies the person asks for ("Số bản sao", 1–50; the fee counts each).</summary>
    public int? CopyCount { get; init; }
}

public sealed record ApplicantAnswers
{
    /// <summary>individual | organisation</summary>
    public string Kind { get; init; } = "individual";
    public string FullName { get; init; } = "";
    public string BirthDate { get; init; } = "";
    public string IdNumber { get; init; } = "";
    public string TaxCode { get; init; } = "";
    public string Representative { get; init; } = "";
    public string Address { get; init; } = "";
    public string Phone { get; init; } = "";
    public string Email { get; init; } = "";

    public bool IsOrganisation => Kind == "organisation";
    /// <summary>The identifier a lookup accepts as second factor: the CCCD, or the organisation's tax code.</summary>
    public string Identifier => IsOrganisation ? TaxCode : IdNumber;

    public ApplicantAnswers Normalised() => this with
    {
        Kind = Kind == "organisation" ? "organisation" : "individual",
        FullName = Text.Clean(FullName), BirthDate = Text.Clean(BirthDate), IdNumber = InputText.Digits(IdNumber),
        TaxCode = InputText.Digits(TaxCode), Representative = Text.Clean(Representative), Address = Text.Clean(Address),
        Phone = Text.Clean(Phone), Email = Text.Clean(Email).ToLowerInvariant(),
    };

    /// <summary>
    /// What this dossier needs to know about who files it. The messages are the submission pages' own (their wording
    /// is tested there); the parsing is the accounts' (dates, phone numbers, e-mails).
    /// </summary>
    public IReadOnlyList<FieldError> Validate()
    {
        var errors = new List<FieldError>();
        if (IsOrganisation)
        {
            if (FullName == "") errors.Add(new("FullName", "Nhập tên tổ chức"));
            if (!Regex.IsMatch(TaxCode, @"^\d{10}(\d{3})?$")) errors.Add(new("TaxCode", "Nhập mã số thuế gồm 10 hoặc 13 chữ số"));
            if (Representative == "") errors.Add(new("Representative", "Nhập họ và tên người đại diện theo pháp luật"));
        }
        else
        {
            if (FullName == "") errors.Add(new("FullName", "Nhập họ và tên"));
            if (ApplicantDetails.ParseDate(BirthDate) is not { } born) errors.Add(new("BirthDate", "Nhập ngày sinh theo dạng ngày/tháng/năm, ví dụ 05/03/1990"));
            else if (born.Year < 1900 || born > LegalTime.DateOf(DateTimeOffset.UtcNow)) errors.Add(new("BirthDate", "Ngày sinh phải là một ngày trong quá khứ"));
            if (!Regex.IsMatch(IdNumber, @"^\d{12}$")) errors.Add(new("IdNumber", "Nhập số căn cước công dân gồm 12 chữ số"));
        }
        if (Address == "") errors.Add(new("Address", "Nhập địa chỉ liên hệ"));
        if (Logins.Phone(Phone) is null) errors.Add(new("Phone", "Nhập số điện thoại, ví dụ 0912 345 678"));
        if (Email != "" && Logins.Email(Email) is null) errors.Add(new("Email", "Nhập địa chỉ email đúng dạng, ví dụ ten@example.com, hoặc để trống"));
        return errors;
    }
}

public sealed record OwnerAnswers
{
    public bool SameAsApplicant { get; init; } = true;
    public string FullName { get; init; } = "";
    public string IdNumber { get; init; } = "";
    public string Address { get; init; } = "";

    public OwnerAnswers Normalised() => this with
    {
        FullName = Text.Clean(FullName), IdNumber = Text.Clean(IdNumber), Address = Text.Clean(Address),
    };

    public IReadOnlyList<FieldError> Validate()
    {
        if (SameAsApplicant) return [];
        var errors = new List<FieldError>();
        if (FullName == "") errors.Add(new("FullName", "Nhập họ và tên (hoặc tên tổ chức) của chủ hồ sơ"));
        if (IdNumber == "") errors.Add(new("IdNumber", "Nhập số căn cước công dân hoặc mã số thuế của chủ hồ sơ"));
        if (Address == "") errors.Add(new("Address", "Nhập địa chỉ của chủ hồ sơ"));
        return errors;
    }
}

public sealed record DeliveryAnswers
{
    /// <summary>online | counter | post</summary>
    public string Method { get; init; } = "";
    public string Recipient { get; init; } = "";
    public string Phone { get; init; } = "";
    public string Street { get; init; } = "";
    public string Commune { get; init; } = "";
    public string Province { get; init; } = "";

    public static readonly IReadOnlyDictionary<string, string> Methods = new Dictionary<string, string>
    {
        ["online"] = "Nhận kết quả trực tuyến (tải về trên cổng)",
        ["counter"] = "Nhận kết quả tại bộ phận một cửa",
        ["post"] = "Nhận kết quả qua bưu chính công ích",
    };

    public string MethodName => Methods.TryGetValue(Method, out var name) ? name : "";

    /// <summary>The postal address in one line, province last (two-level addresses since 01/07/2025).</summary>
    public string PostalAddress => string.Join(", ", new[] { Street, Commune, Province }.Where(s => s != ""));

    public DeliveryAnswers Normalised() => this with
    {
        Method = Text.Clean(Method), Recipient = Text.Clean(Recipient), Phone = Text.Clean(Phone),
        Street = Text.Clean(Street), Commune = Text.Clean(Commune), Province = Text.Clean(Province),
    };

    public IReadOnlyList<FieldError> Validate()
    {
        if (!Methods.ContainsKey(Method)) return [new("Method", "Chọn cách nhận kết quả")];
        if (Method != "post") return [];
        var errors = new List<FieldError>();
        if (Recipient == "") errors.Add(new("Recipient", "Nhập họ và tên người nhận"));
        if (Logins.Phone(Phone) is null) errors.Add(new("Phone", "Nhập số điện thoại người nhận, ví dụ 0912 345 678"));
        if (Street == "") errors.Add(new("Street", "Nhập số nhà, tên đường hoặc thôn, xóm"));
        if (Commune == "") errors.Add(new("Commune", "Nhập xã, phường hoặc đặc khu"));
        if (Province == "") errors.Add(new("Province", "Nhập tỉnh hoặc thành phố"));
        return errors;
    }
}

/// <summary>Free text at the edge (UX.md §2.2, §3.1); identifiers, phones and e-mails use the accounts' InputText and Logins.</summary>
public static class Text
{
    /// <summary>NFC, trimmed, inner whitespace collapsed, control characters dropped, bounded length.</summary>
    public static string Clean(string? value, int max = 500)
    {
        if (string.IsNullOrWhiteSpace(value)) return "";
        var nfc = value.Normalize(NormalizationForm.FormC);
        var collapsed = Regex.Replace(new string([.. nfc.Where(c => !char.IsControl(c) || c == ' ')]), @"\s+", " ").Trim();
        return collapsed.Length > max ? collapsed[..max] : collapsed;
    }
}
