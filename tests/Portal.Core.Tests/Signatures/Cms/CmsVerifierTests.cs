using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Portal.Core.Signatures;

namespace Portal.Core.Tests.Signatures.Cms;

/// <summary>
/// The CMS cases of SIGNATURES.md §10.2 that are not about PDF structure, each with its exact indication, plus the
/// format, algorithm and identity rules of §3.4, §3.8 and §5. Everything is generated from <see cref="TestPki"/> and
/// validated at <see cref="TestPki.Now"/>.
/// </summary>
public sealed class CmsVerifierTests
{
    static TestPki Pki => TestPki.Shared;
    static readonly DateTimeOffset Now = TestPki.Now;
    static readonly byte[] Content = "%PDF-1.7 bytes covered by the ByteRange — nội dung tài liệu"u8.ToArray();

    static CmsVerifier Verifier(TrustStore? trust = null, SignaturePolicy? policy = null) =>
        new(trust ?? Pki.Trust(), policy ?? SignaturePolicy.Version1);

    /// <summary>Portal's PAdES baseline with a fresh CRL for each CA, unless the options say otherwise.</summary>
    static byte[] Sign(X509Certificate2 signer, CmsOptions? options = null, IEnumerable<X509Certificate2>? chain = null) =>
        TestPki.SignDetached(Content, signer, chain ?? Pki.Chain, options ?? new CmsOptions { Crls = Pki.Crls() });

    static SignerVerdict Verify(byte[] cms, CmsKind kind = CmsKind.PdfCadesDetached, byte[]? content = null, CmsVerifier? verifier = null,
                                DateTimeOffset? at = null) =>
        Assert.Single((verifier ?? Verifier()).Verify(cms, SignedContent.FromBytes(content ?? Content), kind, at ?? Now));

    static void AssertResult(SignerVerdict v, Indication indication, SubIndication sub)
    {
        var detail = string.Join("\n", v.Checks);
        Assert.True(v.Indication == indication && v.SubIndication == sub,
                    $"expected {indication}/{sub}, got {v.Indication}/{v.SubIndication}\n{detail}");
    }

    [Fact]
    public void A_valid_CAdES_signature_with_CRLs_passes_with_every_building_block()
    {
        var v = Verify(Sign(Pki.Signer));

        AssertResult(v, Indication.TotalPassed, SubIndication.None);
        Assert.True(v.FormatValid);
        Assert.True(v.Intact);
        Assert.True(v.CryptoValid);
        Assert.True(v.Trusted);
        Assert.Equal(["Nguyễn Văn An", "Portal Test CA", "Portal Test Root"], v.Chain.Select(c => c.Subject.Split(", ")[0][3..]));
        Assert.True(v.Chain[^1].IsAnchor);
        Assert.Equal("SHA-256", v.DigestAlgorithm);
        Assert.Equal("RSA PKCS#1 v1.5", v.SignatureAlgorithm);
        Assert.Equal("RSA 2048", v.KeyDescription);
        Assert.StartsWith("Chưa bị thu hồi (CRL của Portal Test CA, cập nhật 07:00 01/01/2026)", v.RevocationStatus);
        Assert.Equal(Now, v.BestSignatureTime);
        Assert.Equal(SigningTimeSource.None, v.SigningTimeSource);
        Assert.Equal(Pki.Signer.RawData, v.SignerCertificate);
        Assert.Empty(v.Warnings);
    }

    [Fact]
    public void The_signer_identity_is_read_from_a_Vietnamese_subject()
    {
        var v = Verify(Sign(Pki.Signer));

        Assert.NotNull(v.Signer);
        Assert.Equal("Nguyễn Văn An", v.Signer.CommonName);
        Assert.Equal("Công ty TNHH ABC", v.Signer.Organization);
        Assert.Equal(["MST:0101234567"], v.Signer.Identifiers);
        Assert.Equal(Pki.Signer.SerialNumber.TrimStart('0'), v.Signer.SerialNumber);
    }

