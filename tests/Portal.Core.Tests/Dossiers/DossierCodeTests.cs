using Portal.Core.Dossiers;

namespace Portal.Core.Tests.Dossiers;

// DOMAIN.md §5.1: the examples of the table, and what a lookup accepts as the shape of a code.
public sealed class DossierCodeTests
{
    [Theory]
    [InlineData("000.00.12.H56", 2024, 1, 15, 1, "000.00.12.H56-240115-0001")]
    [InlineData("000.00.12.H56", 2026, 2, 27, 37, "000.00.12.H56-260227-0037")]
    [InlineData("000.00.31.H56", 2026, 2, 27, 1, "000.00.31.H56-260227-0001")]
    [InlineData("000.00.12.H56", 2026, 2, 28, 10000, "000.00.12.H56-260228-10000")]
    public void Codes_follow_the_regulation_and_widen_past_9999(string unit, int y, int m, int d, int n, string expected) =>
        Assert.Equal(expected, DossierCode.Format(unit, new DateOnly(y, m, d), n));

    [Theory]
    [InlineData("000.00.12.H56-260227-0037", true)]
    [InlineData("000.00.00.H99-XA-261123-0001", true)]
    [InlineData("000.00.12.H56-260228-10000", true)]
    [InlineData("000.00.12.H56-2602270037", false)]
    [InlineData("' OR 1=1 --", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_lookup_accepts_only_the_shape_of_a_code(string? code, bool valid) => Assert.Equal(valid, DossierCode.LooksValid(code));
}
