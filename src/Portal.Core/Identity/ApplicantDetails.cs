using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Portal.Core.Identity;

public static class ApplicantKinds
{
    public const string Individual = "individual";
    public const string Organisation = "organisation";
}

/// <summary>
/// What an applicant tells about themselves, as typed. <see cref="Normalised"/> cleans it the way UX.md §2.2 asks
/// (NFC, trimmed, digits without spaces); <see cref="Validate"/> lists every problem at once, as (field, message) pairs
/// in page order, worded to say what to do. The field names double as the form fields' ids.
/// </summary>
public sealed partial record ApplicantDetails
{
    public string Kind { get; init; } = "";
    public string FullName { get; init; } = "";          // a person's "Họ và tên", or the organisation's name
    public string BirthDate { get; init; } = "";         // dd/MM/yyyy, also 5/3/1990
    public string IdNumber { get; init; } = "";          // CCCD
    public string TaxCode { get; init; } = "";           // mã số thuế
    public string Representative { get; init; } = "";
    public string Address { get; init; } = "";

    public const int MaxNameLength = 200;
    public const int MaxAddressLength = 500;

    public bool IsOrganisation => Kind == ApplicantKinds.Organisation;

    public ApplicantDetails Normalised() => this with
    {
        Kind = InputText.Clean(Kind),
        FullName = InputText.Clean(FullName),
        BirthDate = InputText.Clean(BirthDate),
        IdNumber = InputText.Digits(IdNumber),
        TaxCode = InputText.Digits(TaxCode),
        Representative = InputText.Clean(Representative),
        Address = InputText.Clean(Address),
    };

    /// <summary>Problems with the normalised details; <paramref name="today"/> is the legal date (birth dates are in the past).</summary>
    public IReadOnlyList<(string Field, string Message)> Validate(DateOnly today)
    {
        var d = Normalised();
        var problems = new List<(string, string)>();
        if (d.Kind is not (ApplicantKinds.Individual or ApplicantKinds.Organisation))
        {
            problems.Add(("kind", "Chọn bạn đăng ký với tư cách cá nhân hay tổ chức."));
            return problems;        // which fields are needed depends on the answer
        }
        if (d.IsOrganisation)
        {
            if (d.FullName == "") problems.Add(("fullName", "Nhập tên tổ chức, ví dụ Công ty TNHH Thương mại Bình Sơn."));
            else if (d.FullName.Length > MaxNameLength) problems.Add(("fullName", $"Tên tổ chức dài tối đa {MaxNameLength} ký tự."));
            if (d.TaxCode == "") problems.Add(("taxCode", "Nhập mã số thuế của tổ chức."));
            else if (!TaxCodeFormat().IsMatch(d.TaxCode))
                problems.Add(("taxCode", "Mã số thuế phải gồm 10 chữ số, hoặc 13 chữ số với đơn vị phụ thuộc, ví dụ 0101234567 hoặc 0101234567-001."));
            if (d.Representative == "") problems.Add(("representative", "Nhập họ và tên người đại diện theo pháp luật."));
            else if (d.Representative.Length > MaxNameLength) problems.Add(("representative", $"Họ và tên người đại diện dài tối đa {MaxNameLength} ký tự."));
        }
        else
        {
            if (d.FullName == "") problems.Add(("fullName", "Nhập họ và tên."));
            else if (d.FullName.Length > MaxNameLength) problems.Add(("fullName", $"Họ và tên dài tối đa {MaxNameLength} ký tự."));
            if (d.BirthDate == "") problems.Add(("birthDate", "Nhập ngày sinh, ví dụ 05/03/1990."));
            else if (ParseDate(d.BirthDate) is not { } born)
                problems.Add(("birthDate", "Nhập ngày sinh là một ngày có thật theo dạng ngày/tháng/năm, ví dụ 05/03/1990."));
            else if (born >= today) problems.Add(("birthDate", "Ngày sinh phải là một ngày trong quá khứ."));
            else if (born.Year < 1900) problems.Add(("birthDate", "Kiểm tra lại năm sinh: năm sinh phải từ 1900 trở đi."));
            if (d.IdNumber == "") problems.Add(("idNumber", "Nhập số căn cước công dân (CCCD)."));
            else if (!IdNumberFormat().IsMatch(d.IdNumber)) problems.Add(("idNumber", "Số căn cước công dân phải gồm đúng 12 chữ số, ví dụ 001090012345."));
        }
        if (d.Address == "")
            problems.Add(("address", d.IsOrganisation ? "Nhập địa chỉ trụ sở của tổ chức." : "Nhập địa chỉ của bạn (số nhà, đường, xã/phường, tỉnh/thành phố)."));
        else if (d.Address.Length > MaxAddressLength) problems.Add(("address", $"Địa chỉ dài tối đa {MaxAddressLength} ký tự."));
        return problems;
    }

