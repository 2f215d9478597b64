using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;

namespace Portal.Core.Signatures;

internal enum RevocationState { Good, Revoked, OnHold, Unknown }

/// <summary>What the revocation data says about one certificate. <see cref="Text"/> is Vietnamese for the report.</summary>
internal sealed record RevocationResult(RevocationState State, DateTimeOffset? RevokedAt, string Text, string Check);

/// <summary>CRLs and OCSP responses of one verification, parsed once (SIGNATURES.md §3.7 rule 22).</summary>
internal sealed class RevocationSources
{
    public List<(X509Crl Crl, byte[] Der)> Crls { get; } = [];
    public List<BasicOcspResp> Ocsps { get; } = [];

    public void AddCrl(byte[] der, List<string> checks)
    {
        try
        {
            if (new X509CrlParser().ReadCrl(der) is { } crl) Crls.Add((crl, der));
        }
        catch (Exception e) when (e is not OutOfMemoryException) { checks.Add("revocation: unreadable CRL ignored (" + e.Message + ")"); }
    }

    public void AddOcsp(byte[] der, List<string> checks)
    {
        try
        {
            var asn1 = Asn1Object.FromByteArray(der);
            // /DSS /OCSPs holds OCSPResponse; some producers store the BasicOCSPResponse alone.
            if (asn1 is Asn1Sequence { Count: 2 } seq && seq[0] is DerEnumerated)
            {
                var response = new OcspResp(OcspResponse.GetInstance(seq));
                if (response.Status != OcspRespStatus.Successful) { checks.Add($"revocation: OCSP response status {response.Status} ignored"); return; }
                if (response.GetResponseObject() is BasicOcspResp basic) Ocsps.Add(basic);
            }
            else Ocsps.Add(new BasicOcspResp(BasicOcspResponse.GetInstance(asn1)));
        }
        catch (Exception e) when (e is not OutOfMemoryException) { checks.Add("revocation: unreadable OCSP response ignored (" + e.Message + ")"); }
    }

    /// <summary>The adbe-revocationInfoArchival signed attribute (1.2.840.113583.1.1.8): [0] CRLs, [1] OCSP responses.</summary>
    public void AddArchival(byte[] value, List<string> checks)
    {
        try
        {
            var nonDer = false;
            var seq = Der.Read(value, 0, value.Length, ref nonDer, validate: true);
            foreach (var part in Der.Children(value, seq))
            {
                if (part.Tag is not (0xA0 or 0xA1)) continue;
                foreach (var list in Der.Children(value, part))
                    foreach (var item in Der.Children(value, list))
                        if (part.Tag == 0xA0) AddCrl(Der.Bytes(value, item), checks);
                        else AddOcsp(Der.Bytes(value, item), checks);
            }
        }
        catch (CmsFormatException e) { checks.Add("revocation: unreadable adbe-revocationInfoArchival ignored (" + e.Message + ")"); }
    }
}

/// <summary>Rules 23–25: CRL issuer, signature and freshness; OCSP responder authority, status and freshness.</summary>
internal static class Revocation
{
    const int CertificateHold = 6;
    const int RemoveFromCrl = 8;