    [Fact]
    public void The_claimed_time_comes_from_the_caller_or_the_signing_time_attribute()
    {
        var withAttribute = Sign(Pki.Signer, new CmsOptions { Crls = Pki.Crls(), SigningTime = Now.AddHours(-2) });

        var fromAttribute = Verify(withAttribute);
        var fromPdf = Assert.Single(Verifier().Verify(withAttribute, SignedContent.FromBytes(Content), CmsKind.PdfCadesDetached, Now, claimedTime: Now.AddHours(-1)));

        AssertResult(fromAttribute, Indication.TotalPassed, SubIndication.None);
        Assert.Equal(Now.AddHours(-2), fromAttribute.ClaimedTime);
        Assert.Equal(Now.AddHours(-2), fromAttribute.SigningTime);
        Assert.Equal(SigningTimeSource.Claimed, fromAttribute.SigningTimeSource);
        Assert.Equal(Now, fromAttribute.BestSignatureTime);     // a claim is not a proof
        Assert.Equal(Now.AddHours(-1), fromPdf.ClaimedTime);
    }

    [Fact]
    public void A_flipped_content_byte_is_a_hash_failure()
    {
        var tampered = (byte[])Content.Clone();
        tampered[3] ^= 0x20;

        var v = Verify(Sign(Pki.Signer), content: tampered);

        AssertResult(v, Indication.TotalFailed, SubIndication.HashFailure);
        Assert.False(v.Intact);
        Assert.True(v.CryptoValid);     // the signed attributes themselves are untouched
    }

    [Fact]
    public void A_flipped_signature_byte_is_a_signature_crypto_failure()
    {
        var v = Verify(Sign(Pki.Signer, new CmsOptions { Crls = Pki.Crls(), CorruptSignature = true }));

        AssertResult(v, Indication.TotalFailed, SubIndication.SigCryptoFailure);
        Assert.True(v.Intact);
        Assert.False(v.CryptoValid);
        Assert.True(v.Trusted);         // building blocks after the failure still run
    }

    [Fact]
    public void Two_SignerInfos_are_a_format_failure_for_a_PDF_signature()
    {
        var other = Pki.Leaf("CN=Trần Thị Bình, C=VN");
        var cms = Sign(Pki.Signer, new CmsOptions { Crls = Pki.Crls(), SecondSigner = other });

        var v = Verify(cms);

        AssertResult(v, Indication.TotalFailed, SubIndication.FormatFailure);
        Assert.False(v.FormatValid);
        Assert.True(v.CryptoValid);
    }

    [Fact]
    public void Two_SignerInfos_in_a_detached_p7s_give_two_verdicts()
    {
        var other = Pki.Leaf("CN=Trần Thị Bình, C=VN");
        var cms = Sign(Pki.Signer, new CmsOptions { Crls = Pki.Crls(), SecondSigner = other });

        var verdicts = Verifier().Verify(cms, SignedContent.FromBytes(Content), CmsKind.Detached, Now);

        Assert.Equal(2, verdicts.Count);
        Assert.All(verdicts, v => AssertResult(v, Indication.TotalPassed, SubIndication.None));
        Assert.Equal(["Nguyễn Văn An", "Trần Thị Bình"], verdicts.Select(v => v.Signer!.CommonName).Order());
    }

    [Fact]
    public void A_countersignature_is_reported_as_its_own_verdict()
    {
        var counter = Pki.Leaf("CN=Lê Văn Cường, C=VN");
        var cms = Sign(Pki.Signer, new CmsOptions { Crls = Pki.Crls(), CounterSigner = counter });

        var verdicts = Verifier().Verify(cms, SignedContent.FromBytes(Content), CmsKind.Detached, Now);

        Assert.Equal(2, verdicts.Count);
        Assert.False(verdicts[0].IsCounterSignature);
        Assert.True(verdicts[1].IsCounterSignature);
        Assert.Equal("Lê Văn Cường", verdicts[1].Signer!.CommonName);
        Assert.All(verdicts, v => AssertResult(v, Indication.TotalPassed, SubIndication.None));
    }

    [Fact]
    public void A_detached_p7s_verifies_against_its_content_file()
    {
        var p7s = Sign(Pki.Signer);

        var good = Verify(p7s, CmsKind.Detached);
        var otherFile = Verify(p7s, CmsKind.Detached, content: "another file"u8.ToArray());
        var noContent = Assert.Single(Verifier().Verify(p7s, null, CmsKind.Detached, Now));

        AssertResult(good, Indication.TotalPassed, SubIndication.None);
        AssertResult(otherFile, Indication.TotalFailed, SubIndication.HashFailure);
        AssertResult(noContent, Indication.Indeterminate, SubIndication.SignedDataNotFound);
    }

