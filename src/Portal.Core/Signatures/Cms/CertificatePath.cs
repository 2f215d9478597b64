using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;

namespace Portal.Core.Signatures;

/// <summary>
/// The certificates a path may use: the trust store's anchors and intermediates (parsed once per verifier) plus
/// those of one verification (the CMS, the /DSS, a token's own certificates).
/// </summary>
internal sealed class CertPool
{
    readonly IReadOnlyList<Cert> anchors;
    readonly List<Cert> all;

    public CertPool(IReadOnlyList<Cert> anchors, IEnumerable<Cert> others)
    {
        this.anchors = anchors;
        all = [.. anchors];
        foreach (var c in others)
            if (!all.Any(a => a.Sha256 == c.Sha256)) all.Add(c);
    }

    public IReadOnlyList<Cert> All => all;

    public CertPool With(IEnumerable<Cert> more) => new(anchors, all.Where(c => !c.IsAnchor).Concat(more));

    /// <summary>§3.5 rule 18: an anchor is matched by subject and public key, not by certificate hash.</summary>
    public Cert? AnchorFor(Cert c) =>
        anchors.FirstOrDefault(a => a.SubjectDer.AsSpan().SequenceEqual(c.SubjectDer) && a.PublicKeyBits.AsSpan().SequenceEqual(c.PublicKeyBits));

    /// <summary>Candidate issuers by name, skipping those whose key identifier rules them out.</summary>
    public IEnumerable<Cert> IssuersOf(Cert c) =>
        all.Where(i => c.IssuedUnderNameOf(i)
                       && (c.AuthorityKeyId is null || i.SubjectKeyId is null || c.AuthorityKeyId.AsSpan().SequenceEqual(i.SubjectKeyId)));

    /// <summary>§3.4 rule 11: the SignerInfo's sid is issuer and serial number, or subject key identifier.</summary>
    public List<Cert> BySignerId(SignerIdentifier sid)
    {
        if (sid.IsTagged)
        {
            var ski = ((Asn1OctetString)sid.ID).GetOctets();
            return [.. all.Where(c => c.SubjectKeyId is not null && c.SubjectKeyId.AsSpan().SequenceEqual(ski))];
        }
        var ias = IssuerAndSerialNumber.GetInstance(sid.ID);
        var issuer = ias.Name.GetDerEncoded();
        var serial = ias.SerialNumber.Value;
        return [.. all.Where(c => c.Bc.SerialNumber.Equals(serial) && (c.IssuerDer.AsSpan().SequenceEqual(issuer) || c.Bc.IssuerDN.Equivalent(ias.Name, true)))];
    }
}

internal enum Purpose { DocumentSigning, Timestamping, OcspSigning }

/// <summary>Path building and the checks of SIGNATURES.md §3.5 (rules 15–18).</summary>
internal static class CertificatePath
{
    const int MaxLength = 10;
    const int MaxSignatureChecks = 64;    // bounds the search when a CMS carries many look-alike certificates

    /// <summary>
    /// A path from <paramref name="leaf"/> to an anchor, signer first and the store's anchor last; null when none.
    /// <paramref name="partial"/> is the longest chain seen, for the report when no anchor is reached.
    /// </summary>
    public static List<Cert>? Build(Cert leaf, CertPool pool, out List<Cert> partial)
    {
        var best = new List<Cert> { leaf };
        var path = new List<Cert> { leaf };
        var budget = MaxSignatureChecks;
        var found = Extend(path, pool, ref best, ref budget);
        partial = best;
        return found ? path : null;
    }

    static bool Extend(List<Cert> path, CertPool pool, ref List<Cert> best, ref int budget)
    {
        var last = path[^1];
        if (pool.AnchorFor(last) is { } anchor)
        {
            path[^1] = anchor;
            return true;
        }
        if (path.Count >= MaxLength) return false;
        foreach (var issuer in pool.IssuersOf(last).OrderByDescending(c => c.IsAnchor).ToList())
        {
            if (path.Any(p => p.Sha256 == issuer.Sha256 || (p.SubjectDer.AsSpan().SequenceEqual(issuer.SubjectDer) && p.PublicKeyBits.AsSpan().SequenceEqual(issuer.PublicKeyBits))))
                continue;
            if (--budget < 0) return false;
            if (!last.IsSignedBy(issuer)) continue;
            path.Add(issuer);
            if (path.Count > best.Count) best = [.. path];
            if (Extend(path, pool, ref best, ref budget)) return true;
            path.RemoveAt(path.Count - 1);
        }
        return false;
    }