    /// <summary>5/3/1990 and 05/03/1990 (day first, as Vietnamese dates are written); null when it is not a real date.</summary>
    public static DateOnly? ParseDate(string text) =>
        DateOnly.TryParseExact(text.Trim(), ["d/M/yyyy", "dd/MM/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date : null;

    public static string FormatDate(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[0-9]{12}$")] private static partial Regex IdNumberFormat();
    [GeneratedRegex("^[0-9]{10}([0-9]{3})?$")] private static partial Regex TaxCodeFormat();
}

/// <summary>A new account: the details, at least one login (e-mail and/or phone number) and a password.</summary>
public sealed record Registration
{
    public ApplicantDetails Details { get; init; } = new();
    public string Email { get; init; } = "";
    public string Phone { get; init; } = "";
    public string Password { get; init; } = "";

    public IReadOnlyList<(string Field, string Message)> Validate(DateOnly today)
    {
        var problems = Details.Validate(today).ToList();
        var email = InputText.Clean(Email);
        var phone = InputText.Clean(Phone);
        if (email == "" && phone == "") problems.Add(("email", "Nhập email hoặc số điện thoại để đăng nhập."));
        if (email != "" && Logins.Email(email) is null) problems.Add(("email", "Nhập email đúng dạng, ví dụ ten@example.com."));
        if (phone != "" && Logins.Phone(phone) is null) problems.Add(("phone", "Nhập số điện thoại di động gồm 10 chữ số, ví dụ 0912 345 678."));
        problems.AddRange(Passwords.Problems(Password).Select(p => ("password", p)));
        return problems;
    }
}

public static class Passwords
{
    /// <summary>The same rules as staff accounts (StaffAccounts.PasswordProblems), with a message for an empty field.</summary>
    public static IReadOnlyList<string> Problems(string? password) =>
        string.IsNullOrEmpty(password) ? ["Nhập mật khẩu."] : StaffAccounts.PasswordProblems(password);
}

/// <summary>How a login is written in portal.applicant_logins: e-mail lower-case, phone as 0xxxxxxxxx.</summary>
public static partial class Logins
{
    public const string EmailProvider = "email";
    public const string PhoneProvider = "phone";
    // VNeID (the national electronic identity, OpenID Connect) links later as provider "vneid" with key = the OIDC
    // subject; such an account may have no password (password_hash NULL) and signs in only through VNeID.
    public const string VneidProvider = "vneid";

    /// <summary>The e-mail address lower-cased, or null if it does not look like one.</summary>
    public static string? Email(string text)
    {
        var email = InputText.Clean(text).ToLowerInvariant();
        return email.Length <= 254 && EmailFormat().IsMatch(email) ? email : null;
    }

    /// <summary>A Vietnamese phone number as ten digits starting with 0: "0912 345 678", "0912.345.678", "+84 912 345 678".</summary>
    public static string? Phone(string text)
    {
        var digits = PhoneSeparators().Replace(InputText.Clean(text), "");
        if (digits.StartsWith("+84", StringComparison.Ordinal)) digits = "0" + digits[3..];
        else if (digits.StartsWith("84", StringComparison.Ordinal) && digits.Length == 11) digits = "0" + digits[2..];
        return PhoneFormat().IsMatch(digits) ? digits : null;
    }

    /// <summary>Which login someone typed on the sign-in form: an e-mail if it has an @, else a phone number.</summary>
    public static (string Provider, string Key)? Parse(string text)
    {
        if (text.Contains('@')) return Email(text) is { } email ? (EmailProvider, email) : null;
        return Phone(text) is { } phone ? (PhoneProvider, phone) : null;
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")] private static partial Regex EmailFormat();
    [GeneratedRegex(@"[\s.\-()]")] private static partial Regex PhoneSeparators();
    [GeneratedRegex("^0[0-9]{9}$")] private static partial Regex PhoneFormat();
}

public static class InputText
{
    /// <summary>Trimmed and in NFC (UX.md §3.1): "Nguyễn" typed with combining marks is stored like the precomposed one.</summary>
    public static string Clean(string? text) => (text ?? "").Normalize(NormalizationForm.FormC).Trim();

    /// <summary>Digits as typed with spaces, dots or dashes between groups ("0101234567-001" → "0101234567001").</summary>
    public static string Digits(string? text)
    {
        var clean = Clean(text);
        return clean.All(c => char.IsAsciiDigit(c) || c is ' ' or '.' or '-') ? new string(clean.Where(char.IsAsciiDigit).ToArray()) : clean;
    }
}
