using Portal.Core.Catalogue;

namespace Portal.Core.Tests.Catalogue;

public class MarkdownTextTests
{
    [Fact]
    public void Script_tags_come_out_escaped()
    {
        var html = MarkdownText.ToHtml("Xin chào <script>alert('x')</script>");
        Assert.DoesNotContain("<script", html);
        Assert.Contains("&lt;script&gt;", html);
    }

    [Fact]
    public void Raw_html_blocks_are_not_rendered_as_html()
    {
        var html = MarkdownText.ToHtml("<div onclick=\"steal()\">bấm</div>\n\n<img src=x onerror=alert(1)>");
        Assert.DoesNotContain("<div", html);
        Assert.DoesNotContain("<img", html);
    }

    [Theory]
    [InlineData("[bấm](javascript:alert(1))")]
    [InlineData("[bấm](JavaScript:alert(1))")]
    [InlineData("[bấm](data:text/html;base64,PHNjcmlwdD4=)")]
    [InlineData("[bấm]( vbscript:msgbox)")]
    public void Links_with_script_schemes_are_neutralised(string markdown)
    {
        var html = MarkdownText.ToHtml(markdown);
        Assert.Contains("href=\"#\"", html);
        Assert.DoesNotContain("script:", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Ordinary_markdown_renders()
    {
        var html = MarkdownText.ToHtml("1. Bước 1: Nộp hồ sơ\n2. Bước 2: Nhận kết quả\n\nXem [Luật Hộ tịch](https://vbpl.vn/) và [trang](/thu-tuc).");
        Assert.Contains("<ol>", html);
        Assert.Contains("<li>Bước 1: Nộp hồ sơ</li>", html);
        Assert.Contains("href=\"https://vbpl.vn/\"", html);
        Assert.Contains("href=\"/thu-tuc\"", html);
    }

    [Fact]
    public void Empty_markdown_renders_nothing() => Assert.Equal("", MarkdownText.ToHtml("  "));
}
