using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Core.Tests.Signatures;

/// <summary>How <see cref="TestPki.SignDetached"/> builds a CMS; the defaults are Portal's own PAdES B-B (§11.1 step 6).</summary>
public sealed record CmsOptions
{
    public HashAlgorithmName Digest { get; init; } = HashAlgorithmName.SHA256;
    public bool SignedAttributes { get; init; } = true;
    public bool SigningCertificateV2 { get; init; } = true;
    /// <summary>Adds a signing-time signed attribute (Portal's signer does not; other signers do).</summary>
    public DateTimeOffset? SigningTime { get; init; }
    /// <summary>RSASSA-PSS instead of PKCS#1 v1.5 (RSA signers only).</summary>
    public bool Pss { get; init; }
    /// <summary>Identify the signer by subject key identifier instead of issuer and serial number.</summary>
    public bool SubjectKeyIdentifier { get; init; }
    /// <summary>Put the content in eContent (enveloping, .p7m).</summary>
    public bool Enveloping { get; init; }
    /// <summary>An explicit eContent (an empty one, or adbe.pkcs7.sha1's SHA-1 of the ranges); the message digest then covers it.</summary>
    public byte[]? EContent { get; init; }
    public IReadOnlyList<byte[]> Crls { get; init; } = [];
    public IReadOnlyList<byte[]> OcspResponses { get; init; } = [];
    /// <summary>Carry the CRLs and OCSP responses in the signed attribute adbe-revocationInfoArchival instead of SignedData.</summary>
    public bool RevocationInSignedAttribute { get; init; }
    /// <summary>Makes a signature-time-stamp token from the signature value (e.g. <c>sig => pki.Timestamp(sig, at)</c>).</summary>
    public Func<byte[], byte[]>? Timestamp { get; init; }
    /// <summary>A second SignerInfo over the same content.</summary>
    public X509Certificate2? SecondSigner { get; init; }
    /// <summary>A countersignature over the (first) signature value.</summary>
    public X509Certificate2? CounterSigner { get; init; }
    /// <summary>False writes the signed attributes in insertion order even when that is not DER order.</summary>
    public bool SortSignedAttributes { get; init; } = true;
    /// <summary>The certificate embedded for the signer: null embeds the signer itself.</summary>
    public X509Certificate2? EmbeddedSigner { get; init; }
    /// <summary>False leaves the signer's certificate out of the CMS (it must then come from elsewhere).</summary>
    public bool EmbedSigner { get; init; } = true;
    /// <summary>Flips a bit of the signature value after signing.</summary>
    public bool CorruptSignature { get; init; }
}

public sealed partial class TestPki
{
    const string IdData = "1.2.840.113549.1.7.1";
    const string IdSignedData = "1.2.840.113549.1.7.2";

