using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.X509;

namespace Portal.Core.Signatures;

/// <summary>
/// The building blocks for one SignerInfo, in the order that decides the indication: format, signed data, hash,
/// signer certificate, signature value, signed attributes, proof of existence, chain, validity, revocation,
/// algorithms (SIGNATURES.md §3.4–3.8).
/// </summary>
public sealed partial class CmsVerifier
{
    /// <summary>The running result of one SignerInfo: the first failure decides the indication.</summary>
    sealed class Outcome
    {
        public Indication Indication { get; private set; } = Indication.TotalPassed;
        public SubIndication SubIndication { get; private set; } = SubIndication.None;
        public List<string> Warnings { get; } = [];
        public List<string> Checks { get; } = [];

        public void Fail(Indication indication, SubIndication sub, string check)
        {
            if (Indication == Indication.TotalPassed)
            {
                Indication = indication;
                SubIndication = sub;
            }
            Checks.Add($"{Indications.Code(sub)}: {check}");
        }

        public void Pass(string check) => Checks.Add(check);

        public void Warn(string vietnamese, string check)
        {
            if (!Warnings.Contains(vietnamese)) Warnings.Add(vietnamese);
            Checks.Add(check);
        }
    }

    static SignerVerdict FormatFailure(DateTimeOffset validationTime, string reason) => new()
    {
        Indication = Indication.TotalFailed,
        SubIndication = SubIndication.FormatFailure,
        FormatValid = false,
        BestSignatureTime = validationTime,
        Checks = [$"FORMAT_FAILURE: {reason}"],
    };

