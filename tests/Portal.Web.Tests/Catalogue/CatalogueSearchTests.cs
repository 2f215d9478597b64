using System.Text;
using Portal.Core.Catalogue;
using Portal.Web.Tests.Database;

namespace Portal.Web.Tests.Catalogue;

// Search cases from the issue and UX.md §3.3, against PostgreSQL's unaccent + full-text + trigram. Each test scopes its
// search to an agency it created, so other tests' rows never change what it sees.
[Collection("db")]
public sealed class CatalogueSearchTests(PostgresFixture db)
{
    static readonly DateOnly Today = new(2026, 11, 22);

    async Task<string> CatalogueAsync(params (string Name, string Description)[] procedures)
    {
        var agency = Given.Agency();
        var field = Given.Field();
        await Given.ImportAsync(db, [agency], [field],
            procedures.Select(p => Given.Procedure(agency.Code, field.Code, name: p.Name, description: p.Description)));
        return agency.Code;
    }

    async Task<CataloguePage> SearchAsync(string agency, string q) =>
        await CatalogueSearch.SearchAsync(db.DataSource, new CatalogueQuery { Text = q, AgencyCode = agency, PageSize = 100 }, Today, default);

    [Theory]
    [InlineData("cap ban sao", "Cấp bản sao từ sổ gốc")]
    [InlineData("dang ky khai sinh", "Đăng ký khai sinh")]
    [InlineData("ĐĂNG KÝ KHAI SINH", "Đăng ký khai sinh")]
    [InlineData("đăng ký khai sinh", "Đăng ký khai sinh")]
    [InlineData("khai sinh dang ky", "Đăng ký khai sinh")]
    [InlineData("Duong", "Cấp giấy phép sử dụng đường bộ")]
    [InlineData("cap giay phep su dung du", "Cấp giấy phép sử dụng đường bộ")]     // the last word may be half typed
    [InlineData("uu dai nguoi co cong", "Giải quyết chế độ ưu đãi người có công")]
    public async Task Diacritics_case_and_word_order_do_not_matter(string q, string expected)
    {
        var agency = await CatalogueAsync(("Cấp bản sao từ sổ gốc", "Bản sao từ sổ gốc."), ("Đăng ký khai sinh", "Khai sinh cho trẻ."),
            ("Cấp giấy phép sử dụng đường bộ", "Đường bộ."), ("Giải quyết chế độ ưu đãi người có công", "Chế độ."));

        var page = await SearchAsync(agency, q);

        Assert.Equal(expected, page.Items[0].Name);
        Assert.False(page.Fuzzy);
    }

    [Fact]
    public async Task Decomposed_input_finds_composed_names()
    {
        var agency = await CatalogueAsync(("Đăng ký khai sinh", ""));
        var page = await SearchAsync(agency, "Đăng ký khai sinh".Normalize(NormalizationForm.FormD));
        Assert.Equal("Đăng ký khai sinh", Assert.Single(page.Items).Name);
    }

    [Fact]
    public async Task Name_matches_rank_above_description_matches()
    {
        var agency = await CatalogueAsync(
            ("Thủ tục A", "Liên quan đến trích lục hộ tịch."),
            ("Cấp bản sao trích lục hộ tịch", "Không liên quan."),
            ("Thủ tục B", "Không liên quan."));

        var page = await SearchAsync(agency, "trich luc");

        Assert.Equal(["Cấp bản sao trích lục hộ tịch", "Thủ tục A"], page.Items.Select(i => i.Name));
    }

    [Fact]
    public async Task Names_that_start_with_the_query_rank_above_names_that_repeat_it()
    {
        var agency = await CatalogueAsync(
            ("Liên thông thủ tục về đăng ký khai sinh, đăng ký thường trú, đăng ký bảo hiểm", ""),
            ("Đăng ký khai sinh", ""));

        var page = await SearchAsync(agency, "dang ky");

        Assert.Equal("Đăng ký khai sinh", page.Items[0].Name);
    }

    [Theory]
    [InlineData("khai sihn")]
    [InlineData("dang ki khai sinh")]
    public async Task Typos_fall_back_to_trigram_similarity(string q)
    {
        var agency = await CatalogueAsync(("Đăng ký khai sinh", ""), ("Cấp phép xây dựng", ""));

        var page = await SearchAsync(agency, q);

        Assert.True(page.Fuzzy);
        Assert.Equal("Đăng ký khai sinh", page.Items[0].Name);
    }

    [Fact]
    public async Task A_procedure_code_finds_that_procedure()
    {
        var agency = Given.Agency();
        var field = Given.Field();
        var p = Given.Procedure(agency.Code, field.Code);
        await Given.ImportAsync(db, [agency], [field], [p, Given.Procedure(agency.Code, field.Code)]);

        var page = await SearchAsync(agency.Code, p.NationalCode);

        Assert.Equal(p.Code(), Assert.Single(page.Items).Code);
    }

    [Theory]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("!!! ???")]
    [InlineData("a & b | !c")]
    [InlineData("' OR 1=1 --")]
    [InlineData("xyzzyqwv")]
    public async Task Punctuation_and_nonsense_find_nothing_without_failing(string q)
    {
        var agency = await CatalogueAsync(("Đăng ký khai sinh", "Mô tả"));
        var page = await SearchAsync(agency, q);
        Assert.Empty(page.Items);
        Assert.Equal(0, page.Total);
    }
}