    [Fact]
    public void An_enveloping_p7m_carries_its_content()
    {
        var p7m = TestPki.SignEnveloping(Content, Pki.Signer, Pki.Chain, new CmsOptions { Crls = Pki.Crls() });

        Assert.True(CmsVerifier.TryExtractContent(p7m, out var extracted));
        Assert.Equal(Content, extracted);
        Assert.False(CmsVerifier.TryExtractContent(Sign(Pki.Signer), out _));
        var v = Assert.Single(Verifier().Verify(p7m, null, CmsKind.Enveloping, Now));
        AssertResult(v, Indication.TotalPassed, SubIndication.None);
    }

    [Fact]
    public void A_detached_PDF_signature_with_eContent_is_a_format_failure()
    {
        var cms = TestPki.SignEnveloping(Content, Pki.Signer, Pki.Chain, new CmsOptions { Crls = Pki.Crls() });

        var v = Verify(cms, CmsKind.PdfPkcs7Detached);

        AssertResult(v, Indication.TotalFailed, SubIndication.FormatFailure);
        Assert.True(v.Intact);          // the eContent is the same bytes here; the rule is structural
    }

    [Fact]
    public void An_empty_eContent_is_treated_as_absent_with_a_warning()
    {
        var v = Verify(Sign(Pki.Signer, new CmsOptions { Crls = Pki.Crls(), EContent = [] }));

        AssertResult(v, Indication.TotalPassed, SubIndication.None);
        Assert.Contains(v.Warnings, w => w.Contains("eContent"));
    }

    [Fact]
    public void The_signer_can_be_identified_by_subject_key_identifier()
    {
        var v = Verify(Sign(Pki.Signer, new CmsOptions { Crls = Pki.Crls(), SubjectKeyIdentifier = true }));

        AssertResult(v, Indication.TotalPassed, SubIndication.None);
        Assert.Contains(v.Checks, c => c.Contains("subject key identifier"));
    }

    [Fact]
    public void A_CMS_without_the_signer_certificate_has_no_signing_certificate()
    {
        var v = Verify(Sign(Pki.Signer, new CmsOptions { Crls = Pki.Crls(), EmbedSigner = false }));

        AssertResult(v, Indication.Indeterminate, SubIndication.NoSigningCertificateFound);
        Assert.True(v.Intact);
        Assert.Null(v.CryptoValid);
        Assert.False(v.Trusted);
    }

    [Fact]
    public void An_ECDSA_P256_signature_passes()
    {
        var v = Verify(Sign(Pki.EcLeaf("CN=Phạm Thị Dung, C=VN")));

        AssertResult(v, Indication.TotalPassed, SubIndication.None);
        Assert.Equal("ECDSA P-256", v.KeyDescription);
        Assert.Equal("ECDSA", v.SignatureAlgorithm);
    }

    [Fact]
    public void An_RSA_PSS_signature_passes()
    {
        var v = Verify(Sign(Pki.Signer, new CmsOptions { Crls = Pki.Crls(), Pss = true, Digest = HashAlgorithmName.SHA384 }));

        AssertResult(v, Indication.TotalPassed, SubIndication.None);
        Assert.Equal("RSA-PSS", v.SignatureAlgorithm);
        Assert.Equal("SHA-384", v.DigestAlgorithm);
    }

    [Fact]
    public void A_PKCS7_signature_without_signed_attributes_verifies_over_the_content_digest_with_a_warning()
    {
        var cms = Sign(Pki.Signer, new CmsOptions { Crls = Pki.Crls(), SignedAttributes = false });

        var v = Verify(cms, CmsKind.PdfPkcs7Detached);
        var tampered = Verify(cms, CmsKind.PdfPkcs7Detached, content: [.. Content, 0x20]);

        AssertResult(v, Indication.TotalPassed, SubIndication.None);
        Assert.True(v.Intact);
        Assert.True(v.CryptoValid);
        Assert.Contains(v.Warnings, w => w.Contains("không có thuộc tính được ký"));
        AssertResult(tampered, Indication.TotalFailed, SubIndication.SigCryptoFailure);
    }

    [Fact]
    public void A_CAdES_signature_without_signed_attributes_fails_its_constraints()
    {
        var v = Verify(Sign(Pki.Signer, new CmsOptions { Crls = Pki.Crls(), SignedAttributes = false }), CmsKind.PdfCadesDetached);

        AssertResult(v, Indication.Indeterminate, SubIndication.SigConstraintsFailure);
        Assert.True(v.CryptoValid);
    }

