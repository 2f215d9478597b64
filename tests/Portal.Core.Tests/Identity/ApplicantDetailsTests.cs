using System.Text;
using Portal.Core.Identity;

namespace Portal.Core.Tests.Identity;

public sealed class ApplicantDetailsTests
{
    static readonly DateOnly Today = new(2026, 2, 27);

    static readonly ApplicantDetails Person = new()
    {
        Kind = ApplicantKinds.Individual, FullName = "Nguyễn Thị Hường", BirthDate = "5/3/1990", IdNumber = "001190012345",
        Address = "Số 12 đường Lê Lợi, phường Hải Châu",
    };

    static readonly ApplicantDetails Company = new()
    {
        Kind = ApplicantKinds.Organisation, FullName = "Công ty TNHH Bình Sơn", TaxCode = "0101234567", Representative = "Trần Văn An",
        Address = "Số 1 đường Trần Phú",
    };

    static List<(string Field, string Message)> Problems(ApplicantDetails details) => details.Validate(Today).ToList();

    [Fact]
    public void Complete_details_of_a_person_and_of_an_organisation_have_no_problems()
    {
        Assert.Empty(Problems(Person));
        Assert.Empty(Problems(Company));
    }

    [Fact]
    public void Without_a_kind_only_the_kind_is_asked_for()
    {
        Assert.Equal([("kind", "Chọn bạn đăng ký với tư cách cá nhân hay tổ chức.")], Problems(Person with { Kind = "" }));
        Assert.Equal("kind", Problems(Person with { Kind = "robot" }).Single().Field);
    }

    [Fact]
    public void An_empty_person_gets_one_message_per_field_in_page_order()
    {
        var empty = new ApplicantDetails { Kind = ApplicantKinds.Individual, FullName = "  ", BirthDate = "", IdNumber = "", Address = "" };
        Assert.Equal(
        [
            ("fullName", "Nhập họ và tên."),
            ("birthDate", "Nhập ngày sinh, ví dụ 05/03/1990."),
            ("idNumber", "Nhập số căn cước công dân (CCCD)."),
            ("address", "Nhập địa chỉ của bạn (số nhà, đường, xã/phường, tỉnh/thành phố)."),
        ], Problems(empty));
    }

    [Fact]
    public void An_empty_organisation_gets_one_message_per_field_in_page_order()
    {
        var empty = new ApplicantDetails { Kind = ApplicantKinds.Organisation };
        Assert.Equal(
        [
            ("fullName", "Nhập tên tổ chức, ví dụ Công ty TNHH Thương mại Bình Sơn."),
            ("taxCode", "Nhập mã số thuế của tổ chức."),
            ("representative", "Nhập họ và tên người đại diện theo pháp luật."),
            ("address", "Nhập địa chỉ trụ sở của tổ chức."),
        ], Problems(empty));
    }

    [Theory]
    [InlineData("5/3/1990", 1990, 3, 5)]
    [InlineData("05/03/1990", 1990, 3, 5)]
    [InlineData(" 31/12/1989 ", 1989, 12, 31)]
    [InlineData("29/02/2024", 2024, 2, 29)]
    public void Dates_are_day_first_with_or_without_leading_zeros(string text, int y, int m, int d)
    {
        Assert.Equal(new DateOnly(y, m, d), ApplicantDetails.ParseDate(text));
        Assert.Empty(Problems(Person with { BirthDate = text }));
    }

    [Theory]
    [InlineData("31/02/1990")]
    [InlineData("1990-03-05")]
    [InlineData("5.3.1990")]
    [InlineData("hôm qua")]
    [InlineData("5/3/90")]
    public void A_birth_date_that_is_not_a_real_day_month_year_is_explained(string text) =>
        Assert.Equal([("birthDate", "Nhập ngày sinh là một ngày có thật theo dạng ngày/tháng/năm, ví dụ 05/03/1990.")],
            Problems(Person with { BirthDate = text }));

    [Fact]
    public void A_birth_date_must_be_in_the_past_and_not_before_1900()
    {
        Assert.Equal([("birthDate", "Ngày sinh phải là một ngày trong quá khứ.")], Problems(Person with { BirthDate = "27/02/2026" }));
        Assert.Equal("birthDate", Problems(Person with { BirthDate = "01/01/1899" }).Single().Field);
    }

    [Theory]
    [InlineData("001190012345", true)]
    [InlineData("001 190 012 345", true)]
    [InlineData("00119001234", false)]
    [InlineData("0011900123456", false)]
    [InlineData("00119001234a", false)]
    [InlineData("０01190012345", false)]    // a full-width digit is not an ASCII digit
    public void The_citizen_identity_number_is_exactly_twelve_digits(string text, bool valid)
    {
        var problems = Problems(Person with { IdNumber = text });
        if (valid) Assert.Empty(problems);
        else Assert.Equal([("idNumber", "Số căn cước công dân phải gồm đúng 12 chữ số, ví dụ 001090012345.")], problems);
    }

