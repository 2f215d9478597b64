using Portal.Core.Catalogue;

namespace Portal.Core.Tests.Catalogue;

public class CatalogueQueryTests
{
    [Fact]
    public void Vietnamese_and_English_filter_values_mean_the_same()
    {
        var vi = CatalogueQuery.Parse("khai sinh", "000.00.12.H99", "ho-tich", "xa", "toan-trinh", "2", null, out var e1);
        var en = CatalogueQuery.Parse("khai sinh", "000.00.12.H99", "ho-tich", "commune", "full", "2", null, out var e2);
        Assert.Empty(e1);
        Assert.Empty(e2);
        Assert.Equal(vi, en);
        Assert.Equal(("commune", "full", 2), (vi.Level, vi.OnlineLevel, vi.Page));
    }

    [Theory]
    [InlineData("q", null, null, null, null)]
    [InlineData(null, "x'; DROP TABLE portal.agency;--", null, null, null)]
    [InlineData(null, null, "<script>", null, null)]
    [InlineData(null, null, null, "huyen", null)]
    [InlineData(null, null, null, null, "muc-4")]
    public void Bad_values_are_reported_against_their_parameter(string? q, string? agency, string? field, string? level, string? online)
    {
        var text = q is null ? null : new string('a', CatalogueQuery.MaxQueryLength + 1);
        CatalogueQuery.Parse(text, agency, field, level, online, null, null, out var errors);
        var problem = Assert.Single(errors);
        var expected = q is not null ? "q" : agency is not null ? "agency" : field is not null ? "field" : level is not null ? "level" : "onlineLevel";
        Assert.Equal(expected, problem.Parameter);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1001")]
    [InlineData("99999999999999999999")]
    public void Page_numbers_outside_the_range_are_refused(string page)
    {
        var query = CatalogueQuery.Parse(null, null, null, null, null, page, null, out var errors);
        Assert.Equal("page", Assert.Single(errors).Parameter);
        Assert.Equal(1, query.Page);
    }

    [Theory]
    [InlineData("1.001193", true)]
    [InlineData("1.001193.H99", true)]
    [InlineData("dang ky", false)]
    [InlineData("1.00", false)]
    public void A_procedure_code_is_searched_as_a_code(string q, bool isCode) =>
        Assert.Equal(isCode, CatalogueQuery.Parse(q, null, null, null, null, null, null, out _).IsCode);
}
