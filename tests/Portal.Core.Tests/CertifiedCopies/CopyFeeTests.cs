using Portal.Core.CertifiedCopies;

namespace Portal.Core.Tests.CertifiedCopies;

public sealed class CopyFeeTests
{
    // DOMAIN.md §8.2, the table exactly.
    [Theory]
    [InlineData(1, 1, 2_000)]
    [InlineData(2, 1, 4_000)]
    [InlineData(3, 1, 5_000)]
    [InlineData(10, 2, 24_000)]
    [InlineData(250, 1, 200_000)]   // 252,000 → capped at 200,000 per copy
    public void The_fee_follows_the_domain_table(int pages, int copies, long fee) =>
        Assert.Equal(fee, CopyFee.For(pages, copies));

    [Theory]
    [InlineData(198, 1, 200_000)]   // 4,000 + 196,000: exactly the cap
    [InlineData(199, 1, 200_000)]
    [InlineData(250, 3, 600_000)]   // the cap is per copy
    [InlineData(2, 50, 200_000)]
    public void The_cap_applies_to_each_copy_before_multiplying(int pages, int copies, long fee) =>
        Assert.Equal(fee, CopyFee.For(pages, copies));

    [Fact]
    public void No_pages_or_no_copies_is_a_programming_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CopyFee.For(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => CopyFee.For(1, 0));
    }

    [Fact]
    public void The_explanation_shows_pages_copies_and_the_total_in_dong()
    {
        Assert.Equal("10 trang × 2 bản = 24.000 đồng (12.000 đồng mỗi bản)", CopyFee.Explain(10, 2));
        Assert.Equal("250 trang × 1 bản = 200.000 đồng (200.000 đồng mỗi bản, mức tối đa)", CopyFee.Explain(250, 1));
    }
}