    SignerVerdict CheckSigner(Call call, ParsedCms cms, ParsedSigner s, Mode mode, CmsKind kind, SignedContent? covered, SignedContent? document,
                              DateTimeOffset? claimedTime, bool isCounterSignature, Shared shared)
    {
        var o = new Outcome();
        var timestampMode = mode != Mode.Signature;
        var cades = kind == CmsKind.PdfCadesDetached || timestampMode;
        var formatValid = true;
        if (shared.PreFailure is { } pre)
        {
            o.Fail(Indication.TotalFailed, SubIndication.FormatFailure, pre);
            formatValid = false;
        }

        // --- Format of this SignerInfo (§3.4 rules 9, 12) ---
        foreach (var oid in SingleValued)
        {
            var found = s.Signed.Where(a => a.Oid == oid).ToList();
            if (found.Count > 1 || found.Any(a => a.Values.Count != 1))
            {
                o.Fail(Indication.TotalFailed, SubIndication.FormatFailure, $"signed attribute {oid} must occur once with one value");
                formatValid = false;
            }
        }
        if (s.SignedAttributes is not null && !s.SignedAttributesInDerOrder)
        {
            if (policy.StrictDerSignedAttributes)
            {
                o.Fail(Indication.TotalFailed, SubIndication.FormatFailure, "signed attributes are not in DER order (strict policy)");
                formatValid = false;
            }
            else o.Warn("Các thuộc tính được ký không theo thứ tự DER; chữ ký được kiểm tra đúng theo dữ liệu nhận được.",
                        "format: signed attributes not in DER order, verified as received");
        }

        TstInfoData? tst = null;
        if (timestampMode && covered is not null)
        {
            tst = ParseTstInfo(covered.Segments[0].ToArray());
            if (tst is null)
            {
                o.Fail(Indication.TotalFailed, SubIndication.FormatFailure, "TSTInfo cannot be parsed");
                formatValid = false;
            }
        }

        var digest = Algorithms.Digest(s.Info.DigestAlgorithm);
        var sigAlg = Algorithms.Signature(s.Info.DigestEncryptionAlgorithm, digest);
        var signatureValue = s.Info.EncryptedDigest.GetOctets();
        o.Pass($"algorithms: digest {(digest is { } d0 ? Algorithms.Display(d0) : s.Info.DigestAlgorithm.Algorithm.Id)}, signature {sigAlg.Name}");

        // --- Intact: the signed digest against the content (§3.4 rule 12) ---
        bool? intact = null;
        var messageDigest = Single(s, MessageDigestAttribute);
        if (covered is null || (timestampMode && tst is null))
            o.Fail(Indication.Indeterminate, SubIndication.SignedDataNotFound, "the signed content was not provided");
        else if (s.SignedAttributes is not null && messageDigest is not null)
        {
            if (digest is not { } h || !Algorithms.CanCompute(h))
                o.Pass("message digest: digest algorithm not supported, not checked");
            else
            {
                byte[]? signed = null;
                try { signed = Asn1OctetString.GetInstance(Asn1Object.FromByteArray(messageDigest)).GetOctets(); }
                catch (Exception e) when (e is not OutOfMemoryException) { }
                intact = signed is not null && CryptographicOperations.FixedTimeEquals(signed, covered.Digest(h));
                if (intact == true) o.Pass($"message digest: matches ({Algorithms.Display(h)})");
                else o.Fail(Indication.TotalFailed, SubIndication.HashFailure, "message digest does not match the content");
            }
        }
        var outer = OuterIntact(kind, mode, cms, tst, document, o);
        if (outer == false) intact = false;

        // --- Identify the signer certificate (§3.4 rule 11) ---
        var candidates = call.Pool.BySignerId(s.Info.SignerID);
        Cert? cert = null;
        bool? cryptoValid = null;
        var message = s.SignedAttributes is { } attrs ? SignedContent.FromBytes(attrs) : covered;
        if (candidates.Count == 0)
            o.Fail(Indication.Indeterminate, SubIndication.NoSigningCertificateFound,
                   "no certificate in the CMS, the evidence or the trust store matches the SignerInfo's identifier");
        else
        {
            // Several candidates (a re-issued certificate, or a planted look-alike): prefer the one the ESS attribute
            // names, then the one whose key verifies the signature.
            foreach (var candidate in candidates.OrderByDescending(c => EssMatch(s, c, out _) == true))
            {
                if (message is null || !Algorithms.Supported(candidate, sigAlg)) { cert ??= candidate; continue; }
                var ok = Algorithms.Verify(candidate, sigAlg, message, signatureValue);
                if (ok || cryptoValid is null) { cert = candidate; cryptoValid = ok; }
                if (ok) break;
            }
            o.Pass($"signer certificate: {cert!.Subject} (serial {cert.SerialHex}), identified by {(s.Info.SignerID.IsTagged ? "subject key identifier" : "issuer and serial number")}");
            if (message is not null && cryptoValid is null)
                o.Pass($"signature value: {sigAlg.Name} with {Algorithms.KeyDescription(cert)} not supported, not checked");
        }
        // --- Crypto: the signature value (§3.4 rules 12, 14) ---
        if (cryptoValid == true) o.Pass("signature value: verifies with the signer's public key");
        else if (cryptoValid == false) o.Fail(Indication.TotalFailed, SubIndication.SigCryptoFailure, "signature value does not verify with the signer's public key");
        // Without signed attributes the signature is over the content's digest itself: if it verifies, the content is intact.
        if (s.SignedAttributes is null && covered is not null && cryptoValid == true) intact = outer != false;

        // --- Signed attributes (§3.4 rules 12–13) ---
        DateTimeOffset? signingTimeAttribute = null;
        if (s.SignedAttributes is null)
        {
            if (cades)
                o.Fail(Indication.Indeterminate, SubIndication.SigConstraintsFailure, "signed attributes are mandatory for this signature type");
            else
                o.Warn("Chữ ký không có thuộc tính được ký nên chứng thư số của người ký không được gắn vào chữ ký.",
                       "signed attributes: absent (allowed for PKCS#7), the signer certificate is not bound");
        }
        else
        {
            var contentType = Single(s, ContentTypeAttribute);
            var expected = timestampMode ? TstInfoContentType : cms.EContentType;
            if (isCounterSignature)
            {
                if (contentType is not null) o.Fail(Indication.TotalFailed, SubIndication.FormatFailure, "a countersignature must not carry content-type");
            }
            else if (contentType is null)
                o.Fail(Indication.Indeterminate, SubIndication.SigConstraintsFailure, "content-type attribute missing");
            else if (OidOf(contentType) != expected)
                o.Fail(Indication.Indeterminate, SubIndication.SigConstraintsFailure, $"content-type attribute {OidOf(contentType)} does not match {expected}");
            else o.Pass("content-type: " + expected);
            if (messageDigest is null)
                o.Fail(Indication.Indeterminate, SubIndication.SigConstraintsFailure, "message-digest attribute missing");

            if (cert is not null)
            {
                var ess = EssMatch(s, cert, out var essDetail);
                if (ess == true) o.Pass("signing certificate: " + essDetail);
                else if (ess == false) o.Fail(Indication.Indeterminate, SubIndication.NoSigningCertificateFound, "signing certificate: " + essDetail);
                else if (cades) o.Fail(Indication.Indeterminate, SubIndication.SigConstraintsFailure, "signing-certificate(-v2) attribute missing");
                else o.Warn("Chữ ký không có thuộc tính signing-certificate gắn chứng thư số của người ký vào chữ ký.",
                            "signing certificate: attribute absent (allowed for PKCS#7)");
            }

            if (Single(s, SigningTimeAttribute) is { } st)
            {
                try
                {
                    signingTimeAttribute = Time.Utc(Org.BouncyCastle.Asn1.Cms.Time.GetInstance(Asn1Object.FromByteArray(st)).Date);
                    if (cert is not null && (signingTimeAttribute < cert.NotBefore || signingTimeAttribute > cert.NotAfter))
                        o.Fail(Indication.Indeterminate, SubIndication.SigConstraintsFailure,
                               $"signing-time {signingTimeAttribute:O} is outside the certificate validity");
                    else o.Pass($"signing-time: {signingTimeAttribute:O} (claimed)");
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    o.Fail(Indication.TotalFailed, SubIndication.FormatFailure, "signing-time attribute cannot be parsed");
                }
            }
        }

        // --- Proof of existence: signature-time-stamps (§3.6 rules 19–20) ---
        DateTimeOffset? poe = null;
        string? poeAuthority = null;
        if (mode == Mode.Signature)
            foreach (var attribute in s.Unsigned.Where(a => a.Oid == SignatureTimeStampAttribute))
                foreach (var token in attribute.Values)
                {
                    var result = VerifyToken(call, token, signatureValue);
                    if (result.Valid && result.GenTime is { } g)
                    {
                        o.Pass($"signature time-stamp: valid, genTime {g:O} by {result.Authority}");
                        if (poe is null || g < poe) { poe = g; poeAuthority = result.Authority; }
                    }
                    else o.Warn("Dấu thời gian trong chữ ký không hợp lệ nên không được dùng làm bằng chứng thời điểm ký.",
                                "signature time-stamp ignored: " + result.Check);
                }
        var bestSignatureTime = mode switch
        {
            Mode.EmbeddedTimestamp => tst?.GenTime ?? call.ValidationTime,
            _ => poe ?? call.ValidationTime,
        };
        if (tst is not null && tst.GenTime > call.ValidationTime)
            o.Fail(Indication.Indeterminate, SubIndication.TimestampOrderFailure, $"genTime {tst.GenTime:O} is after the validation time");

        // --- Chain (§3.5) ---
        List<Cert>? path = null;
        List<Cert> shown = cert is null ? [] : [cert];
        if (cert is not null)
        {
            path = CertificatePath.Build(cert, call.Pool, out var partial);
            shown = path ?? partial;
            if (path is null)
                o.Fail(Indication.Indeterminate, SubIndication.NoCertificateChainFound, $"no path from {cert.Subject} to a trust anchor");
            else
            {
                o.Pass("chain: " + string.Join(" -> ", path.Select(c => c.CommonName ?? c.Subject)));
                if (CertificatePath.CaProblem(path) is { } caProblem)
                    o.Fail(Indication.Indeterminate, SubIndication.CertificateChainGeneralFailure, caProblem);
            }
            if (CertificatePath.UsageProblem(cert, timestampMode ? Purpose.Timestamping : Purpose.DocumentSigning) is { } usage)
                o.Fail(Indication.Indeterminate, SubIndication.ChainConstraintsFailure, usage);
        }

        // --- Validity at the best signature time (§3.6 rule 21, §1.1) ---
        foreach (var c in shown.Where(c => !c.IsAnchor))
        {
            if (bestSignatureTime < c.NotBefore)
                o.Fail(Indication.TotalFailed, SubIndication.NotYetValid, $"{c.Subject} is not valid before {c.NotBefore:O}");
            else if (bestSignatureTime > c.NotAfter)
            {
                if (poe is not null || mode == Mode.EmbeddedTimestamp)
                    o.Fail(Indication.TotalFailed, SubIndication.Expired, $"{c.Subject} expired {c.NotAfter:O}, before the proven signing time");
                else
                    o.Fail(Indication.Indeterminate, SubIndication.OutOfBoundsNoPoe, $"{c.Subject} expired {c.NotAfter:O} and no time-stamp proves an earlier signature");
            }
        }

        // --- Revocation (§3.7) ---
        var revocationText = "Chưa kiểm tra được";
        if (path is not null && mode != Mode.EmbeddedTimestamp)
            revocationText = CheckRevocation(call, s, path, poe is not null, bestSignatureTime, o);
        else if (mode == Mode.EmbeddedTimestamp)
            o.Pass("revocation: not checked for the TSA of a signature time-stamp");

        // --- Algorithms (§2, §3.8) ---
        CheckAlgorithms(kind, mode, digest, sigAlg, cert, path ?? shown, tst, poe, o);

        var signingTime = timestampMode ? tst?.GenTime : poe ?? claimedTime ?? signingTimeAttribute;
        return new SignerVerdict
        {
            Indication = o.Indication,
            SubIndication = o.SubIndication,
            FormatValid = formatValid,
            Intact = intact,
            CryptoValid = cryptoValid,
            Trusted = path is not null,
            Signer = cert?.ToIdentity(),
            Chain = [.. shown.Select(c => c.ToChainElement())],
            SigningTime = signingTime,
            SigningTimeSource = timestampMode || poe is not null ? SigningTimeSource.Timestamp
                : signingTime is not null ? SigningTimeSource.Claimed : SigningTimeSource.None,
            BestSignatureTime = bestSignatureTime,
            ClaimedTime = claimedTime ?? signingTimeAttribute,
            DigestAlgorithm = digest is { } dd ? Algorithms.Display(dd) : s.Info.DigestAlgorithm.Algorithm.Id,
            SignatureAlgorithm = sigAlg.Name,
            KeyDescription = cert is null ? null : Algorithms.KeyDescription(cert),
            RevocationStatus = revocationText,
            TimestampTime = timestampMode ? tst?.GenTime : poe,
            TimestampAuthority = timestampMode ? (cert?.CommonName ?? tst?.Authority) : poeAuthority,
            IsCounterSignature = isCounterSignature,
            SignerCertificate = cert?.Der,
            Warnings = [.. shared.Warnings, .. o.Warnings],
            Checks = [.. shared.Checks, .. o.Checks],
        };
    }

