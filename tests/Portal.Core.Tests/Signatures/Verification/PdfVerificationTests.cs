using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Portal.Core.Signatures;
using Portal.Core.Signatures.Pdf;
using Portal.Tests.Shared;

namespace Portal.Core.Tests.Signatures.Verification;

/// <summary>
/// Whole-verifier cases of SIGNATURES.md §10.2 on PDFs signed by Portal's signer with the generated test PKI, each
/// asserting the exact indication: the structure, the cryptography and the changes after signing together.
/// </summary>
public sealed class PdfVerificationTests
{
    static readonly TestPki Pki = TestPki.Shared;
    static readonly X509Certificate2 Signer = Pki.Leaf("CN=Nguyễn Văn An, O=Sở Tư pháp tỉnh Bình Sơn, C=VN", rsaBits: 3072);
    static readonly DateTimeOffset Now = TestPki.Now;

    sealed class Frozen(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>A TSA over HTTP, answered in-process by the test PKI.</summary>
    sealed class TestTsa(DateTimeOffset genTime) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            new(HttpStatusCode.OK) { Content = new ByteArrayContent(Pki.TimestampResponse(await request.Content!.ReadAsByteArrayAsync(ct), genTime)) };
    }

    static SignatureVerifier Verifier(DateTimeOffset? at = null)
    {
        var crls = new CmsEvidence();
        crls.Crls.AddRange(Pki.Crls());
        return new SignatureVerifier(Pki.Trust(), SignaturePolicy.Version1, new Frozen(at ?? Now), crls);
    }

    static Task<byte[]> SignAsync(byte[] pdf, X509Certificate2? cert = null, DateTimeOffset? at = null, SignOptions? options = null)
    {
        var key = new SigningKey(cert ?? Signer, Pki.Chain);
        return new PadesSigner(new Frozen(at ?? Now)).SignAsync(pdf, key, options ?? new SignOptions(), default);
    }

    static Task<byte[]> SignedAsync() => SignAsync(TestPdfs.OnePage("Giay chung nhan"));

    /// <summary>Appends an incremental update redefining or adding <paramref name="objects"/> (number → body).</summary>
    static byte[] Update(byte[] pdf, Dictionary<int, string> objects, int? size = null)
    {
        var last = PdfFile.Open(pdf).LastRevision;
        var output = new StringBuilder();
        var offsets = new SortedDictionary<int, long>();
        foreach (var (number, body) in objects)
        {
            offsets[number] = pdf.Length + Encoding.Latin1.GetByteCount(output.ToString());
            output.Append(CultureInfo.InvariantCulture, $"{number} 0 obj\n{body}\nendobj\n");
        }
        var xref = pdf.Length + Encoding.Latin1.GetByteCount(output.ToString());
        output.Append("xref\n");
        foreach (var (number, offset) in offsets)
            output.Append(CultureInfo.InvariantCulture, $"{number} 1\n{offset:0000000000} 00000 n\r\n");
        var root = last.Trailer.Get("Root") as PdfReference;
        output.Append(CultureInfo.InvariantCulture,
            $"trailer\n<< /Size {size ?? last.Trailer.GetInteger("Size")} /Root {root!.Number} 0 R /Prev {last.XrefOffset} >>\nstartxref\n{xref}\n%%EOF\n");
        return [.. pdf, .. Encoding.Latin1.GetBytes(output.ToString())];
    }

    static SignatureResult Only(SignatureReport report) => Assert.Single(report.Signatures);

    [Fact]
    public async Task A_pades_b_b_signature_with_revocation_data_passes_and_says_its_time_is_claimed()
    {
        var report = Verifier().Verify(await SignedAsync());
        var s = Only(report);
        Assert.Equal(("TOTAL_PASSED", (string?)null), (s.Indication, s.SubIndication));
        Assert.Equal("claimed", s.SigningTimeSource);
        Assert.Equal(Now, s.ClaimedTime);
        Assert.Equal("Nguyễn Văn An", s.Signer!.CommonName);
        Assert.Equal("Chữ ký số hợp lệ", report.Title);
    }

