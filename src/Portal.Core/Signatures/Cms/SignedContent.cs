using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;

namespace Portal.Core.Signatures;

/// <summary>
/// What a signature covers. A PDF signature covers two byte ranges of the file; they are hashed in place, without
/// being copied into one buffer, and each digest is computed once because several checks ask for it.
/// </summary>
public abstract class SignedContent
{
    /// <summary>SHAKE256 with a 512-bit output, the message digest that goes with Ed448 (RFC 8419).</summary>
    public static readonly HashAlgorithmName Shake256 = new("SHAKE256");

    /// <summary>
    /// SHA1, SHA224, SHA256, SHA384, SHA512 or <see cref="Shake256"/>; throws <see cref="NotSupportedException"/>
    /// for anything else.
    /// </summary>
    public abstract byte[] Digest(HashAlgorithmName algorithm);

    /// <summary>The covered bytes in order. Pure EdDSA without signed attributes signs the content itself, not a digest.</summary>
    public abstract IReadOnlyList<ReadOnlyMemory<byte>> Segments { get; }

    public long Length => Segments.Sum(s => (long)s.Length);

    public static SignedContent FromBytes(ReadOnlyMemory<byte> bytes) => new Ranges([bytes]);

    /// <summary>PDF ByteRange [a b c d]: bytes [a, a+b) then [c, c+d). The caller has already checked the ByteRange.</summary>
    public static SignedContent FromRanges(ReadOnlyMemory<byte> file, long a, long b, long c, long d)
    {
        if (a < 0 || b < 0 || c < a + b || d < 0 || c + d > file.Length)
            throw new ArgumentOutOfRangeException(nameof(file), $"ByteRange [{a} {b} {c} {d}] does not fit a file of {file.Length} bytes.");
        return new Ranges([file.Slice((int)a, (int)b), file.Slice((int)c, (int)d)]);
    }

    /// <summary>Hashes the segments; SHA-224 and SHAKE256 come from BouncyCastle because .NET has neither everywhere.</summary>
    internal static byte[] Hash(HashAlgorithmName algorithm, IReadOnlyList<ReadOnlyMemory<byte>> segments)
    {
        switch (algorithm.Name)
        {
            case "SHA1" or "SHA256" or "SHA384" or "SHA512":
                using (var hash = IncrementalHash.CreateHash(algorithm))
                {
                    foreach (var s in segments) hash.AppendData(s.Span);
                    return hash.GetHashAndReset();
                }
            case "SHA224":
                return BcHash(new Sha224Digest(), segments, 28);
            case "SHAKE256":
                return BcHash(new ShakeDigest(256), segments, 64);
            default:
                throw new NotSupportedException($"Digest {algorithm.Name} is not supported.");
        }
    }

    internal static byte[] Hash(HashAlgorithmName algorithm, ReadOnlyMemory<byte> bytes) => Hash(algorithm, [bytes]);

    static byte[] BcHash(IDigest digest, IReadOnlyList<ReadOnlyMemory<byte>> segments, int outputLength)
    {
        var buffer = new byte[64 * 1024];
        foreach (var s in segments)
            for (var offset = 0; offset < s.Length; offset += buffer.Length)
            {
                var chunk = s.Slice(offset, Math.Min(buffer.Length, s.Length - offset)).Span;
                chunk.CopyTo(buffer);
                digest.BlockUpdate(buffer, 0, chunk.Length);
            }
        var result = new byte[outputLength];
        if (digest is ShakeDigest shake) shake.DoFinal(result, 0, outputLength);
        else digest.DoFinal(result, 0);
        return result;
    }

    sealed class Ranges(ReadOnlyMemory<byte>[] segments) : SignedContent
    {
        readonly Dictionary<string, byte[]> digests = [];

        public override IReadOnlyList<ReadOnlyMemory<byte>> Segments => segments;

        public override byte[] Digest(HashAlgorithmName algorithm)
        {
            var name = algorithm.Name ?? "";
            lock (digests)
            {
                if (!digests.TryGetValue(name, out var digest))
                    digests[name] = digest = Hash(algorithm, segments);
                return (byte[])digest.Clone();
            }
        }
    }
}