    /// <summary>
    /// The part of "intact" that lies outside the SignerInfo: adbe.pkcs7.sha1's eContent is the SHA-1 of the
    /// ranges; a time-stamp's imprint covers the document (or, embedded, the parent signature value).
    /// </summary>
    static bool? OuterIntact(CmsKind kind, Mode mode, ParsedCms cms, TstInfoData? tst, SignedContent? document, Outcome o)
    {
        if (mode == Mode.Signature && kind == CmsKind.PdfPkcs7Sha1 && cms.EContent is { Length: 20 } e)
        {
            if (document is null) return null;
            var ok = CryptographicOperations.FixedTimeEquals(e, document.Digest(HashAlgorithmName.SHA1));
            if (ok) o.Pass("adbe.pkcs7.sha1: eContent is the SHA-1 of the byte ranges");
            else o.Fail(Indication.TotalFailed, SubIndication.HashFailure, "adbe.pkcs7.sha1: eContent is not the SHA-1 of the byte ranges");
            return ok;
        }
        if (mode != Mode.Signature && tst is not null && document is not null)
        {
            if (tst.ImprintAlgorithm is not { } h || !Algorithms.CanCompute(h))
            {
                o.Fail(Indication.Indeterminate, SubIndication.CryptoConstraintsFailure, "time-stamp imprint algorithm not supported");
                return null;
            }
            var ok = CryptographicOperations.FixedTimeEquals(tst.Imprint, document.Digest(h));
            if (ok) o.Pass($"time-stamp imprint: matches ({Algorithms.Display(h)})");
            else o.Fail(Indication.TotalFailed, SubIndication.HashFailure, "time-stamp imprint does not match the time-stamped data");
            return ok;
        }
        return null;
    }

