using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portal.Core.Signatures;

namespace Portal.Core.Tests.Signatures.Cms;

/// <summary>
/// Time and revocation (SIGNATURES.md §3.6, §3.7, §1.1): validity and revocation are judged at the best signature
/// time, which only a verified time-stamp moves away from the validation time.
/// </summary>
public sealed class CmsTimeAndRevocationTests
{
    static TestPki Pki => TestPki.Shared;
    static readonly DateTimeOffset Now = TestPki.Now;
    static readonly byte[] Content = "Kết quả giải quyết thủ tục hành chính"u8.ToArray();

    static CmsVerifier Verifier(SignaturePolicy? policy = null, TrustStore? trust = null) =>
        new(trust ?? Pki.Trust(), policy ?? SignaturePolicy.Version1);

    static CmsOptions Stamped(DateTimeOffset at, IReadOnlyList<byte[]>? crls = null) =>
        new() { Crls = crls ?? Pki.Crls(), Timestamp = signature => Pki.Timestamp(signature, at) };

    static SignerVerdict Verify(byte[] cms, CmsVerifier? verifier = null, CmsEvidence? evidence = null, CmsKind kind = CmsKind.PdfCadesDetached) =>
        Assert.Single((verifier ?? Verifier()).Verify(cms, SignedContent.FromBytes(Content), kind, Now, evidence: evidence));

    static void AssertResult(SignerVerdict v, Indication indication, SubIndication sub) =>
        Assert.True(v.Indication == indication && v.SubIndication == sub,
                    $"expected {indication}/{sub}, got {v.Indication}/{v.SubIndication}\n{string.Join("\n", v.Checks)}");

    static X509Certificate2 Expired() => Pki.Leaf("CN=Hết Hạn, C=VN", from: Now.AddYears(-2), to: Now.AddYears(-1));

    [Fact]
    public void An_expired_leaf_without_a_time_stamp_is_out_of_bounds_with_no_proof_of_existence()
    {
        var v = Verify(TestPki.SignDetached(Content, Expired(), Pki.Chain, new CmsOptions { Crls = Pki.Crls() }));

        AssertResult(v, Indication.Indeterminate, SubIndication.OutOfBoundsNoPoe);
        Assert.True(v.Intact);
        Assert.True(v.CryptoValid);
        Assert.True(v.Trusted);
    }

    [Fact]
    public void An_expired_leaf_with_a_time_stamp_from_its_validity_passes()
    {
        var at = Now.AddYears(-1).AddDays(-30);

        var v = Verify(TestPki.SignDetached(Content, Expired(), Pki.Chain, Stamped(at)));

        AssertResult(v, Indication.TotalPassed, SubIndication.None);
        Assert.Equal(at, v.BestSignatureTime);
        Assert.Equal(at, v.TimestampTime);
        Assert.Equal(at, v.SigningTime);
        Assert.Equal(SigningTimeSource.Timestamp, v.SigningTimeSource);
        Assert.Equal("Portal Test TSA", v.TimestampAuthority);
    }

    [Fact]
    public void A_time_stamp_after_expiry_proves_the_signature_was_made_too_late()
    {
        var v = Verify(TestPki.SignDetached(Content, Expired(), Pki.Chain, Stamped(Now.AddDays(-30))));

        AssertResult(v, Indication.TotalFailed, SubIndication.Expired);
    }

    [Fact]
    public void A_leaf_not_yet_valid_at_the_best_signature_time_is_not_yet_valid()
    {
        var future = Pki.Leaf("CN=Chưa hiệu lực, C=VN", from: Now.AddDays(10), to: Now.AddYears(1));

        var v = Verify(TestPki.SignDetached(Content, future, Pki.Chain, new CmsOptions { Crls = Pki.Crls() }));

        AssertResult(v, Indication.TotalFailed, SubIndication.NotYetValid);
    }

    [Fact]
    public void A_time_stamp_over_other_data_is_ignored_with_a_warning()
    {
        // A token lifted from another signature: its imprint does not cover this signature value.
        var options = new CmsOptions { Crls = Pki.Crls(), Timestamp = _ => Pki.Timestamp("chữ ký khác"u8.ToArray(), Now.AddYears(-1).AddDays(-30)) };

        var v = Verify(TestPki.SignDetached(Content, Expired(), Pki.Chain, options));

        AssertResult(v, Indication.Indeterminate, SubIndication.OutOfBoundsNoPoe);
        Assert.Null(v.TimestampTime);
        Assert.Equal(Now, v.BestSignatureTime);
        Assert.Contains(v.Warnings, w => w.Contains("Dấu thời gian"));
        Assert.Contains(v.Checks, c => c.Contains("imprint does not match"));
    }