    [Theory]
    [InlineData("0101234567", "0101234567")]
    [InlineData("0101234567001", "0101234567001")]
    [InlineData("0101234567-001", "0101234567001")]
    [InlineData(" 0101 234 567 ", "0101234567")]
    public void A_tax_code_is_ten_digits_or_thirteen_for_a_branch(string text, string normalised)
    {
        Assert.Empty(Problems(Company with { TaxCode = text }));
        Assert.Equal(normalised, (Company with { TaxCode = text }).Normalised().TaxCode);
    }

    [Theory]
    [InlineData("010123456")]
    [InlineData("01012345678")]
    [InlineData("010123456700")]
    [InlineData("MST0101234567")]
    public void Other_tax_codes_are_explained(string text) =>
        Assert.Equal("Mã số thuế phải gồm 10 chữ số, hoặc 13 chữ số với đơn vị phụ thuộc, ví dụ 0101234567 hoặc 0101234567-001.",
            Assert.Single(Problems(Company with { TaxCode = text })).Message);

    [Fact]
    public void Text_is_trimmed_and_stored_in_NFC()
    {
        var nfd = "  Nguyễn Thị Hường  ".Normalize(NormalizationForm.FormD);
        var normalised = (Person with { FullName = nfd, Address = " Đường Ngô Quyền\t" }).Normalised();
        Assert.Equal("Nguyễn Thị Hường".Normalize(NormalizationForm.FormC), normalised.FullName);
        Assert.True(normalised.FullName.IsNormalized(NormalizationForm.FormC));
        Assert.Equal("Đường Ngô Quyền", normalised.Address);
    }

    [Fact]
    public void Overlong_names_and_addresses_are_refused()
    {
        Assert.Equal("fullName", Assert.Single(Problems(Person with { FullName = new string('a', 201) })).Field);
        Assert.Equal("address", Assert.Single(Problems(Person with { Address = new string('a', 501) })).Field);
    }
}

public sealed class LoginsTests
{
    [Theory]
    [InlineData("0912345678", "0912345678")]
    [InlineData("0912 345 678", "0912345678")]
    [InlineData("0912.345.678", "0912345678")]
    [InlineData("0912-345-678", "0912345678")]
    [InlineData("+84 912 345 678", "0912345678")]
    [InlineData("+84912345678", "0912345678")]
    [InlineData("84912345678", "0912345678")]
    [InlineData("(+84) 912.345.678", "0912345678")]
    public void Phone_numbers_accept_spaces_dots_and_the_country_code(string text, string normalised) =>
        Assert.Equal(normalised, Logins.Phone(text));

    [Theory]
    [InlineData("912345678")]
    [InlineData("091234567")]
    [InlineData("09123456789")]
    [InlineData("0912 345 67x")]
    [InlineData("+1 912 345 678")]
    [InlineData("")]
    public void Other_phone_numbers_are_refused(string text) => Assert.Null(Logins.Phone(text));

    [Theory]
    [InlineData("Ten.Ho@Example.VN", "ten.ho@example.vn")]
    [InlineData("  congdan@demo.binhson.vn ", "congdan@demo.binhson.vn")]
    public void Email_addresses_are_lower_cased(string text, string normalised) => Assert.Equal(normalised, Logins.Email(text));

    [Theory]
    [InlineData("congdan")]
    [InlineData("congdan@")]
    [InlineData("@binhson.vn")]
    [InlineData("cong dan@binhson.vn")]
    [InlineData("congdan@binhson")]
    [InlineData("a@b@c.vn")]
    public void Other_email_addresses_are_refused(string text) => Assert.Null(Logins.Email(text));

    [Fact]
    public void The_sign_in_field_takes_an_email_or_a_phone_number()
    {
        Assert.Equal((Logins.EmailProvider, "a@b.vn"), Logins.Parse("A@B.vn"));
        Assert.Equal((Logins.PhoneProvider, "0912345678"), Logins.Parse("+84 912 345 678"));
        Assert.Null(Logins.Parse("nguyenvana"));
    }
}

public sealed class RegistrationTests
{
    static readonly DateOnly Today = new(2026, 2, 27);

    static readonly ApplicantDetails Person = new()
    {
        Kind = ApplicantKinds.Individual, FullName = "Lê Văn Bình", BirthDate = "01/01/1980", IdNumber = "001080012345", Address = "Bình Sơn",
    };

    [Fact]
    public void A_login_and_a_password_are_needed()
    {
        var problems = new Registration { Details = Person }.Validate(Today);
        Assert.Equal(
        [
            ("email", "Nhập email hoặc số điện thoại để đăng nhập."),
            ("password", "Nhập mật khẩu."),
        ], problems);
    }

    [Fact]
    public void Email_phone_and_password_problems_come_after_the_details_in_page_order()
    {
        var problems = new Registration { Details = Person with { FullName = "" }, Email = "khong-phai-email", Phone = "12345", Password = "ngan" }.Validate(Today);
        Assert.Equal(["fullName", "email", "phone", "password", "password"], problems.Select(p => p.Field));
        Assert.Contains(("password", "Mật khẩu phải có ít nhất 12 ký tự."), problems);
        Assert.Contains(("password", "Mật khẩu phải có cả chữ và số."), problems);
    }

    [Fact]
    public void A_phone_number_alone_is_enough()
    {
        Assert.Empty(new Registration { Details = Person, Phone = "0912 345 678", Password = "mat-khau-2026-dai" }.Validate(Today));
    }
}
