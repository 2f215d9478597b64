using Microsoft.Extensions.Configuration;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Portal.Core.Signatures;
using Portal.Tests.Shared;

namespace Portal.Core.Tests.Signatures.Signing;

/// <summary>A demo-style PKI (root, CA, signer, empty CRLs) in a temporary directory, shared by the signer tests.</summary>
public sealed class SignerPki : IDisposable
{
    readonly string dir = System.IO.Directory.CreateTempSubdirectory("portal-signer-").FullName;

    public SignerPki()
    {
        DemoPki.Ensure(dir, TimeProvider.System);
        Key = SigningKey.FromPkcs12(Path.Combine(dir, DemoPki.SignerFile), File.ReadAllText(Path.Combine(dir, DemoPki.PasswordFile)));
        Root = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(dir, DemoPki.RootFile)));
        Crls = new CmsEvidence();
        foreach (var crl in DemoPki.CrlFiles) Crls.Crls.Add(File.ReadAllBytes(Path.Combine(dir, crl)));
        Verifier = new SignatureVerifier(TrustStore.Default([Root], []), SignaturePolicy.Version1, TimeProvider.System, Crls);
    }

    public string Directory => dir;
    public SigningKey Key { get; }
    public X509Certificate2 Root { get; }
    public CmsEvidence Crls { get; }
    public SignatureVerifier Verifier { get; }

    public void Dispose()
    {
        Key.Dispose();
        System.IO.Directory.Delete(dir, recursive: true);
    }
}

public sealed class PadesSignerTests(SignerPki pki) : IClassFixture<SignerPki>
{
    readonly PadesSigner signer = new(TimeProvider.System);

    Task<byte[]> SignAsync(byte[] pdf, string? reason = "Kiểm thử") => signer.SignAsync(pdf, pki.Key, new SignOptions { Reason = reason }, default);

    static string CorpusFile(string file) => Path.Combine(Signatures.Corpus.Directory, file);

    [Fact]
    public async Task A_signed_receipt_verifies_as_total_passed_over_the_whole_file()
    {
        var pdf = TestPdfs.OnePage("Giay tiep nhan");
        var signed = await SignAsync(pdf);

        Assert.True(signed.AsSpan(0, pdf.Length).SequenceEqual(pdf), "the original bytes must be kept as they are");
        var report = pki.Verifier.Verify(signed);
        Assert.Equal("TOTAL_PASSED", report.Indication);
        var s = Assert.Single(report.Signatures);
        Assert.Equal("ETSI.CAdES.detached", s.SubFilter);
        Assert.True(s.CoversWholeFile);
        Assert.Equal("none", s.ModificationsAfter);
        Assert.Equal(2, report.Revisions);
        Assert.Contains(DemoPki.Marker, s.Signer!.Organization);
    }

    [Fact]
    public async Task Signing_twice_keeps_the_first_signature_valid()
    {
        var once = await SignAsync(TestPdfs.OnePage("Hai chu ky"));
        var twice = await SignAsync(once, "Phê duyệt");

        var report = pki.Verifier.Verify(twice);
        Assert.Equal(2, report.Signatures.Count);
        Assert.All(report.Signatures, s => Assert.Equal("TOTAL_PASSED", s.Indication));
        Assert.Equal("form-filling", report.Signatures[0].ModificationsAfter);
        Assert.False(report.Signatures[0].CoversWholeFile);
        Assert.True(report.Signatures[1].CoversWholeFile);
        Assert.Equal(["Chữ ký 1", "Chữ ký 2"], report.Signatures.Select(s => s.FieldName));
    }

    [Fact]
    public async Task A_file_with_cross_reference_streams_gets_a_cross_reference_stream()
    {
        // Adobe Reader's doubly signed file uses cross-reference streams; ours is appended, theirs stay intact.
        var source = File.ReadAllBytes(CorpusFile("pdf/minimal-two-fields-signed-twice.pdf"));
        Assert.Equal(Portal.Core.Signatures.Pdf.XrefKind.Stream, Portal.Core.Signatures.Pdf.PdfFile.Open(source).LastRevision.XrefKind);
        var signed = await SignAsync(source);
        var tail = Encoding.Latin1.GetString(signed, source.Length, signed.Length - source.Length);
        Assert.Matches(@"/Type\s*/XRef", tail);
        Assert.DoesNotContain("\nxref\n", tail);
        var report = pki.Verifier.Verify(signed);
        Assert.Equal("TOTAL_PASSED", report.Signatures[^1].Indication);
        Assert.All(report.Signatures.Take(report.Signatures.Count - 1), s =>
        {
            Assert.True(s.Intact);
            Assert.True(s.CryptoValid);
        });
    }

    [Fact]
    public async Task Signing_a_pades_lta_file_keeps_its_signature_and_document_timestamp()
    {
        var source = File.ReadAllBytes(CorpusFile("pdf/pades-lta-dss-indirect-arrs-test.pdf"));
        var report = pki.Verifier.Verify(await SignAsync(source));
        Assert.Equal(3, report.Signatures.Count);
        Assert.Equal("document-timestamp", report.Signatures[1].Kind);
        Assert.Equal("TOTAL_PASSED", report.Signatures[2].Indication);
        Assert.All(report.Signatures.Take(2), s => Assert.True(s.Intact == true && s.CryptoValid == true, s.FieldName));
    }

    [Fact]
    public async Task A_document_certified_with_no_changes_allowed_is_refused()
    {
        var certified = File.ReadAllBytes(CorpusFile("pdf/certified-with-indirect-refs-in-dir.pdf"));
        var e = await Assert.ThrowsAsync<SigningRefusedException>(() => SignAsync(certified));
        Assert.Contains("DocMDP P=1", e.Message);
    }

