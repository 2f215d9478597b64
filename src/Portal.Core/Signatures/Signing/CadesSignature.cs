using System.Formats.Asn1;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;

namespace Portal.Core.Signatures;

/// <summary>
/// Builds the detached CMS SignedData of a PAdES baseline signature (SIGNATURES.md §11.1 step 6–7): one SignerInfo,
/// the signed attributes content-type, message-digest and ESS signing-certificate-v2 — and deliberately no
/// signing-time, neither signed nor unsigned — the signer certificate and intermediates, and for B-T an RFC 3161
/// signature-time-stamp as the only unsigned attribute. Written with AsnWriter in DER, so the signed attributes are
/// in canonical order and only a hash ever reaches the key.
/// </summary>
public static class CadesSignature
{
    const string IdData = "1.2.840.113549.1.7.1";
    const string IdSignedData = "1.2.840.113549.1.7.2";
    const string IdContentType = "1.2.840.113549.1.9.3";
    const string IdMessageDigest = "1.2.840.113549.1.9.4";
    const string IdSigningCertificateV2 = "1.2.840.113549.1.9.16.2.47";
    const string IdSignatureTimeStamp = "1.2.840.113549.1.9.16.2.14";
    const string IdSha256 = "2.16.840.1.101.3.4.2.1";

    // One client for every timestamp request when the caller brings none: a new HttpClient per call leaks sockets.
    static readonly HttpClient DefaultHttp = new() { Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>
    /// The CMS for content whose SHA-256 is <paramref name="contentDigest"/>. With <paramref name="timestampAuthority"/>
    /// the signature value is timestamped (B-T); a failure to reach it throws, and the caller decides whether B-B will do.
    /// </summary>
    public static async Task<byte[]> BuildAsync(byte[] contentDigest, SigningKey key, Uri? timestampAuthority, HttpClient? http, CancellationToken ct)
    {
        var signedAttributes = SignedAttributes(contentDigest, key);
        var signature = key.Sign(signedAttributes);
        byte[]? token = timestampAuthority is null ? null : await TimestampAsync(signature, timestampAuthority, http ?? DefaultHttp, ct);
        return SignedData(key, signedAttributes, signature, token);
    }

    /// <summary>The DER SET OF signed attributes, exactly the bytes the signature covers.</summary>
    static byte[] SignedAttributes(byte[] contentDigest, SigningKey key)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSetOf())   // DER sorts the elements of a SET OF, as CMS requires for signed attributes
        {
            Attribute(w, IdContentType, v => v.WriteObjectIdentifier(IdData));
            Attribute(w, IdMessageDigest, v => v.WriteOctetString(contentDigest));
            Attribute(w, IdSigningCertificateV2, v =>
            {
                // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 with the default
                // hash algorithm (SHA-256, omitted in DER), the certificate hash and issuer + serial.
                using (v.PushSequence())
                using (v.PushSequence())
                using (v.PushSequence())
                {
                    v.WriteOctetString(SHA256.HashData(key.Certificate.RawData));
                    using (v.PushSequence())
                    {
                        using (v.PushSequence())
                        using (v.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
                            v.WriteEncodedValue(key.Certificate.IssuerName.RawData);
                        v.WriteInteger(key.Certificate.SerialNumberBytes.Span);
                    }
                }
            });
        }
        return w.Encode();
    }

    static void Attribute(AsnWriter w, string oid, Action<AsnWriter> value)
    {
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(oid);
            using (w.PushSetOf()) value(w);
        }
    }

    static byte[] SignedData(SigningKey key, byte[] signedAttributes, byte[] signature, byte[]? timestampToken)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(IdSignedData);
            using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            using (w.PushSequence())
            {
                w.WriteInteger(1);
                using (w.PushSetOf()) Sha256Algorithm(w);
                using (w.PushSequence()) w.WriteObjectIdentifier(IdData);   // detached: no eContent
                using (w.PushSetOf(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                {
                    w.WriteEncodedValue(key.Certificate.RawData);
                    foreach (var c in key.Chain) w.WriteEncodedValue(c.RawData);
                }
                using (w.PushSetOf())
                using (w.PushSequence())
                {
                    w.WriteInteger(1);
                    using (w.PushSequence())
                    {
                        w.WriteEncodedValue(key.Certificate.IssuerName.RawData);
                        w.WriteInteger(key.Certificate.SerialNumberBytes.Span);
                    }
                    Sha256Algorithm(w);
                    // [0] IMPLICIT SET OF Attribute: the same content as the signed bytes, under the context tag.
                    var implicitAttributes = (byte[])signedAttributes.Clone();
                    implicitAttributes[0] = 0xA0;
                    w.WriteEncodedValue(implicitAttributes);
                    using (w.PushSequence())
                    {
                        w.WriteObjectIdentifier(key.SignatureAlgorithmOid);
                        if (key.IsRsa) w.WriteNull();
                    }
                    w.WriteOctetString(signature);
                    if (timestampToken is not null)
                        using (w.PushSetOf(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
                            Attribute(w, IdSignatureTimeStamp, v => v.WriteEncodedValue(timestampToken));
                }
            }
        }
        return w.Encode();
    }

    static void Sha256Algorithm(AsnWriter w)
    {
        using (w.PushSequence()) w.WriteObjectIdentifier(IdSha256);
    }

    /// <summary>Asks an RFC 3161 authority to timestamp the signature value; returns the token (a CMS ContentInfo).</summary>
    static async Task<byte[]> TimestampAsync(byte[] signature, Uri authority, HttpClient http, CancellationToken ct)
    {
        var request = Rfc3161TimestampRequest.CreateFromHash(SHA256.HashData(signature), HashAlgorithmName.SHA256,
            nonce: RandomNumberGenerator.GetBytes(8), requestSignerCertificates: true);
        using var body = new ByteArrayContent(request.Encode());
        body.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        using var response = await http.PostAsync(authority, body, ct);
        response.EnsureSuccessStatusCode();
        var token = request.ProcessResponse(await response.Content.ReadAsByteArrayAsync(ct), out _);
        return token.AsSignedCms().Encode();
    }
}