    /// <summary>
    /// Revocation status of <paramref name="cert"/> issued by <paramref name="issuer"/>. A revocation entry counts
    /// whenever its source verifies (revocation is permanent); "not revoked" counts only from data that is fresh:
    /// issued after the best signature time, or current at the validation time.
    /// </summary>
    public static RevocationResult Check(Cert cert, Cert issuer, RevocationSources sources, CertPool pool, SignaturePolicy policy,
                                         DateTimeOffset bestSignatureTime, DateTimeOffset validationTime)
    {
        var notes = new List<string>();
        DateTimeOffset? revokedAt = null;
        string? revokedBy = null;
        (DateTimeOffset At, string Text)? good = null;
        var onHold = false;

        bool Fresh(DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate) =>
            thisUpdate <= validationTime && (thisUpdate >= bestSignatureTime || (nextUpdate is { } n && validationTime <= n));

        foreach (var (crl, der) in sources.Crls)
        {
            if (!issuer.SubjectIs(crl.IssuerDN, crl.IssuerDN.GetDerEncoded())) continue;
            if (CrlProblem(crl, der, cert, issuer, policy) is { } problem) { notes.Add("CRL ignored: " + problem); continue; }
            var thisUpdate = Time.Utc(crl.ThisUpdate);
            DateTimeOffset? nextUpdate = crl.NextUpdate is { } n ? Time.Utc(n.Value) : null;
            var entry = crl.GetRevokedCertificate(cert.Bc.SerialNumber);
            var reason = entry is null ? -1 : Reason(entry.GetExtensionValue(X509Extensions.ReasonCode));
            if (entry is not null && reason != RemoveFromCrl && entry.GetCertificateIssuer() is null)
            {
                if (reason == CertificateHold) { onHold = true; notes.Add("CRL: certificate on hold"); continue; }
                var at = Time.Utc(entry.RevocationDate);
                if (revokedAt is null || at < revokedAt) { revokedAt = at; revokedBy = "CRL"; }
            }
            else if (Fresh(thisUpdate, nextUpdate))
            {
                if (good is null || thisUpdate > good.Value.At)
                    good = (thisUpdate, $"Chưa bị thu hồi (CRL của {issuer.CommonName ?? issuer.Subject}, cập nhật {Time.Vietnamese(thisUpdate)})");
            }
            else notes.Add($"CRL of {thisUpdate:O} is not fresh for the validation");
        }

        foreach (var ocsp in sources.Ocsps)
        {
            var single = ocsp.Responses.FirstOrDefault(r => Matches(r.GetCertID(), cert, issuer));
            if (single is null) continue;
            if (OcspSigner(ocsp, issuer, pool, policy, out var problem) is not { } responder) { notes.Add("OCSP ignored: " + problem); continue; }
            var thisUpdate = Time.Utc(single.ThisUpdate);
            DateTimeOffset? nextUpdate = single.NextUpdate is { } n ? Time.Utc(n.Value) : null;
            switch (single.GetCertStatus())
            {
                case RevokedStatus revoked when revoked.HasRevocationReason && revoked.RevocationReason == CertificateHold:
                    onHold = true;
                    notes.Add("OCSP: certificate on hold");
                    break;
                case RevokedStatus revoked:
                    var at = Time.Utc(revoked.RevocationTime);
                    if (revokedAt is null || at < revokedAt) { revokedAt = at; revokedBy = "OCSP"; }
                    break;
                case null when Fresh(thisUpdate, nextUpdate):   // null is CertificateStatus.Good
                    if (good is null || thisUpdate > good.Value.At)
                        good = (thisUpdate, $"Chưa bị thu hồi (OCSP của {responder.CommonName ?? responder.Subject}, lúc {Time.Vietnamese(thisUpdate)})");
                    break;
                case null:
                    notes.Add($"OCSP response of {thisUpdate:O} is not fresh for the validation");
                    break;
                default:
                    notes.Add("OCSP: status unknown");
                    break;
            }
        }

        var detail = notes.Count > 0 ? " (" + string.Join("; ", notes) + ")" : "";
        if (revokedAt is { } r)
            return new(RevocationState.Revoked, r, $"Đã bị thu hồi lúc {Time.Vietnamese(r)}",
                       $"revocation of {cert.Subject}: revoked at {r:O} according to {revokedBy}{detail}");
        if (onHold)
            return new(RevocationState.OnHold, null, "Đang bị tạm dừng hiệu lực", $"revocation of {cert.Subject}: on hold{detail}");
        if (good is { } g)
            return new(RevocationState.Good, null, g.Text, $"revocation of {cert.Subject}: not revoked, data of {g.At:O}{detail}");
        return new(RevocationState.Unknown, null, "Chưa kiểm tra được",
                   $"revocation of {cert.Subject}: no usable CRL or OCSP response{detail}");
    }

