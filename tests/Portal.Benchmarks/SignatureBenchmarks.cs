using BenchmarkDotNet.Attributes;
using Portal.Core.Signatures;
using Portal.Tests.Shared;

namespace Portal.Benchmarks;

// Issue 4's figures: whole verifications per second (structure, changes after signing, CMS, chain, revocation from
// CRLs) of a signed 1-page receipt and of a signed 100-page ≈ 5 MB file, bytes allocated per verification, and
// signing throughput for a 1-page receipt (PAdES B-B, RSA 3072, incremental update). One core: BenchmarkDotNet runs
// each benchmark on one thread.
[MemoryDiagnoser]
public class SignatureBenchmarks
{
    string dir = "";
    SigningKey key = null!;
    SignatureVerifier verifier = null!;
    PadesSigner signer = null!;
    byte[] receipt = [], signedReceipt = [], signedLarge = [];

    [GlobalSetup]
    public void Setup()
    {
        dir = Directory.CreateTempSubdirectory("portal-bench-pki-").FullName;
        DemoPki.Ensure(dir, TimeProvider.System);
        key = SigningKey.FromPkcs12(Path.Combine(dir, DemoPki.SignerFile), File.ReadAllText(Path.Combine(dir, DemoPki.PasswordFile)));
        var crls = new CmsEvidence();
        foreach (var crl in DemoPki.CrlFiles) crls.Crls.Add(File.ReadAllBytes(Path.Combine(dir, crl)));
        verifier = new SignatureVerifier(TrustStore.Default(TrustStore.ReadPem(File.ReadAllText(Path.Combine(dir, DemoPki.RootFile))), []),
            SignaturePolicy.Version1, TimeProvider.System, crls);
        signer = new PadesSigner(TimeProvider.System);
        receipt = TestPdfs.OnePage("Giay tiep nhan ho so");
        signedReceipt = signer.SignAsync(receipt, key, new SignOptions(), default).GetAwaiter().GetResult();
        signedLarge = signer.SignAsync(TestPdfs.Pages(100, "Ho so", 50_000), key, new SignOptions(), default).GetAwaiter().GetResult();
        foreach (var file in new[] { signedReceipt, signedLarge })
            if (verifier.Verify(file).Indication != "TOTAL_PASSED") throw new InvalidOperationException("benchmark input does not verify");
        Console.WriteLine($"// 1-page: {signedReceipt.Length:N0} bytes; 100-page: {signedLarge.Length:N0} bytes");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        key.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    [Benchmark]
    public string VerifyOnePage() => verifier.Verify(signedReceipt).Indication;

    [Benchmark]
    public string VerifyHundredPages() => verifier.Verify(signedLarge).Indication;

    [Benchmark]
    public int SignOnePage() => signer.SignAsync(receipt, key, new SignOptions(), default).GetAwaiter().GetResult().Length;
}