    [Fact]
    public async Task A_pades_b_t_signature_takes_its_time_from_the_timestamp()
    {
        var genTime = Now.AddMinutes(1);
        var signed = await SignAsync(TestPdfs.OnePage("B-T"), options: new SignOptions
        {
            TimestampAuthority = new Uri("http://tsa.test/"),
            Http = new HttpClient(new TestTsa(genTime)),
        });
        var s = Only(Verifier(Now.AddHours(1)).Verify(signed));
        Assert.Equal("TOTAL_PASSED", s.Indication);
        Assert.Equal("timestamp", s.SigningTimeSource);
        Assert.Equal(genTime, s.TimestampTime);
        Assert.Equal(genTime, s.BestSignatureTime);
    }

    [Fact]
    public async Task Without_revocation_data_the_result_is_indeterminate_never_passed()
    {
        var offline = new SignatureVerifier(Pki.Trust(), SignaturePolicy.Version1, new Frozen(Now));
        var s = Only(offline.Verify(await SignedAsync()));
        Assert.Equal(("INDETERMINATE", "TRY_LATER"), (s.Indication, s.SubIndication));
        Assert.True(s.Intact);
        Assert.True(s.CryptoValid);
    }

    [Fact]
    public async Task A_byte_changed_in_the_signed_range_is_a_hash_failure()
    {
        var signed = await SignedAsync();
        var at = Encoding.Latin1.GetString(signed).IndexOf("trang 1", StringComparison.Ordinal);
        signed[at] = (byte)'T';
        var s = Only(Verifier().Verify(signed));
        Assert.Equal(("TOTAL_FAILED", "HASH_FAILURE"), (s.Indication, s.SubIndication));
        Assert.False(s.Intact);
    }

    [Fact]
    public async Task A_byte_changed_in_the_signature_value_is_a_crypto_failure()
    {
        var signed = await SignedAsync();
        var entry = PdfSignatureScan.Read(signed).Signatures[0];
        var der = new System.Formats.Asn1.AsnReader(entry.Contents!, System.Formats.Asn1.AsnEncodingRules.BER).ReadEncodedValue().Length;
        // The RSA signature value is the last element of the DER (B-B has no unsigned attributes).
        var hexAt = (int)entry.ByteRange![1] + 1 + 2 * (der - 10);
        signed[hexAt] = signed[hexAt] == (byte)'0' ? (byte)'1' : (byte)'0';
        var s = Only(Verifier().Verify(signed));
        Assert.Equal(("TOTAL_FAILED", "SIG_CRYPTO_FAILURE"), (s.Indication, s.SubIndication));
        Assert.True(s.Intact);
    }

    [Fact]
    public async Task Emptied_contents_is_a_format_failure_not_a_silent_pass()
    {
        var signed = await SignedAsync();
        var range = PdfSignatureScan.Read(signed).Signatures[0].ByteRange!;
        for (var i = range[1] + 1; i < range[2] - 1; i++) signed[i] = (byte)'0';
        var s = Only(Verifier().Verify(signed));
        Assert.Equal(("TOTAL_FAILED", "FORMAT_FAILURE"), (s.Indication, s.SubIndication));
    }

    [Fact]
    public async Task A_byte_range_extended_past_the_revision_is_a_format_failure()
    {
        var signed = await SignedAsync();
        var text = Encoding.Latin1.GetString(signed);
        var range = PdfSignatureScan.Read(signed).Signatures[0].ByteRange!;
        var written = $"0 {range[1]} {range[2]} {range[3]}";
        var longer = $"0 {range[1]} {range[2]} {range[3] + 1}";
        var at = text.IndexOf(written, StringComparison.Ordinal);
        // The signer pads the numbers with spaces, so one more digit still fits in place.
        var patched = text[..at] + longer + text[(at + longer.Length)..];
        var s = Only(Verifier().Verify(Encoding.Latin1.GetBytes(patched)));
        Assert.Equal(("TOTAL_FAILED", "FORMAT_FAILURE"), (s.Indication, s.SubIndication));
    }

