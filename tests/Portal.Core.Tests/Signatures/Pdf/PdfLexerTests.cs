using System.Text;
using Portal.Core.Signatures.Pdf;

namespace Portal.Core.Tests.Signatures.Pdf;

public class PdfLexerTests
{
    static PdfObject Parse(string text) => PdfSyntax.Parse(text);

    [Theory]
    [InlineData("null")]
    [InlineData("  % a comment\n null")]
    public void Null_parses_with_comments_skipped(string text) => Assert.IsType<PdfNull>(Parse(text));

    [Theory]
    [InlineData("42", 42)]
    [InlineData("-17", -17)]
    [InlineData("+5", 5)]
    public void Integers_parse(string text, long expected) => Assert.Equal(expected, Assert.IsType<PdfInteger>(Parse(text)).Value);

    [Theory]
    [InlineData("3.25", 3.25)]
    [InlineData("-.5", -0.5)]
    [InlineData("4.", 4.0)]
    [InlineData("12345678901234567890", 12345678901234567890.0)]
    public void Reals_parse(string text, double expected) => Assert.Equal(expected, Assert.IsType<PdfReal>(Parse(text)).Value);

    [Theory]
    [InlineData("/Type", "Type")]
    [InlineData("/A#20B", "A B")]
    [InlineData("/Adobe#2EPPKLite", "Adobe.PPKLite")]
    [InlineData("/x#zz", "x#zz")]
    public void Names_decode_hex_escapes(string text, string expected) => Assert.Equal(expected, Assert.IsType<PdfName>(Parse(text)).Value);

    [Theory]
    [InlineData(@"(abc)", "abc")]
    [InlineData(@"(a(b)c)", "a(b)c")]
    [InlineData(@"(a\)b)", "a)b")]
    [InlineData(@"(\101\102C)", "ABC")]
    [InlineData(@"(line\nbreak\t)", "line\nbreak\t")]
    [InlineData("(joined\\\nline)", "joinedline")]
    [InlineData("(cr\r\nlf)", "cr\nlf")]
    [InlineData(@"(\q)", "q")]
    public void Literal_strings_decode_escapes_and_nesting(string text, string expected)
    {
        var s = Assert.IsType<PdfString>(Parse(text));
        Assert.False(s.IsHex);
        Assert.Equal(expected, Encoding.Latin1.GetString(s.Bytes));
    }

    [Theory]
    [InlineData("<48656C6C6F>", "Hello")]
    [InlineData("<48 65 6c\n6c 6f>", "Hello")]
    [InlineData("<414>", "A@")]
    public void Hex_strings_decode_with_whitespace_and_odd_length(string text, string expected)
    {
        var s = Assert.IsType<PdfString>(Parse(text));
        Assert.True(s.IsHex);
        Assert.Equal(expected, Encoding.Latin1.GetString(s.Bytes));
    }

    [Fact]
    public void A_hex_string_keeps_the_offsets_of_its_angle_brackets()
    {
        var s = Assert.IsType<PdfDictionary>(Parse("<< /Contents <00ff> >>")).Get("Contents")!;
        Assert.Equal(13, s.Start);
        Assert.Equal(19, s.End); // one past '>'
    }

    [Fact]
    public void Arrays_dictionaries_and_references_parse()
    {
        var dict = Assert.IsType<PdfDictionary>(Parse("<< /Kids [3 0 R 4 0 R] /Count 2 /Nums [1 2 3] /Flag true /Sub << /X null >> >>"));
        var kids = Assert.IsType<PdfArray>(dict.Get("Kids"));
        Assert.Equal([3, 4], kids.Cast<PdfReference>().Select(r => r.Number));
        Assert.Equal([1L, 2L, 3L], ((PdfArray)dict.Get("Nums")!).Cast<PdfInteger>().Select(i => i.Value));
        Assert.True(((PdfBoolean)dict.Get("Flag")!).Value);
        Assert.IsType<PdfNull>(((PdfDictionary)dict.Get("Sub")!).Get("X"));
        Assert.Equal(2, dict.GetInteger("Count"));
    }

    [Fact]
    public void A_repeated_key_keeps_the_last_value_and_is_flagged()
    {
        var dict = Assert.IsType<PdfDictionary>(Parse("<< /A 1 /B 2 /A 3 >>"));
        Assert.Equal(3, dict.GetInteger("A"));
        Assert.True(dict.HasDuplicateKeys);
        Assert.Equal(2, dict.Count);
    }