    [Fact]
    public void CAdES_requires_the_signing_certificate_attribute_and_PKCS7_only_warns()
    {
        var cms = Sign(Pki.Signer, new CmsOptions { Crls = Pki.Crls(), SigningCertificateV2 = false });

        var cades = Verify(cms, CmsKind.PdfCadesDetached);
        var pkcs7 = Verify(cms, CmsKind.PdfPkcs7Detached);

        AssertResult(cades, Indication.Indeterminate, SubIndication.SigConstraintsFailure);
        AssertResult(pkcs7, Indication.TotalPassed, SubIndication.None);
        Assert.Contains(pkcs7.Warnings, w => w.Contains("signing-certificate"));
    }

    [Fact]
    public void A_signing_certificate_attribute_naming_another_certificate_is_no_signing_certificate()
    {
        // The CMS embeds a re-issue of the signer's certificate (same key, issuer and serial, other bytes): the
        // SignerInfo's identifier and the signature match it, the signing-certificate-v2 hash does not.
        var reissued = ReissueSameKey(Pki.Signer);

        var v = Verify(Sign(Pki.Signer, new CmsOptions { Crls = Pki.Crls(), EmbeddedSigner = reissued }));

        AssertResult(v, Indication.Indeterminate, SubIndication.NoSigningCertificateFound);
        Assert.True(v.CryptoValid);
        Assert.Equal(reissued.RawData, v.SignerCertificate);
    }

    [Fact]
    public void A_signing_time_outside_the_certificate_validity_fails_the_constraints()
    {
        var v = Verify(Sign(Pki.Signer, new CmsOptions { Crls = Pki.Crls(), SigningTime = Now.AddYears(-3) }));

        AssertResult(v, Indication.Indeterminate, SubIndication.SigConstraintsFailure);
    }

    [Fact]
    public void Signed_attributes_out_of_DER_order_warn_and_fail_only_under_the_strict_policy()
    {
        var cms = Sign(Pki.Signer, new CmsOptions { Crls = Pki.Crls(), SigningCertificateV2 = true, SigningTime = Now.AddHours(-1), SortSignedAttributes = false });

        var lenient = Verify(cms);
        var strict = Verify(cms, verifier: Verifier(policy: SignaturePolicy.Version1 with { StrictDerSignedAttributes = true }));

        AssertResult(lenient, Indication.TotalPassed, SubIndication.None);
        Assert.Contains(lenient.Warnings, w => w.Contains("DER"));
        AssertResult(strict, Indication.TotalFailed, SubIndication.FormatFailure);
        Assert.True(strict.CryptoValid);
    }

    [Fact]
    public void A_leaf_with_keyEncipherment_only_fails_the_chain_constraints()
    {
        var v = Verify(Sign(Pki.Leaf("CN=Chỉ mã hóa, C=VN", usage: X509KeyUsageFlags.KeyEncipherment)));

        AssertResult(v, Indication.Indeterminate, SubIndication.ChainConstraintsFailure);
        Assert.True(v.Trusted);
    }

    [Fact]
    public void A_leaf_issued_by_a_non_CA_leaf_fails_the_chain()
    {
        var fake = Pki.Leaf("CN=Giả mạo, C=VN", issuer: Pki.Signer);

        var v = Verify(Sign(fake, chain: [Pki.Signer, Pki.Intermediate]));

        AssertResult(v, Indication.Indeterminate, SubIndication.CertificateChainGeneralFailure);
        Assert.True(v.CryptoValid);
        Assert.Equal(4, v.Chain.Count);
    }

    [Fact]
    public void An_RSA_1024_leaf_fails_the_crypto_constraints()
    {
        var v = Verify(Sign(Pki.Leaf("CN=Khóa yếu, C=VN", rsaBits: 1024)));

        AssertResult(v, Indication.Indeterminate, SubIndication.CryptoConstraintsFailure);
        Assert.Equal("RSA 1024", v.KeyDescription);
        Assert.True(v.CryptoValid);
    }