    /// <summary>Rules 22–25 for every non-anchor certificate of the path; returns the signer's status text.</summary>
    string CheckRevocation(Call call, ParsedSigner s, List<Cert> path, bool hasPoe, DateTimeOffset bestSignatureTime, Outcome o)
    {
        var sources = call.Sources;
        if (s.SignedAttribute(RevocationArchivalAttribute) is { Values: [var archival] })
        {
            // Signed revocation data belongs to this signer only: extend a copy of the shared sources.
            sources = new RevocationSources();
            sources.Crls.AddRange(call.Sources.Crls);
            sources.Ocsps.AddRange(call.Sources.Ocsps);
            sources.AddArchival(archival, o.Checks);
        }
        if (path.Count == 1) return "Không cần kiểm tra (chứng thư số là điểm tin cậy)";
        var text = "Chưa kiểm tra được";
        var missing = false;
        for (var i = 0; i < path.Count - 1; i++)
        {
            var cert = path[i];
            if (cert.IsAnchor) break;
            var result = Revocation.Check(cert, path[i + 1], sources, call.Pool, policy, bestSignatureTime, call.ValidationTime);
            o.Pass(result.Check);
            if (i == 0) text = result.Text;
            switch (result.State)
            {
                case RevocationState.Revoked when result.RevokedAt <= bestSignatureTime:
                    if (i > 0) o.Fail(Indication.Indeterminate, SubIndication.RevokedCaNoPoe, $"{cert.Subject} was revoked at {result.RevokedAt:O}");
                    else if (hasPoe) o.Fail(Indication.TotalFailed, SubIndication.Revoked, $"revoked at {result.RevokedAt:O}, before the time-stamped signing time");
                    else o.Fail(Indication.Indeterminate, SubIndication.RevokedNoPoe, $"revoked at {result.RevokedAt:O} and no time-stamp proves an earlier signature");
                    break;
                case RevocationState.Revoked:
                    o.Pass($"revocation: {cert.Subject} revoked at {result.RevokedAt:O}, after the best signature time");
                    if (i == 0) text = $"Bị thu hồi lúc {Time.Vietnamese(result.RevokedAt!.Value)}, sau thời điểm ký đã được chứng minh";
                    break;
                case RevocationState.OnHold:
                    o.Fail(Indication.Indeterminate, SubIndication.TryLater, $"{cert.Subject} is on hold");
                    break;
                case RevocationState.Unknown:
                    missing = true;
                    if (policy.RequireRevocation)
                        o.Fail(Indication.Indeterminate, SubIndication.TryLater, $"no usable revocation data for {cert.Subject}");
                    break;
            }
        }
        if (missing && !policy.RequireRevocation)
            o.Warn("Chưa kiểm tra được tình trạng thu hồi của chứng thư số (không có dữ liệu CRL hoặc OCSP phù hợp).",
                   "revocation: data missing, accepted because the policy does not require it");
        return text;
    }

