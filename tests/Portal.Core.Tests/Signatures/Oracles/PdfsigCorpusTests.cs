using System.Diagnostics;
using System.Text.RegularExpressions;
using Portal.Core.Signatures;

namespace Portal.Core.Tests.Signatures.Oracles;

/// <summary>
/// poppler's pdfsig as an independent oracle over every corpus file (SIGNATURES.md §9.1): where it reaches a verdict on
/// the cryptography ("Signature is Valid." / "Digest Mismatch." / "Signature is Invalid."), Portal's intact and
/// crypto-valid building blocks agree. Its exit code is unreliable, so the text is parsed; signatures are matched by
/// their signed ranges. Where pdfsig reaches no verdict (document timestamps, SKI signer ids, EdDSA) nothing is compared.
/// </summary>
public sealed partial class PdfsigCorpusTests
{
    [GeneratedRegex(@"Signed Ranges: \[(\d+) - (\d+)\], \[(\d+) - (\d+)\][\s\S]*?Signature Validation: ([^\n]+)")]
    private static partial Regex Block();

    [Fact]
    public async Task Portal_agrees_with_pdfsig_on_the_cryptography()
    {
        var compared = 0;
        foreach (var file in Corpus.SignedFiles().Select(row => (string)row[0]))
            compared += await CompareAsync(file);
        // Most corpus signatures are plain RSA/ECDSA ones pdfsig can judge; far fewer means the parsing broke.
        Assert.True(compared >= 30, $"pdfsig gave a verdict Portal could be compared with on only {compared} signatures");
    }

    static async Task<int> CompareAsync(string file)
    {
        var compared = 0;
        var path = Path.Combine(Corpus.Directory, file);
        var start = new ProcessStartInfo("pdfsig", ["-nocert", "-no-ocsp", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await error;
        await process.WaitForExitAsync();

        var report = new SignatureVerifier(Corpus.Trust(), SignaturePolicy.Version1 with { RequireRevocation = false }, TimeProvider.System)
            .Verify(File.ReadAllBytes(path));
        foreach (Match m in Block().Matches(output))
        {
            var verdict = m.Groups[5].Value.Trim();
            bool? valid = verdict switch
            {
                "Signature is Valid." => true,
                "Digest Mismatch." or "Signature is Invalid." => false,
                _ => null,
            };
            if (valid is null) continue;
            // pdfsig prints offsets, not lengths: [a - a+b], [c - c+d].
            var (a, ab, c, cd) = (long.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value), long.Parse(m.Groups[3].Value), long.Parse(m.Groups[4].Value));
            var ours = report.Signatures.Single(s => s.ByteRange is [var x, var y, var z, var w] && x == a && x + y == ab && z == c && z + w == cd);
            Assert.True((ours.Intact == true && ours.CryptoValid == true) == valid,
                $"{file} [{a} {ab} {c} {cd}]: pdfsig says \"{verdict}\", Portal intact={ours.Intact} cryptoValid={ours.CryptoValid}");
            compared++;
        }
        return compared;
    }
}