    /// <summary>
    /// A detached CMS SignedData over <paramref name="content"/> signed by <paramref name="signer"/> (which must hold
    /// its private key), embedding the signer and <paramref name="chain"/>. Default options give Portal's PAdES
    /// baseline: content-type, message-digest and signing-certificate-v2 signed attributes, SHA-256, no signing-time.
    /// </summary>
    public static byte[] SignDetached(byte[] content, X509Certificate2 signer, IEnumerable<X509Certificate2> chain, CmsOptions? options = null)
    {
        var o = options ?? new CmsOptions();
        var eContent = o.EContent ?? (o.Enveloping ? content : null);
        var covered = eContent is { Length: > 0 } ? eContent : content;
        var signers = new List<X509Certificate2> { signer };
        if (o.SecondSigner is not null) signers.Add(o.SecondSigner);
        var signerInfos = signers.Select((s, i) => SignerInfo(s, covered, o, counter: false, counterSigner: i == 0 ? o.CounterSigner : null)).ToList();

        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(IdSignedData);
            using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            using (w.PushSequence())
            {
                var otherRevocation = o.OcspResponses.Count > 0 && !o.RevocationInSignedAttribute;
                w.WriteInteger(otherRevocation ? 5 : o.SubjectKeyIdentifier ? 3 : 1);
                using (w.PushSetOf())
                    WriteAlgorithm(w, DigestOid(o.Digest));
                using (w.PushSequence())
                {
                    w.WriteObjectIdentifier(IdData);
                    if (eContent is not null)
                        using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
                            w.WriteOctetString(eContent);
                }
                var certs = new List<X509Certificate2>();
                if (o.EmbedSigner) certs.Add(o.EmbeddedSigner ?? signer);
                if (o.SecondSigner is not null) certs.Add(o.SecondSigner);
                if (o.CounterSigner is not null) certs.Add(o.CounterSigner);
                certs.AddRange(chain);
                w.WriteEncodedValue(Tlv(0xA0, [.. certs.DistinctBy(c => c.Thumbprint).SelectMany(c => c.RawData)]));
                if (!o.RevocationInSignedAttribute && (o.Crls.Count > 0 || o.OcspResponses.Count > 0))
                {
                    var revocation = o.Crls.SelectMany(c => c).Concat(o.OcspResponses.SelectMany(OtherRevocationInfo)).ToArray();
                    w.WriteEncodedValue(Tlv(0xA1, revocation));
                }
                w.WriteEncodedValue(Tlv(0x31, [.. signerInfos.SelectMany(s => s)]));
            }
        }
        return w.Encode();
    }

    /// <summary>An enveloping CMS (.p7m): the content travels in eContent.</summary>
    public static byte[] SignEnveloping(byte[] content, X509Certificate2 signer, IEnumerable<X509Certificate2> chain, CmsOptions? options = null) =>
        SignDetached(content, signer, chain, (options ?? new CmsOptions()) with { Enveloping = true });

    static byte[] SignerInfo(X509Certificate2 signer, byte[] covered, CmsOptions o, bool counter, X509Certificate2? counterSigner)
    {
        byte[]? signedAttributes = null;
        if (o.SignedAttributes)
        {
            var attrs = new List<byte[]>();
            if (!counter) attrs.Add(Attribute("1.2.840.113549.1.9.3", w => w.WriteObjectIdentifier(IdData)));
            attrs.Add(Attribute("1.2.840.113549.1.9.4", w => w.WriteOctetString(Hash(o.Digest, covered))));
            if (o.SigningTime is { } t) attrs.Add(Attribute("1.2.840.113549.1.9.5", w => w.WriteUtcTime(t)));
            if (o.SigningCertificateV2) attrs.Add(Attribute("1.2.840.113549.1.9.16.2.47", w => SigningCertificateV2(w, signer)));
            if (o.RevocationInSignedAttribute && !counter)
                attrs.Add(Attribute("1.2.840.113583.1.1.8", w => RevocationArchival(w, o)));
            signedAttributes = SetOf(attrs, o.SortSignedAttributes);
        }
        var signature = Sign(signer, signedAttributes ?? covered, o.Digest, o.Pss);
        if (o.CorruptSignature) signature[^5] ^= 0x01;

        var unsigned = new List<byte[]>();
        if (o.Timestamp is { } stamp && !counter)
            unsigned.Add(Attribute("1.2.840.113549.1.9.16.2.14", w => w.WriteEncodedValue(stamp(signature))));
        if (counterSigner is not null)
        {
            var counterInfo = SignerInfo(counterSigner, signature, o with { CorruptSignature = false, Timestamp = null }, counter: true, counterSigner: null);
            unsigned.Add(Attribute("1.2.840.113549.1.9.6", w => w.WriteEncodedValue(counterInfo)));
        }

        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteInteger(o.SubjectKeyIdentifier ? 3 : 1);
            if (o.SubjectKeyIdentifier)
            {
                var ski = signer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes;
                w.WriteOctetString(ski.Span, new Asn1Tag(TagClass.ContextSpecific, 0));
            }
            else
                using (w.PushSequence())
                {
                    w.WriteEncodedValue(signer.IssuerName.RawData);
                    w.WriteInteger(signer.SerialNumberBytes.Span);
                }
            WriteAlgorithm(w, DigestOid(o.Digest));
            if (signedAttributes is not null)
            {
                var tagged = (byte[])signedAttributes.Clone();
                tagged[0] = 0xA0;       // [0] IMPLICIT; the signature was made over the SET (0x31) encoding
                w.WriteEncodedValue(tagged);
            }
            WriteSignatureAlgorithm(w, signer, o.Digest, o.Pss);
            w.WriteOctetString(signature);
            if (unsigned.Count > 0)
            {
                var set = SetOf(unsigned, sort: true);
                set[0] = 0xA1;          // [1] IMPLICIT
                w.WriteEncodedValue(set);
            }
        }
        return w.Encode();
    }

    static byte[] Sign(X509Certificate2 signer, byte[] data, HashAlgorithmName digest, bool pss)
    {
        using var rsa = signer.GetRSAPrivateKey();
        if (rsa is not null) return rsa.SignData(data, digest, pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
        using var ec = signer.GetECDsaPrivateKey() ?? throw new InvalidOperationException("signer has no RSA or ECDSA private key");
        return ec.SignData(data, digest, DSASignatureFormat.Rfc3279DerSequence);
    }

    static void WriteSignatureAlgorithm(AsnWriter w, X509Certificate2 signer, HashAlgorithmName digest, bool pss)
    {
        if (signer.GetECDsaPublicKey() is not null)
        {
            WriteAlgorithm(w, digest.Name switch
            {
                "SHA1" => "1.2.840.10045.4.1", "SHA256" => "1.2.840.10045.4.3.2", "SHA384" => "1.2.840.10045.4.3.3", _ => "1.2.840.10045.4.3.4",
            });
            return;
        }
        if (!pss)
        {
            WriteAlgorithm(w, digest.Name switch
            {
                "SHA1" => "1.2.840.113549.1.1.5", "SHA256" => "1.2.840.113549.1.1.11", "SHA384" => "1.2.840.113549.1.1.12", _ => "1.2.840.113549.1.1.13",
            }, nullParameters: true);
            return;
        }
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier("1.2.840.113549.1.1.10");
            using (w.PushSequence())
            {
                using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0))) WriteAlgorithm(w, DigestOid(digest));
                using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1)))
                using (w.PushSequence())
                {
                    w.WriteObjectIdentifier("1.2.840.113549.1.1.8");      // MGF1
                    WriteAlgorithm(w, DigestOid(digest));
                }
                using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2))) w.WriteInteger(Hash(digest, []).Length);   // .NET salts with the hash length
            }
        }
    }

    static void SigningCertificateV2(AsnWriter w, X509Certificate2 signer)
    {
        using (w.PushSequence())                          // SigningCertificateV2
        using (w.PushSequence())                          // certs
        using (w.PushSequence())                          // ESSCertIDv2, hashAlgorithm defaults to SHA-256
        {
            w.WriteOctetString(SHA256.HashData(signer.RawData));
            using (w.PushSequence())                      // IssuerSerial
            {
                using (w.PushSequence())                  // GeneralNames
                using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4)))
                    w.WriteEncodedValue(signer.IssuerName.RawData);
                w.WriteInteger(signer.SerialNumberBytes.Span);
            }
        }
    }

    static void RevocationArchival(AsnWriter w, CmsOptions o)
    {
        using (w.PushSequence())
        {
            if (o.Crls.Count > 0)
                using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
                using (w.PushSequence())
                    foreach (var crl in o.Crls) w.WriteEncodedValue(crl);
            if (o.OcspResponses.Count > 0)
                using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1)))
                using (w.PushSequence())
                    foreach (var ocsp in o.OcspResponses) w.WriteEncodedValue(ocsp);
        }
    }

    static byte[] OtherRevocationInfo(byte[] ocspResponse)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1)))
        {
            w.WriteObjectIdentifier("1.3.6.1.5.5.7.16.2");     // id-ri-ocsp-response
            w.WriteEncodedValue(ocspResponse);
        }
        return w.Encode();
    }

    static byte[] Attribute(string oid, Action<AsnWriter> value)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(oid);
            using (w.PushSetOf()) value(w);
        }
        return w.Encode();
    }

    /// <summary>A SET OF from encoded elements, sorted as DER requires unless <paramref name="sort"/> is false.</summary>
    static byte[] SetOf(List<byte[]> elements, bool sort)
    {
        var ordered = sort ? elements.OrderBy(e => e, DerOrder.Instance).ToList() : elements;
        return Tlv(0x31, [.. ordered.SelectMany(e => e)]);
    }

    static byte[] Tlv(byte tag, byte[] content)
    {
        var length = content.Length;
        byte[] header = length < 0x80 ? [tag, (byte)length]
            : length < 0x100 ? [tag, 0x81, (byte)length]
            : length < 0x10000 ? [tag, 0x82, (byte)(length >> 8), (byte)length]
            : [tag, 0x83, (byte)(length >> 16), (byte)(length >> 8), (byte)length];
        return [.. header, .. content];
    }

    static void WriteAlgorithm(AsnWriter w, string oid, bool nullParameters = false)
    {
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(oid);
            if (nullParameters) w.WriteNull();
        }
    }

    static string DigestOid(HashAlgorithmName h) => h.Name switch
    {
        "SHA1" => "1.3.14.3.2.26",
        "SHA256" => "2.16.840.1.101.3.4.2.1",
        "SHA384" => "2.16.840.1.101.3.4.2.2",
        "SHA512" => "2.16.840.1.101.3.4.2.3",
        _ => throw new ArgumentException("unsupported digest " + h.Name),
    };

    static byte[] Hash(HashAlgorithmName h, byte[] data) => h.Name switch
    {
        "SHA1" => SHA1.HashData(data),
        "SHA256" => SHA256.HashData(data),
        "SHA384" => SHA384.HashData(data),
        "SHA512" => SHA512.HashData(data),
        _ => throw new ArgumentException("unsupported digest " + h.Name),
    };

    /// <summary>X.690 §11.6 order: encodings compared as octet strings, the shorter padded with zeros.</summary>
    sealed class DerOrder : IComparer<byte[]>
    {
        public static readonly DerOrder Instance = new();

        public int Compare(byte[]? a, byte[]? b)
        {
            a ??= [];
            b ??= [];
            for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
            {
                int x = i < a.Length ? a[i] : 0, y = i < b.Length ? b[i] : 0;
                if (x != y) return x - y;
            }
            return 0;
        }
    }
}