    /// <summary>§2 and rule 26: digests, signature algorithms and key sizes of the signature and its chain.</summary>
    void CheckAlgorithms(CmsKind kind, Mode mode, HashAlgorithmName? digest, SignatureAlgorithm sigAlg, Cert? cert, List<Cert> chain,
                         TstInfoData? tst, DateTimeOffset? poe, Outcome o)
    {
        var weak = new List<string>();
        var sha1 = new List<string>();
        void Digest(HashAlgorithmName? h, string where)
        {
            if (h is not { } name) { weak.Add($"{where}: unknown digest algorithm"); return; }
            switch (Algorithms.Strength(name, policy))
            {
                case DigestStrength.Sha1: sha1.Add(where); break;
                case DigestStrength.Weak: weak.Add($"{where}: {Algorithms.Display(name)}"); break;
            }
        }

        Digest(digest, "message digest");
        if (kind == CmsKind.PdfPkcs7Sha1 && mode == Mode.Signature) sha1.Add("adbe.pkcs7.sha1 eContent");
        if (tst is not null) Digest(tst.ImprintAlgorithm, "time-stamp imprint");
        switch (sigAlg.Scheme)
        {
            case SignatureScheme.Unknown:
                weak.Add("signature algorithm " + sigAlg.Name + " is not supported");
                break;
            case SignatureScheme.Ed25519 when digest != HashAlgorithmName.SHA512:
            case SignatureScheme.Ed448 when digest != SignedContent.Shake256:
                weak.Add($"{sigAlg.Name} with {(digest is { } d ? Algorithms.Display(d) : "an unknown digest")} (RFC 8419 pairs Ed25519 with SHA-512, Ed448 with SHAKE256)");
                break;
            case SignatureScheme.RsaPkcs1 or SignatureScheme.RsaPss or SignatureScheme.Ecdsa:
                if (digest == SignedContent.Shake256) weak.Add("SHAKE256 is only accepted with Ed448");
                if (sigAlg.Hash != digest) Digest(sigAlg.Hash, "signature digest");
                if (sigAlg.MgfHash is { } mgf && mgf != sigAlg.Hash) Digest(mgf, "PSS mask digest");
                break;
        }
        foreach (var c in chain)
        {
            if (Algorithms.KeyProblem(c, policy) is { } keyProblem) weak.Add($"{c.Subject}: {keyProblem}");
            if (c.IsAnchor) continue;      // the anchor's self-signature is not evaluated (§2); every other one is
            var certAlg = Algorithms.Signature(c.Bc.CertificateStructure.SignatureAlgorithm, null);
            if (certAlg.Scheme == SignatureScheme.Unknown) weak.Add($"{c.Subject}: signature algorithm {certAlg.Name} not supported");
            else if (certAlg.Scheme is not (SignatureScheme.Ed25519 or SignatureScheme.Ed448)) Digest(certAlg.Hash, $"{c.Subject} certificate signature");
        }

        if (weak.Count > 0)
            o.Fail(Indication.Indeterminate, SubIndication.CryptoConstraintsFailure, "algorithm below policy: " + string.Join("; ", weak));
        else if (sha1.Count > 0)
        {
            if (poe is { } p && p < policy.Sha1Sunset)
                o.Warn($"Chữ ký dùng SHA-1; được chấp nhận vì dấu thời gian chứng minh chữ ký có trước {Time.Vietnamese(policy.Sha1Sunset)}.",
                       $"algorithms: SHA-1 accepted, time-stamp {p:O} is before the sunset");
            else
                o.Fail(Indication.Indeterminate, SubIndication.CryptoConstraintsFailureNoPoe,
                       "SHA-1 used (" + string.Join("; ", sha1) + ") and no time-stamp proves existence before the sunset");
        }
        else o.Pass("algorithms: within policy");
    }

