using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Portal.Core.Documents;

namespace Portal.Core.Tests.Documents;

public sealed class TextWrapTests
{
    static List<string> Wrap(string text, double width)
    {
        PortalFonts.EnsureInstalled();
        using var gfx = XGraphics.CreateMeasureContext(new XSize(500, 500), XGraphicsUnit.Point, XPageDirection.Downwards);
        var font = new XFont(PortalFonts.Sans, 10, XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode));
        var lines = TextWrap.Lines(gfx, text, font, width);
        Assert.All(lines, l => Assert.True(gfx.MeasureString(l, font).Width <= width, $"\"{l}\" is wider than {width}"));
        return lines;
    }

    [Fact]
    public void Short_text_stays_on_one_line()
    {
        Assert.Equal(["Đăng ký khai sinh"], Wrap("Đăng ký khai sinh", 300));
    }

    [Fact]
    public void Long_text_breaks_between_words_and_keeps_every_word()
    {
        const string text = "Ủy ban nhân dân xã Bình Minh tiếp nhận hồ sơ đăng ký khai sinh của bà Nguyễn Thị Hường";
        var lines = Wrap(text, 120);

        Assert.True(lines.Count >= 3);
        Assert.Equal(text, string.Join(' ', lines));
    }

    [Fact]
    public void Line_breaks_in_the_text_are_kept()
    {
        Assert.Equal(["Thủ tục", "Mã thủ tục: 1.001193"], Wrap("Thủ tục\nMã thủ tục: 1.001193", 300));
    }

    [Fact]
    public void A_word_wider_than_the_line_is_cut_between_characters()
    {
        const string name = "giay-chung-sinh_ban-chup-mau_nguyen-thi-huong_2026-02-27_trang-1-den-3.pdf";
        var lines = Wrap(name, 80);

        Assert.True(lines.Count >= 3);
        Assert.Equal(name, string.Concat(lines));
    }

    [Fact]
    public void A_combining_mark_is_never_separated_from_its_letter()
    {
        var nfd = "Hường".Normalize(System.Text.NormalizationForm.FormD);
        var lines = Wrap(string.Concat(Enumerable.Repeat(nfd, 10)), 20);

        Assert.All(lines, l => Assert.False(char.GetUnicodeCategory(l[0]) == System.Globalization.UnicodeCategory.NonSpacingMark));
    }
}