    [Fact]
    public async Task An_update_that_changes_page_content_after_signing_fails()
    {
        var signed = await SignedAsync();
        var content = "BT /F1 18 Tf 72 700 Td (Noi dung da bi sua) Tj ET";
        var updated = Update(signed, new() { [5] = $"<< /Length {content.Length} >>\nstream\n{content}\nendstream" });
        var s = Only(Verifier().Verify(updated));
        Assert.Equal(("TOTAL_FAILED", "FORMAT_FAILURE"), (s.Indication, s.SubIndication));
        Assert.Equal("other", s.ModificationsAfter);
        Assert.True(s.Intact);
        Assert.True(s.CryptoValid);
        Assert.True(s.CoversWholeRevision);
        Assert.False(s.CoversWholeFile);
    }

    [Fact]
    public async Task A_page_appended_after_signing_fails()
    {
        var signed = await SignedAsync();
        var size = (int)PdfFile.Open(signed).LastRevision.Trailer.GetInteger("Size")!.Value;
        var updated = Update(signed, new()
        {
            [2] = "<< /Type /Pages /Kids [4 0 R " + size + " 0 R] /Count 2 >>",
            [size] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
        }, size: size + 1);
        var s = Only(Verifier().Verify(updated));
        Assert.Equal(("TOTAL_FAILED", "FORMAT_FAILURE"), (s.Indication, s.SubIndication));
        Assert.Equal("other", s.ModificationsAfter);
    }

    [Fact]
    public async Task A_second_signature_keeps_the_first_valid_as_form_filling()
    {
        var twice = await SignAsync(await SignedAsync());
        var report = Verifier().Verify(twice);
        Assert.Equal(2, report.Signatures.Count);
        Assert.All(report.Signatures, s => Assert.Equal("TOTAL_PASSED", s.Indication));
        Assert.Equal("form-filling", report.Signatures[0].ModificationsAfter);
        Assert.True(report.WholeFileSigned);
    }

    [Fact]
    public async Task An_expired_signer_without_a_timestamp_is_out_of_bounds_with_one_is_passed()
    {
        var expired = Pki.Leaf("CN=Hết Hạn, C=VN", from: Now.AddYears(-2), to: Now.AddYears(-1), rsaBits: 3072);
        var bb = await SignAsync(TestPdfs.OnePage("Het han"), expired, at: Now.AddYears(-1).AddDays(-10));
        var s = Only(Verifier().Verify(bb));
        Assert.Equal(("INDETERMINATE", "OUT_OF_BOUNDS_NO_POE"), (s.Indication, s.SubIndication));

        var signedAt = Now.AddYears(-1).AddDays(-10);
        var bt = await SignAsync(TestPdfs.OnePage("Het han"), expired, at: signedAt, options: new SignOptions
        {
            TimestampAuthority = new Uri("http://tsa.test/"),
            Http = new HttpClient(new TestTsa(signedAt)),
        });
        var crls = new CmsEvidence();
        crls.Crls.AddRange([TestPki.CrlBy(Pki.Intermediate, signedAt.AddDays(1)), TestPki.CrlBy(Pki.Root, signedAt.AddDays(1))]);
        var withProof = new SignatureVerifier(Pki.Trust(), SignaturePolicy.Version1, new Frozen(Now), crls);
        Assert.Equal("TOTAL_PASSED", Only(withProof.Verify(bt)).Indication);
    }

    [Fact]
    public async Task An_unknown_root_is_no_certificate_chain_found()
    {
        var stranger = new SignatureVerifier(TrustStore.Default(), SignaturePolicy.Version1, new Frozen(Now));
        var s = Only(stranger.Verify(await SignedAsync()));
        Assert.Equal(("INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND"), (s.Indication, s.SubIndication));
        Assert.False(s.Trusted);
    }
}