    /// <summary>
    /// Rule 13: the ESS signing-certificate(-v2) attribute names <paramref name="cert"/> by hash and, when given, by
    /// issuer and serial. Null when absent. A v1 attribute's SHA-1 hash is a binding, not a signature, so it is
    /// not judged by the SHA-1 rule.
    /// </summary>
    static bool? EssMatch(ParsedSigner s, Cert cert, out string detail)
    {
        detail = "";
        try
        {
            HashAlgorithmName? hash;
            byte[] certHash;
            IssuerSerial? issuerSerial;
            if (Single(s, SigningCertificateV2Attribute) is { } v2)
            {
                var id = SigningCertificateV2.GetInstance(Asn1Object.FromByteArray(v2)).GetCerts()[0];
                hash = Algorithms.Digest(id.HashAlgorithm);
                (certHash, issuerSerial) = (id.GetCertHash(), id.IssuerSerial);
                detail = "signing-certificate-v2";
            }
            else if (Single(s, SigningCertificateAttribute) is { } v1)
            {
                var id = SigningCertificate.GetInstance(Asn1Object.FromByteArray(v1)).GetCerts()[0];
                hash = HashAlgorithmName.SHA1;
                (certHash, issuerSerial) = (id.GetCertHash(), id.IssuerSerial);
                detail = "signing-certificate (v1)";
            }
            else return null;

            if (hash is not { } h || !Algorithms.CanCompute(h)) { detail += ": unsupported hash algorithm"; return false; }
            if (!CryptographicOperations.FixedTimeEquals(certHash, SignedContent.Hash(h, cert.Der)))
            {
                detail += " names another certificate (hash mismatch)";
                return false;
            }
            if (issuerSerial is not null)
            {
                var names = issuerSerial.Issuer.GetNames().Where(n => n.TagNo == GeneralName.DirectoryName).Select(n => X509Name.GetInstance(n.Name));
                if (!issuerSerial.Serial.Value.Equals(cert.Bc.SerialNumber) || !names.Any(n => cert.Bc.IssuerDN.Equivalent(n, true)))
                {
                    detail += " issuer/serial do not match the certificate";
                    return false;
                }
            }
            detail += $" matches ({Algorithms.Display(h)})";
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            detail = "signing-certificate attribute cannot be parsed";
            return false;
        }
    }

    static byte[]? Single(ParsedSigner s, string oid) => s.SignedAttribute(oid) is { Values: [var value] } ? value : null;

    static string? OidOf(byte[] value)
    {
        try { return DerObjectIdentifier.GetInstance(Asn1Object.FromByteArray(value)).Id; }
        catch (Exception e) when (e is not OutOfMemoryException) { return null; }
    }
}