    [Fact]
    public void A_SHA1_digest_without_an_old_time_stamp_fails_with_no_proof_of_existence()
    {
        var v = Verify(Sign(Pki.Signer, new CmsOptions { Crls = Pki.Crls(), Digest = HashAlgorithmName.SHA1 }));

        AssertResult(v, Indication.Indeterminate, SubIndication.CryptoConstraintsFailureNoPoe);
        Assert.True(v.Intact);
        Assert.True(v.CryptoValid);
        Assert.Equal("SHA-1", v.DigestAlgorithm);
    }

    [Fact]
    public void The_legacy_adbe_pkcs7_sha1_signature_checks_its_eContent_and_falls_under_the_SHA1_rule()
    {
        var cms = Sign(Pki.Signer, new CmsOptions { Crls = Pki.Crls(), EContent = SHA1.HashData(Content) });

        var v = Verify(cms, CmsKind.PdfPkcs7Sha1);
        var tampered = Verify(cms, CmsKind.PdfPkcs7Sha1, content: [.. Content, 0x0A]);

        AssertResult(v, Indication.Indeterminate, SubIndication.CryptoConstraintsFailureNoPoe);
        Assert.True(v.Intact);
        Assert.True(v.CryptoValid);
        AssertResult(tampered, Indication.TotalFailed, SubIndication.HashFailure);
    }

    [Fact]
    public void An_unknown_root_gives_no_certificate_chain()
    {
        // An anchor with the right name but another key: anchors match by subject and public key (§3.5 rule 18).
        var lookAlike = TestPki.SelfSigned(Pki.Root.Subject);

        var v = Verify(Sign(Pki.Signer), verifier: Verifier(new TrustStore([lookAlike], [])));

        AssertResult(v, Indication.Indeterminate, SubIndication.NoCertificateChainFound);
        Assert.False(v.Trusted);
        Assert.True(v.Intact);
        Assert.True(v.CryptoValid);
        Assert.Equal(2, v.Chain.Count);        // as far as the path goes: the CMS has the signer and the intermediate
    }

    [Fact]
    public void A_leaf_only_CMS_needs_the_intermediate_from_the_trust_store_pool()
    {
        var leafOnly = TestPki.SignDetached(Content, Pki.Signer, [], new CmsOptions { Crls = Pki.Crls() });

        var withPool = Verify(leafOnly, verifier: Verifier(Pki.TrustWithIntermediate()));
        var withoutPool = Verify(leafOnly);

        AssertResult(withPool, Indication.TotalPassed, SubIndication.None);
        AssertResult(withoutPool, Indication.Indeterminate, SubIndication.NoCertificateChainFound);
    }

    [Fact]
    public void A_trust_anchor_is_matched_by_subject_and_key_not_by_certificate_bytes()
    {
        // The root re-issued with the same key and subject (a CA may re-issue its root) is still the anchor.
        var reissuedRoot = ReissueSameKey(Pki.Root, selfSigned: true);

        var v = Verify(Sign(Pki.Signer), verifier: Verifier(new TrustStore([reissuedRoot], [])));

        AssertResult(v, Indication.TotalPassed, SubIndication.None);
        Assert.Equal(TrustStore.Fingerprint(reissuedRoot), v.Chain[^1].Sha256);
    }

