using System.Security.Cryptography;
using Portal.Core.Signatures;

namespace Portal.Core.Tests.Signatures.Cms;

public sealed class SignedContentTests
{
    static readonly byte[] File = [.. Enumerable.Range(0, 1000).Select(i => (byte)(i * 7))];

    [Theory]
    [InlineData("SHA1")]
    [InlineData("SHA256")]
    [InlineData("SHA384")]
    [InlineData("SHA512")]
    public void Ranges_hash_like_the_concatenation_of_the_two_byte_ranges(string algorithm)
    {
        var name = new HashAlgorithmName(algorithm);
        byte[] concatenated = [.. File[..300], .. File[420..1000]];
        using var expected = IncrementalHash.CreateHash(name);
        expected.AppendData(concatenated);

        var digest = SignedContent.FromRanges(File, 0, 300, 420, 580).Digest(name);

        Assert.Equal(expected.GetHashAndReset(), digest);
        Assert.Equal(880, SignedContent.FromRanges(File, 0, 300, 420, 580).Length);
    }

    [Fact]
    public void SHA224_and_SHAKE256_match_published_vectors()
    {
        var abc = SignedContent.FromBytes("abc"u8.ToArray());

        // FIPS 180-4 and FIPS 202 examples for "abc".
        Assert.Equal("23097D223405D8228642A477BDA255B32AADBCE4BDA0B3F7E36C9DA7", Convert.ToHexString(abc.Digest(new HashAlgorithmName("SHA224"))));
        Assert.Equal("483366601360A8771C6863080CC4114D8DB44530F8F1E1EE4F94EA37E78B5739D5A15BEF186A5386C75744C0527E1FAA9F8726E462A12A4FEB06BD8801E751E4",
                     Convert.ToHexString(abc.Digest(SignedContent.Shake256)));
    }

    [Fact]
    public void A_digest_is_a_copy_so_callers_cannot_change_the_cached_value()
    {
        var content = SignedContent.FromBytes(File);
        var first = content.Digest(HashAlgorithmName.SHA256);
        first[0] ^= 0xFF;

        Assert.NotEqual(first, content.Digest(HashAlgorithmName.SHA256));
    }

    [Theory]
    [InlineData(-1, 10, 20, 10)]
    [InlineData(0, 10, 5, 10)]
    [InlineData(0, 10, 20, 990)]
    public void Ranges_outside_the_file_are_refused(long a, long b, long c, long d)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SignedContent.FromRanges(File, a, b, c, d));
    }
}
