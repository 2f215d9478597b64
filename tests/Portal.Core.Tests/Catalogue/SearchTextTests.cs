using System.Text;
using Portal.Core.Catalogue;

namespace Portal.Core.Tests.Catalogue;

public class SearchTextTests
{
    [Theory]
    [InlineData("Đăng ký khai sinh", "dang ky khai sinh")]
    [InlineData("ĐĂNG KÝ", "dang ky")]
    [InlineData("đường", "duong")]
    [InlineData("Cấp bản sao từ sổ gốc", "cap ban sao tu so goc")]
    [InlineData("Thừa kế, ưu đãi, người có công, ơn", "thua ke, uu dai, nguoi co cong, on")]
    [InlineData("Hộ kinh doanh Ấp Ửng Ỡm", "ho kinh doanh ap ung om")]
    public void Fold_removes_diacritics_and_case_including_d_bar(string input, string expected) =>
        Assert.Equal(expected, SearchText.Fold(input));

    [Fact]
    public void Fold_treats_decomposed_input_like_composed_input()
    {
        var nfd = "Nguyễn Thị Hường".Normalize(NormalizationForm.FormD);
        Assert.NotEqual("Nguyễn Thị Hường", nfd);
        Assert.Equal("nguyen thi huong", SearchText.Fold(nfd));
    }

    [Theory]
    [InlineData("cap ban sao", new[] { "cap", "ban", "sao" })]
    [InlineData("  Đăng   ký!!", new[] { "dang", "ky" })]
    [InlineData("a & b | !c:*", new[] { "a", "b", "c" })]
    [InlineData("1.001193", new[] { "1", "001193" })]
    [InlineData("!!!", new string[0])]
    public void Words_are_folded_alphanumeric_runs(string input, string[] expected) =>
        Assert.Equal(expected, SearchText.Words(input));

    [Fact]
    public void The_last_word_of_a_query_matches_as_a_prefix()
    {
        Assert.Equal("cap & ban & sa:*", SearchText.ToTsQuery(["cap", "ban", "sa"]));
        Assert.Null(SearchText.ToTsQuery([]));
    }

    [Fact]
    public void Clean_normalises_to_NFC_and_drops_control_characters()
    {
        var cleaned = SearchText.Clean("  Đăng\u0000 ký\n".Normalize(NormalizationForm.FormD));
        Assert.Equal("Đăng  ký", cleaned);
        Assert.True(cleaned.IsNormalized(NormalizationForm.FormC));
    }
}