    static string? CrlProblem(X509Crl crl, byte[] der, Cert cert, Cert issuer, SignaturePolicy policy)
    {
        var usage = issuer.Bc.GetKeyUsage();
        if (usage is not null && !usage[6]) return "issuer lacks keyUsage cRLSign";
        if (!Algorithms.VerifySigned(der, issuer)) return "signature does not verify with the issuer's key";
        if (WeakSignature(crl.SigAlgOid, crl.GetSigAlgParams(), policy)) return "signed with a weak algorithm " + crl.SigAlgName;
        foreach (var oid in crl.GetCriticalExtensionOids()?.Cast<object>() ?? [])
        {
            switch (oid as string)
            {
                case "2.5.29.20" or "2.5.29.35":       // cRLNumber, authorityKeyIdentifier
                    continue;
                case "2.5.29.28":                      // issuingDistributionPoint: only the scopes Portal understands
                    var idp = IssuingDistributionPoint.GetInstance(Asn1Object.FromByteArray(crl.GetExtensionValue(X509Extensions.IssuingDistributionPoint).GetOctets()));
                    var isCa = cert.Bc.GetBasicConstraints() >= 0;
                    if (idp.IsIndirectCrl || idp.OnlySomeReasons is not null || idp.OnlyContainsAttributeCerts) return "partitioned or indirect CRL";
                    if (idp.OnlyContainsUserCerts && isCa) return "CRL covers end-entity certificates only";
                    if (idp.OnlyContainsCACerts && !isCa) return "CRL covers CA certificates only";
                    continue;
                default:
                    return "unsupported critical extension " + oid;   // delta CRLs included
            }
        }
        return null;
    }

    static bool Matches(CertificateID id, Cert cert, Cert issuer)
    {
        try { return id.SerialNumber.Equals(cert.Bc.SerialNumber) && id.MatchesIssuer(issuer.Bc); }
        catch (Exception e) when (e is not OutOfMemoryException) { return false; }
    }

    /// <summary>Rule 23: the response is signed by the CA itself or by a responder the CA delegated (id-kp-OCSPSigning).</summary>
    static Cert? OcspSigner(BasicOcspResp ocsp, Cert issuer, CertPool pool, SignaturePolicy policy, out string problem)
    {
        problem = "no responder certificate matches the responder id";
        if (WeakSignature(ocsp.SignatureAlgOid, null, policy)) { problem = "signed with a weak algorithm " + ocsp.SignatureAlgName; return null; }
        var rid = ocsp.ResponderId.ToAsn1Object();
        var byKey = rid.GetKeyHash();
        var name = rid.Name;
        var nameDer = name?.GetDerEncoded();
        bool IsResponder(Cert c) => byKey is not null
            ? SHA1.HashData(c.PublicKeyBits).AsSpan().SequenceEqual(byKey)
            : name is not null && c.SubjectIs(name, nameDer!);

        // The pool already holds the certificates embedded in the responses given to the verifier; those of a
        // signer's adbe-revocationInfoArchival attribute are parsed here.
        var candidates = new List<Cert> { issuer };
        candidates.AddRange(pool.All);
        if (!candidates.Any(IsResponder))
            foreach (var embedded in ocsp.GetCerts() ?? [])
                if (Cert.TryParse(embedded.GetEncoded()) is { } c) candidates.Add(c);

        foreach (var c in candidates.Where(IsResponder))
        {
            var isCa = c.SubjectDer.AsSpan().SequenceEqual(issuer.SubjectDer) && c.PublicKeyBits.AsSpan().SequenceEqual(issuer.PublicKeyBits);
            if (!isCa)
            {
                if (!c.IsSignedBy(issuer)) { problem = "delegated responder not issued by the CA"; continue; }
                if (CertificatePath.UsageProblem(c, Purpose.OcspSigning) is { } usage) { problem = usage; continue; }
                var produced = Time.Utc(ocsp.ProducedAt);
                if (produced < c.NotBefore || produced > c.NotAfter) { problem = "responder certificate not valid when the response was produced"; continue; }
            }
            if (Algorithms.VerifySigned(ocsp.GetEncoded(), c)) return c;
            problem = "signature does not verify";
        }
        return null;
    }

    static bool WeakSignature(string oid, byte[]? parameters, SignaturePolicy policy)
    {
        var id = parameters is null ? new AlgorithmIdentifier(new DerObjectIdentifier(oid))
            : new AlgorithmIdentifier(new DerObjectIdentifier(oid), Asn1Object.FromByteArray(parameters));
        var alg = Algorithms.Signature(id, null);
        return alg.Scheme == SignatureScheme.Unknown || (alg.Hash is { } h && Algorithms.Strength(h, policy) != DigestStrength.Accepted);
    }

    static int Reason(Asn1OctetString? extension)
    {
        if (extension is null) return 0;
        try { return DerEnumerated.GetInstance(Asn1Object.FromByteArray(extension.GetOctets())).Value.IntValue; }
        catch (Exception e) when (e is not OutOfMemoryException) { return 0; }
    }
}