    [Theory]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("3000")]
    [InlineData("308400000010")]
    [InlineData("3080")]
    [InlineData("300506032a0304")]
    [InlineData("2d2d2d2d2d424547494e20504b4353372d2d2d2d2d0a21210a2d2d2d2d2d454e4420504b4353372d2d2d2d2d")]
    public void Garbage_is_a_format_failure_not_an_exception(string hex)
    {
        var v = Assert.Single(Verifier().Verify(Convert.FromHexString(hex), SignedContent.FromBytes(Content), CmsKind.PdfCadesDetached, Now));

        AssertResult(v, Indication.TotalFailed, SubIndication.FormatFailure);
        Assert.False(v.FormatValid);
    }

    [Fact]
    public void Truncated_mutated_and_random_CMS_never_throw()
    {
        var cms = Sign(Pki.Signer);
        var random = new Random(20260101);
        var verifier = Verifier();
        var passed = 0;
        for (var i = 0; i < 300; i++)
        {
            var bytes = (byte[])cms.Clone();
            switch (i % 3)
            {
                case 0: bytes = bytes[..random.Next(bytes.Length)]; break;
                case 1: bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8)); break;
                default: random.NextBytes(bytes); break;
            }
            foreach (var kind in new[] { CmsKind.PdfCadesDetached, CmsKind.Detached })
            {
                var verdicts = verifier.Verify(bytes, SignedContent.FromBytes(Content), kind, Now);
                Assert.NotEmpty(verdicts);
                if (verdicts.All(v => v.Indication == Indication.TotalPassed)) passed++;
            }
        }
        // A flip inside an unchecked field (e.g. a certificate's unused extension text) may still pass; most cannot.
        Assert.True(passed < 60, $"{passed} mutated CMS passed");
    }

    [Fact]
    public void Zero_padding_after_the_CMS_is_accepted_and_other_trailing_bytes_are_not()
    {
        var cms = Sign(Pki.Signer);

        var padded = Verify([.. cms, .. new byte[4000]]);
        var trailing = Verify([.. cms, 0x00, 0x01]);

        AssertResult(padded, Indication.TotalPassed, SubIndication.None);
        AssertResult(trailing, Indication.TotalFailed, SubIndication.FormatFailure);
    }

    [Fact]
    public void A_BER_indefinite_length_CMS_is_accepted_with_a_warning()
    {
        // Java BouncyCastle based signers (PDFBox among them) write the outer SignedData with indefinite lengths.
        var v = Verify([.. ToIndefiniteLength(Sign(Pki.Signer)), .. new byte[100]]);

        AssertResult(v, Indication.TotalPassed, SubIndication.None);
        Assert.Contains(v.Warnings, w => w.Contains("DER"));
    }

    [Fact]
    public void PEM_input_is_accepted_and_sniffed()
    {
        var cms = Sign(Pki.Signer);
        var pem = System.Text.Encoding.ASCII.GetBytes(PemEncoding.WriteString("PKCS7", cms));

        var v = Verify(pem);

        AssertResult(v, Indication.TotalPassed, SubIndication.None);
        Assert.True(CmsVerifier.LooksLikeCms(pem));
        Assert.True(CmsVerifier.LooksLikeCms(cms));
        Assert.False(CmsVerifier.LooksLikeCms("%PDF-1.7"u8));
        Assert.False(CmsVerifier.LooksLikeCms(Pki.Signer.RawData));
    }

    [Fact]
    public void Cancellation_throws_and_nothing_else_does()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() =>
            Verifier().Verify(Sign(Pki.Signer), SignedContent.FromBytes(Content), CmsKind.PdfCadesDetached, Now, ct: cancelled.Token));
    }

    /// <summary>Re-encodes ContentInfo, its [0] and the SignedData SEQUENCE with indefinite lengths (BER).</summary>
    static byte[] ToIndefiniteLength(byte[] der)
    {
        static (int ContentStart, int Length) Content(byte[] bytes, int offset)
        {
            System.Formats.Asn1.AsnDecoder.ReadEncodedValue(bytes.AsSpan(offset), System.Formats.Asn1.AsnEncodingRules.DER, out var start, out var length, out _);
            return (offset + start, length);
        }
        var (ciStart, _) = Content(der, 0);
        var (oidStart, oidLength) = Content(der, ciStart);
        var oidEnd = oidStart + oidLength;
        var (explicitStart, _) = Content(der, oidEnd);
        var (sdStart, sdLength) = Content(der, explicitStart);
        return [0x30, 0x80, .. der[ciStart..oidEnd], 0xA0, 0x80, 0x30, 0x80, .. der[sdStart..(sdStart + sdLength)], 0, 0, 0, 0, 0, 0];
    }

    /// <summary>A certificate with the same subject, key, issuer and serial number but another validity.</summary>
    static X509Certificate2 ReissueSameKey(X509Certificate2 original, bool selfSigned = false)
    {
        using var rsa = original.GetRSAPrivateKey()!;
        var req = new CertificateRequest(original.SubjectName, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        foreach (var e in original.Extensions) req.CertificateExtensions.Add(e);
        if (selfSigned) return req.CreateSelfSigned(Now.AddYears(-9), Now.AddYears(19));
        using var issuerKey = Pki.Intermediate.GetRSAPrivateKey()!;
        return req.Create(Pki.Intermediate.SubjectName, X509SignatureGenerator.CreateForRSA(issuerKey, RSASignaturePadding.Pkcs1),
                          Now.AddDays(-20), Now.AddYears(1), original.SerialNumberBytes.ToArray());
    }
}