    // Extensions Portal understands. Policy extensions are accepted without policy processing: Portal does not
    // require particular certificate policies. Name constraints are not implemented, so a critical one fails
    // the path (fail closed) rather than being ignored.
    static readonly HashSet<string> KnownCritical =
    [
        "2.5.29.15",           // keyUsage
        "2.5.29.19",           // basicConstraints
        "2.5.29.37",           // extKeyUsage
        "2.5.29.17",           // subjectAltName
        "2.5.29.18",           // issuerAltName
        "2.5.29.14",           // subjectKeyIdentifier
        "2.5.29.35",           // authorityKeyIdentifier
        "2.5.29.31",           // cRLDistributionPoints
        "2.5.29.32",           // certificatePolicies
        "2.5.29.33",           // policyMappings
        "2.5.29.36",           // policyConstraints
        "2.5.29.54",           // inhibitAnyPolicy
        "2.5.29.9",            // subjectDirectoryAttributes
        "2.5.29.16",           // privateKeyUsagePeriod
        "1.3.6.1.5.5.7.1.1",   // authorityInfoAccess
        "1.3.6.1.5.5.7.1.3",   // qcStatements
        "1.3.6.1.5.5.7.48.1.5", // id-pkix-ocsp-nocheck
    ];

    /// <summary>Rule 16: CA flags, keyCertSign, path length and critical extensions; null when the path is sound.</summary>
    public static string? CaProblem(List<Cert> path)
    {
        for (var i = 1; i < path.Count; i++)
        {
            var ca = path[i];
            if (ca.IsAnchor) continue;       // the anchor is trusted by configuration (RFC 5280 §6.1.1)
            var pathLen = ca.Bc.GetBasicConstraints();
            if (pathLen < 0) return $"{ca.Subject} issues certificates but is not a CA (basicConstraints)";
            var usage = ca.Bc.GetKeyUsage();
            if (usage is not null && !usage[5]) return $"{ca.Subject} lacks keyUsage keyCertSign";
            var below = path.Skip(1).Take(i - 1).Count(c => !c.IsSelfIssued);
            if (below > pathLen) return $"{ca.Subject} allows {pathLen} intermediate CA(s) below it, the path has {below}";
        }
        foreach (var c in path)
        {
            if (c.IsAnchor) continue;
            var critical = c.Bc.GetCriticalExtensionOids();
            if (critical is null) continue;
            foreach (var oid in critical)
                if (oid is string s && !KnownCritical.Contains(s)) return $"{c.Subject} has an unsupported critical extension {s}";
        }
        return null;
    }

    // EKUs that allow signing documents: any, emailProtection, clientAuth (common on Vietnamese token
    // certificates), documentSigning (RFC 9336), Microsoft document signing, Adobe Authentic Documents Trust.
    static readonly HashSet<string> DocumentSigningUsages =
        ["2.5.29.37.0", "1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.36", "1.3.6.1.4.1.311.10.3.12", "1.2.840.113583.1.1.5"];

    const string TimeStampingUsage = "1.3.6.1.5.5.7.3.8";
    public const string OcspSigningUsage = "1.3.6.1.5.5.7.3.9";

    /// <summary>Rule 17 (and RFC 3161 §2.3 for a TSA): what the end-entity key may be used for; null when fine.</summary>
    public static string? UsageProblem(Cert leaf, Purpose purpose)
    {
        var usage = leaf.Bc.GetKeyUsage();
        if (usage is not null && !usage[0] && !usage[1])
            return $"{leaf.Subject} keyUsage has neither digitalSignature nor nonRepudiation";
        var eku = ExtendedKeyUsages(leaf);
        switch (purpose)
        {
            case Purpose.DocumentSigning:
                if (eku is not null && !eku.Any(DocumentSigningUsages.Contains))
                    return $"{leaf.Subject} extendedKeyUsage does not allow signing documents";
                break;
            case Purpose.Timestamping:
                var critical = leaf.Bc.GetCriticalExtensionOids()?.Cast<object>().Any(o => (o as string) == "2.5.29.37") == true;
                if (eku is not [TimeStampingUsage] || !critical)
                    return $"{leaf.Subject} is not a TSA certificate (extendedKeyUsage must be timeStamping only, critical)";
                break;
            case Purpose.OcspSigning:
                if (eku is null || !eku.Contains(OcspSigningUsage)) return $"{leaf.Subject} lacks extendedKeyUsage OCSPSigning";
                break;
        }
        return null;
    }

    public static List<string>? ExtendedKeyUsages(Cert c)
    {
        try { return c.Bc.GetExtendedKeyUsage()?.Cast<object>().Select(o => o.ToString() ?? "").ToList(); }
        catch (Exception e) when (e is not OutOfMemoryException) { return []; }   // unreadable EKU: allows nothing
    }
}