    [Fact]
    public void A_certificate_revoked_before_the_time_stamped_signing_is_revoked()
    {
        var leaf = Pki.Leaf("CN=Bị Thu Hồi, C=VN");
        var crls = new[] { Pki.Crl((leaf, Now.AddDays(-5))), Pki.RootCrl() };

        var v = Verify(TestPki.SignDetached(Content, leaf, Pki.Chain, Stamped(Now.AddDays(-3), crls)));

        AssertResult(v, Indication.TotalFailed, SubIndication.Revoked);
        Assert.StartsWith("Đã bị thu hồi lúc 07:00 27/12/2025", v.RevocationStatus);
    }

    [Fact]
    public void A_revoked_certificate_without_a_time_stamp_is_revoked_with_no_proof_of_existence()
    {
        var leaf = Pki.Leaf("CN=Bị Thu Hồi, C=VN");

        var v = Verify(TestPki.SignDetached(Content, leaf, Pki.Chain, new CmsOptions { Crls = [Pki.Crl((leaf, Now.AddDays(-5))), Pki.RootCrl()] }));

        AssertResult(v, Indication.Indeterminate, SubIndication.RevokedNoPoe);
    }

    [Fact]
    public void A_certificate_revoked_after_the_time_stamped_signing_passes()
    {
        var leaf = Pki.Leaf("CN=Thu Hồi Sau, C=VN");
        var crls = new[] { Pki.Crl((leaf, Now.AddDays(-5))), Pki.RootCrl() };

        var v = Verify(TestPki.SignDetached(Content, leaf, Pki.Chain, Stamped(Now.AddDays(-10), crls)));

        AssertResult(v, Indication.TotalPassed, SubIndication.None);
        Assert.Contains("sau thời điểm ký", v.RevocationStatus);
    }

    [Fact]
    public void A_revoked_intermediate_is_revoked_CA_with_no_proof_of_existence()
    {
        var crls = new[] { Pki.Crl(), Pki.RootCrl((Pki.Intermediate, Now.AddDays(-2))) };

        var v = Verify(TestPki.SignDetached(Content, Pki.Signer, Pki.Chain, new CmsOptions { Crls = crls }));

        AssertResult(v, Indication.Indeterminate, SubIndication.RevokedCaNoPoe);
    }

    [Fact]
    public void Without_revocation_data_the_result_is_try_later()
    {
        var v = Verify(TestPki.SignDetached(Content, Pki.Signer, Pki.Chain));

        AssertResult(v, Indication.Indeterminate, SubIndication.TryLater);
        Assert.Equal("Chưa kiểm tra được", v.RevocationStatus);
        Assert.True(v.Trusted);
    }

    [Fact]
    public void Without_revocation_data_a_policy_that_does_not_require_it_passes_with_a_warning()
    {
        var v = Verify(TestPki.SignDetached(Content, Pki.Signer, Pki.Chain), Verifier(SignaturePolicy.Version1 with { RequireRevocation = false }));

        AssertResult(v, Indication.TotalPassed, SubIndication.None);
        Assert.Contains(v.Warnings, w => w.Contains("thu hồi"));
    }

    [Fact]
    public void A_stale_CRL_is_not_enough()
    {
        var stale = new[] { TestPki.CrlBy(Pki.Intermediate, Now.AddDays(-30)), TestPki.CrlBy(Pki.Root, Now.AddDays(-30)) };

        var v = Verify(TestPki.SignDetached(Content, Pki.Signer, Pki.Chain, new CmsOptions { Crls = stale }));

        AssertResult(v, Indication.Indeterminate, SubIndication.TryLater);
        Assert.Contains(v.Checks, c => c.Contains("not fresh"));
    }

    [Fact]
    public void A_CRL_signed_by_another_CA_is_ignored()
    {
        // A CA with the intermediate's name but another key issues a CRL in its name.
        var lookAlike = TestPki.SelfSigned(Pki.Intermediate.Subject);
        var forged = TestPki.CrlBy(lookAlike, Now);

        var v = Verify(TestPki.SignDetached(Content, Pki.Signer, Pki.Chain, new CmsOptions { Crls = [forged, Pki.RootCrl()] }));

        AssertResult(v, Indication.Indeterminate, SubIndication.TryLater);
        Assert.Contains(v.Checks, c => c.Contains("does not verify"));
    }

    [Fact]
    public void An_OCSP_response_from_the_delegated_responder_is_revocation_data()
    {
        var cms = TestPki.SignDetached(Content, Pki.Signer, Pki.Chain, new CmsOptions { Crls = [Pki.RootCrl()], OcspResponses = [Pki.Ocsp(Pki.Signer)] });

        var v = Verify(cms);

        AssertResult(v, Indication.TotalPassed, SubIndication.None);
        Assert.StartsWith("Chưa bị thu hồi (OCSP của Portal Test OCSP", v.RevocationStatus);
    }