    [Fact]
    public void A_large_dictionary_is_indexed_and_still_finds_every_key()
    {
        var text = "<<" + string.Concat(Enumerable.Range(0, 5000).Select(i => $" /K{i} {i}")) + " >>";
        var dict = Assert.IsType<PdfDictionary>(Parse(text));
        Assert.Equal(5000, dict.Count);
        Assert.Equal(4321, dict.GetInteger("K4321"));
    }

    [Theory]
    [InlineData("[1 2")]
    [InlineData("<< /A 1")]
    [InlineData("(unterminated")]
    [InlineData("<4142")]
    [InlineData("<41G2>")]
    [InlineData("1.2.3")]
    [InlineData("--1")]
    [InlineData("<< 1 2 >>")]
    [InlineData("endobj")]
    [InlineData(")")]
    [InlineData("")]
    public void Malformed_input_throws_the_format_exception(string text) =>
        Assert.Throws<PdfFormatException>(() => Parse(text));

    [Fact]
    public void Ten_thousand_nested_arrays_are_refused_without_overflowing_the_stack() =>
        Assert.Throws<PdfFormatException>(() => Parse(new string('[', 10_000) + new string(']', 10_000)));

    [Fact]
    public void Two_hundred_levels_are_still_accepted() =>
        Assert.IsType<PdfArray>(Parse(new string('[', 200) + new string(']', 200)));

    [Theory]
    [InlineData("D:20201101010000+01'00'", "2020-11-01T01:00:00+01:00")]
    [InlineData("D:20210111194514+01'00'", "2021-01-11T19:45:14+01:00")]
    [InlineData("D:20260227140509+07'00'", "2026-02-27T14:05:09+07:00")]
    [InlineData("D:20260227140509Z", "2026-02-27T14:05:09+00:00")]
    [InlineData("D:20260227140509-05'30", "2026-02-27T14:05:09-05:30")]
    [InlineData("D:2026", "2026-01-01T00:00:00+00:00")]
    [InlineData("20260227", "2026-02-27T00:00:00+00:00")]
    public void Pdf_dates_parse_with_their_offset(string text, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected), PdfText.ParseDate(text));

    [Theory]
    [InlineData("D:20261301")]
    [InlineData("D:2026023114")]
    [InlineData("D:20260227140509+07'00'junk")]
    [InlineData("yesterday")]
    [InlineData("D:0000")]
    public void Malformed_dates_are_null(string text) => Assert.Null(PdfText.ParseDate(text));

    [Fact]
    public void Text_strings_decode_utf16_utf8_and_pdfdocencoding()
    {
        Assert.Equal("Nguyễn", PdfText.Decode([0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes("Nguyễn")]));
        Assert.Equal("Lê Văn", PdfText.Decode([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("Lê Văn")]));
        Assert.Equal("\u2022 \u20ac é", PdfText.Decode([0x80, 0x20, 0xA0, 0x20, 0xE9]));
    }

    [Fact]
    public void Written_objects_read_back_equal()
    {
        var original = Assert.IsType<PdfDictionary>(Parse(
            "<< /Type /Sig /Name (L\\(e\\)\\\\ \r x) /N#20ame /A#23 /Raw <00ff10> /R 1.5 /I -3 /Ref 12 0 R /A [true false null] /D << /X 1 >> >>"));
        var written = PdfWriter.ToBytes(original);
        var back = Parse(Encoding.Latin1.GetString(written));
        Assert.True(PdfObjectEquality(original, back), Encoding.Latin1.GetString(written));
        Assert.StartsWith("1 0 obj\n<</A 1>>", Encoding.Latin1.GetString(PdfWriter.IndirectObject(1, 0, new PdfDictionary().With("A", new PdfInteger(1)))));
    }

    [Fact]
    public void With_and_without_return_copies()
    {
        var dict = Assert.IsType<PdfDictionary>(Parse("<< /A 1 /B 2 >>"));
        var changed = dict.With("B", new PdfInteger(5)).With("C", new PdfName("X")).Without("A");
        Assert.Equal(2, dict.GetInteger("B"));
        Assert.Equal(["B", "C"], changed.Keys);
        Assert.Equal(5, changed.GetInteger("B"));
    }

    static bool PdfObjectEquality(PdfObject a, PdfObject b) =>
        PdfFile.Open(PdfBuilder.OnePage().XrefTable().ToArray()).SameValue(a, b);
}
