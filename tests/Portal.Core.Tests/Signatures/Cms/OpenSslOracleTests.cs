using System.Diagnostics;
using System.Security.Cryptography;
using Portal.Core.Signatures;

namespace Portal.Core.Tests.Signatures.Cms;

/// <summary>
/// OpenSSL as an independent oracle (SIGNATURES.md §9.2): <c>openssl cms -verify</c> with the test root, judged at
/// <see cref="TestPki.Now"/>, must accept exactly the CMS that Portal finds intact and cryptographically valid.
/// OpenSSL knows nothing of revocation policy or ESS binding, so only those building blocks are compared.
/// </summary>
public sealed class OpenSslOracleTests
{
    static TestPki Pki => TestPki.Shared;
    static readonly byte[] Content = "Bản sao điện tử được chứng thực từ bản chính"u8.ToArray();

    public static TheoryData<string> Cases() => ["valid", "ecdsa", "pss", "subject key identifier", "no signed attributes", "flipped content", "flipped signature"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void OpenSSL_accepts_exactly_what_Portal_finds_intact_and_valid(string name)
    {
        var signer = name == "ecdsa" ? Pki.EcLeaf("CN=Oracle ECDSA, C=VN") : Pki.Signer;
        var options = new CmsOptions
        {
            Crls = Pki.Crls(),
            Pss = name == "pss",
            SubjectKeyIdentifier = name == "subject key identifier",
            SignedAttributes = name != "no signed attributes",
            CorruptSignature = name == "flipped signature",
        };
        var cms = TestPki.SignDetached(Content, signer, Pki.Chain, options);
        var content = (byte[])Content.Clone();
        if (name == "flipped content") content[0] ^= 0x01;

        var verdict = Assert.Single(new CmsVerifier(Pki.Trust(), SignaturePolicy.Version1)
            .Verify(cms, SignedContent.FromBytes(content), CmsKind.Detached, TestPki.Now));
        var (exit, output) = OpenSslVerify(cms, content);

        var portalAccepts = verdict.Intact == true && verdict.CryptoValid == true;
        Assert.True(portalAccepts == (exit == 0), $"Portal intact={verdict.Intact} valid={verdict.CryptoValid}; openssl exit {exit}: {output}");
        Assert.Equal(name is not ("flipped content" or "flipped signature"), portalAccepts);
    }

    static (int Exit, string Output) OpenSslVerify(byte[] cms, byte[] content)
    {
        var dir = Directory.CreateTempSubdirectory("portal-cms-oracle-");
        try
        {
            File.WriteAllBytes(Path.Combine(dir.FullName, "sig.der"), cms);
            File.WriteAllBytes(Path.Combine(dir.FullName, "data.bin"), content);
            File.WriteAllText(Path.Combine(dir.FullName, "roots.pem"), PemEncoding.WriteString("CERTIFICATE", Pki.Root.RawData) + "\n");
            var start = new ProcessStartInfo("openssl")
            {
                WorkingDirectory = dir.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var a in new[] { "cms", "-verify", "-binary", "-inform", "DER", "-in", "sig.der", "-content", "data.bin", "-CAfile", "roots.pem",
                                      "-purpose", "any", "-attime", TestPki.Now.ToUnixTimeSeconds().ToString(), "-out", "/dev/null" })
                start.ArgumentList.Add(a);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "openssl did not finish");
            return (process.ExitCode, stdout + stderr.Result);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