    [Fact]
    public void An_OCSP_response_saying_revoked_is_revoked_with_no_proof_of_existence()
    {
        var leaf = Pki.Leaf("CN=OCSP Thu Hồi, C=VN");
        var cms = TestPki.SignDetached(Content, leaf, Pki.Chain,
                                       new CmsOptions { Crls = [Pki.RootCrl()], OcspResponses = [Pki.Ocsp(leaf, revokedAt: Now.AddDays(-1))] });

        var v = Verify(cms);

        AssertResult(v, Indication.Indeterminate, SubIndication.RevokedNoPoe);
    }

    [Fact]
    public void An_OCSP_response_for_another_certificate_does_not_count()
    {
        var other = Pki.Leaf("CN=Người khác, C=VN");
        var cms = TestPki.SignDetached(Content, Pki.Signer, Pki.Chain, new CmsOptions { Crls = [Pki.RootCrl()], OcspResponses = [Pki.Ocsp(other)] });

        var v = Verify(cms);

        AssertResult(v, Indication.Indeterminate, SubIndication.TryLater);
    }

    [Fact]
    public void Revocation_data_in_the_adbe_revocationInfoArchival_attribute_counts()
    {
        var options = new CmsOptions { Crls = [Pki.RootCrl()], OcspResponses = [Pki.Ocsp(Pki.Signer)], RevocationInSignedAttribute = true };

        var v = Verify(TestPki.SignDetached(Content, Pki.Signer, Pki.Chain, options));

        AssertResult(v, Indication.TotalPassed, SubIndication.None);
    }

    [Fact]
    public void Revocation_data_and_certificates_from_the_evidence_count()
    {
        // A leaf-only CMS whose intermediate and CRLs sit in the PDF's /DSS.
        var evidence = new CmsEvidence();
        evidence.Certificates.Add(Pki.Intermediate.RawData);
        evidence.Crls.AddRange(Pki.Crls());

        var v = Verify(TestPki.SignDetached(Content, Pki.Signer, []), evidence: evidence);

        AssertResult(v, Indication.TotalPassed, SubIndication.None);
    }

    [Fact]
    public void SHA1_is_accepted_when_a_time_stamp_proves_the_signature_predates_the_sunset()
    {
        var at = new DateTimeOffset(2018, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var old = Pki.Leaf("CN=Chữ ký cũ, C=VN", from: new(2017, 1, 1, 0, 0, 0, TimeSpan.Zero), to: new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), issuer: Pki.Root);
        var options = new CmsOptions { Digest = HashAlgorithmName.SHA1, Crls = [Pki.RootCrl()], Timestamp = s => Pki.Timestamp(s, at) };

        var withProof = Verify(TestPki.SignDetached(Content, old, [], options));
        var withoutProof = Verify(TestPki.SignDetached(Content, old, [], options with { Timestamp = null }));

        AssertResult(withProof, Indication.TotalPassed, SubIndication.None);
        Assert.Contains(withProof.Warnings, w => w.Contains("SHA-1"));
        AssertResult(withoutProof, Indication.Indeterminate, SubIndication.CryptoConstraintsFailureNoPoe);
    }

    [Fact]
    public void A_document_time_stamp_covers_the_byte_ranges()
    {
        var token = Pki.Timestamp(Content, Now.AddDays(-1));
        var evidence = new CmsEvidence();
        evidence.Crls.Add(Pki.RootCrl());       // the TSA is issued by the root

        var v = Verify(token, evidence: evidence, kind: CmsKind.PdfDocTimestamp);
        var tampered = Assert.Single(Verifier().Verify(token, SignedContent.FromBytes(Content.Append((byte)0x20).ToArray()), CmsKind.PdfDocTimestamp, Now, evidence: evidence));

        AssertResult(v, Indication.TotalPassed, SubIndication.None);
        Assert.True(v.Intact);
        Assert.True(v.CryptoValid);
        Assert.Equal(Now.AddDays(-1), v.TimestampTime);
        Assert.Equal(SigningTimeSource.Timestamp, v.SigningTimeSource);
        Assert.Equal("Portal Test TSA", v.TimestampAuthority);
        AssertResult(tampered, Indication.TotalFailed, SubIndication.HashFailure);
        Assert.False(tampered.Intact);
    }

    [Fact]
    public void A_signature_CMS_is_not_a_document_time_stamp()
    {
        var v = Verify(TestPki.SignDetached(Content, Pki.Signer, Pki.Chain, new CmsOptions { Crls = Pki.Crls() }), kind: CmsKind.PdfDocTimestamp);

        AssertResult(v, Indication.TotalFailed, SubIndication.FormatFailure);
    }
}