    [Fact]
    public async Task The_cms_has_the_three_signed_attributes_and_no_signing_time()
    {
        var signed = await SignAsync(TestPdfs.OnePage("Thuoc tinh"));
        var cms = ExtractCms(signed);
        var signedCms = new System.Security.Cryptography.Pkcs.SignedCms();
        signedCms.Decode(cms);
        var signerInfo = Assert.Single(signedCms.SignerInfos.Cast<System.Security.Cryptography.Pkcs.SignerInfo>());
        var oids = signerInfo.SignedAttributes.Cast<System.Security.Cryptography.CryptographicAttributeObject>().Select(a => a.Oid.Value).ToHashSet();
        Assert.Equal(new HashSet<string?> { "1.2.840.113549.1.9.3", "1.2.840.113549.1.9.4", "1.2.840.113549.1.9.16.2.47" }, oids);
        Assert.Empty(signerInfo.UnsignedAttributes);
        Assert.True(signedCms.Detached || signedCms.ContentInfo.Content.Length == 0);
    }

    [Fact]
    public async Task Pdfsig_openssl_and_qpdf_accept_what_portal_signs()
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("portal-oracle-").FullName;
        try
        {
            var once = await SignAsync(TestPdfs.OnePage("Oracle"));
            var twice = await SignAsync(once);
            var path = Path.Combine(dir, "signed.pdf");
            await File.WriteAllBytesAsync(path, twice);

            var qpdf = Run("qpdf", "--check", path);
            Assert.True(qpdf.Exit is 0, qpdf.Output);

            var pdfsig = Run("pdfsig", "-nocert", path).Output;
            var blocks = pdfsig.Split("Signature #", StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
            Assert.Equal(2, blocks.Count);
            Assert.All(blocks, b => Assert.Contains("Signature is Valid.", b));
            Assert.Contains("Total document signed", blocks[1]);
            Assert.Contains("ETSI.CAdES.detached", blocks[1]);

            // OpenSSL on the bytes our own ByteRange reader extracts: cryptography and the chain at signing time.
            var (data, cms) = SignedBytes(twice);
            await File.WriteAllBytesAsync(Path.Combine(dir, "data.bin"), data);
            await File.WriteAllBytesAsync(Path.Combine(dir, "sig.der"), cms);
            await File.WriteAllTextAsync(Path.Combine(dir, "root.pem"), pki.Root.ExportCertificatePem());
            var openssl = Run("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", Path.Combine(dir, "sig.der"),
                "-content", Path.Combine(dir, "data.bin"), "-CAfile", Path.Combine(dir, "root.pem"), "-purpose", "any", "-out", "/dev/null");
            Assert.True(openssl.Exit == 0, openssl.Output);
            Assert.Contains("Verification successful", openssl.Output);
        }
        finally { System.IO.Directory.Delete(dir, recursive: true); }
    }

    /// <summary>The last signature's signed bytes and trimmed CMS, from its /ByteRange.</summary>
    static (byte[] Data, byte[] Cms) SignedBytes(byte[] pdf)
    {
        var scan = Portal.Core.Signatures.Pdf.PdfSignatureScan.Read(pdf);
        var entry = scan.Signatures[^1];
        var r = entry.ByteRange!;
        var data = pdf.AsSpan((int)r[0], (int)r[1]).ToArray().Concat(pdf.AsSpan((int)r[2], (int)r[3]).ToArray()).ToArray();
        return (data, Trim(entry.Contents!));
    }

    static byte[] ExtractCms(byte[] pdf) => Trim(Portal.Core.Signatures.Pdf.PdfSignatureScan.Read(pdf).Signatures[^1].Contents!);

    /// <summary>/Contents is zero-padded: keep the outer DER SEQUENCE only.</summary>
    static byte[] Trim(byte[] contents)
    {
        var reader = new System.Formats.Asn1.AsnReader(contents, System.Formats.Asn1.AsnEncodingRules.BER);
        return reader.ReadEncodedValue().ToArray();
    }

    static (int Exit, string Output) Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }
}

public sealed class SigningKeysTests(SignerPki pki) : IClassFixture<SignerPki>
{
    [Fact]
    public void A_unit_uses_its_own_key_and_the_others_the_default()
    {
        var dir = Directory.CreateTempSubdirectory("portal-keys-").FullName;
        try
        {
            DemoPki.Ensure(Path.Combine(dir, "unit"), TimeProvider.System);
            var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Portal:Signing:Pkcs12"] = Path.Combine(pki.Directory, DemoPki.SignerFile),
                ["Portal:Signing:PasswordFile"] = Path.Combine(pki.Directory, DemoPki.PasswordFile),
                ["Portal:Signing:Units:000.00.01.H99:Pkcs12"] = Path.Combine(dir, "unit", DemoPki.SignerFile),
                ["Portal:Signing:Units:000.00.01.H99:PasswordFile"] = Path.Combine(dir, "unit", DemoPki.PasswordFile),
            }).Build();
            var keys = new SigningKeys(config);
            using var own = keys.For("000.00.01.H99")!;
            using var other = keys.For("000.00.02.H99")!;
            using var none = keys.For(null)!;
            Assert.NotEqual(pki.Key.Certificate.Thumbprint, own.Certificate.Thumbprint);
            Assert.Equal(pki.Key.Certificate.Thumbprint, other.Certificate.Thumbprint);
            Assert.Equal(pki.Key.Certificate.Thumbprint, none.Certificate.Thumbprint);
            Assert.Null(new SigningKeys(new ConfigurationBuilder().Build()).For("x"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
