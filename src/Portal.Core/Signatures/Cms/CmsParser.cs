using System.Formats.Asn1;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;

namespace Portal.Core.Signatures;

/// <summary>The CMS or one of its parts cannot be processed: TOTAL-FAILED FORMAT_FAILURE.</summary>
internal sealed class CmsFormatException(string message) : Exception(message);

/// <summary>One BER/DER element. For an indefinite length, the content ends before the end-of-contents octets.</summary>
internal readonly record struct Tlv(int Start, int HeaderLength, int ContentLength, byte Tag, bool Indefinite)
{
    public int ContentStart => Start + HeaderLength;
    public int ContentEnd => ContentStart + ContentLength;
    public int End => ContentEnd + (Indefinite ? 2 : 0);
    public bool Constructed => (Tag & 0x20) != 0;
}

/// <summary>
/// A small BER/DER reader over raw bytes. BouncyCastle parses the values; this reader keeps the exact bytes that
/// were received, which the signature over the signed attributes and the "nothing but zero padding" rule need.
/// </summary>
internal static class Der
{
    const int MaxDepth = 48;

    /// <summary>
    /// Reads the element at <paramref name="pos"/>. With <paramref name="validate"/>, every element inside is read
    /// too, so a malformed nested length is caught here. <paramref name="nonDer"/> is set on BER-only encodings
    /// (indefinite or non-minimal lengths).
    /// </summary>
    public static Tlv Read(ReadOnlySpan<byte> data, int pos, int limit, ref bool nonDer, bool validate, int depth = 0)
    {
        if (depth > MaxDepth) throw new CmsFormatException("ASN.1 nesting too deep");
        var p = pos;
        if (p >= limit) throw new CmsFormatException("ASN.1 element truncated");
        var tag = data[p++];
        if ((tag & 0x1F) == 0x1F)
        {
            // High tag numbers do not occur in CMS or X.509 but are legal BER: skip the tag number octets.
            do { if (p >= limit) throw new CmsFormatException("ASN.1 tag truncated"); } while ((data[p++] & 0x80) != 0);
        }
        if (p >= limit) throw new CmsFormatException("ASN.1 length truncated");
        int first = data[p++];
        if (first == 0x80)
        {
            if ((tag & 0x20) == 0) throw new CmsFormatException("indefinite length on a primitive element");
            nonDer = true;
            var header = p - pos;
            var q = p;
            while (true)
            {
                if (q + 2 > limit) throw new CmsFormatException("indefinite-length element without end-of-contents");
                if (data[q] == 0 && data[q + 1] == 0) break;
                var child = Read(data, q, limit, ref nonDer, validate, depth + 1);
                q = child.End;
            }
            return new Tlv(pos, header, q - p, tag, true);
        }
        long length;
        if (first < 0x80) length = first;
        else
        {
            var n = first & 0x7F;
            if (n > 4) throw new CmsFormatException("ASN.1 length too large");
            if (p + n > limit) throw new CmsFormatException("ASN.1 length truncated");
            length = 0;
            for (var i = 0; i < n; i++) length = (length << 8) | data[p++];
            if (data[p - n] == 0 || length < 0x80) nonDer = true;     // DER uses the shortest form
        }
        if (length > limit - p) throw new CmsFormatException("ASN.1 element longer than its container");
        var tlv = new Tlv(pos, p - pos, (int)length, tag, false);
        if (tag == 0 && length == 0) throw new CmsFormatException("unexpected end-of-contents");
        if (validate && tlv.Constructed)
        {
            var q = tlv.ContentStart;
            while (q < tlv.ContentEnd) q = Read(data, q, tlv.ContentEnd, ref nonDer, true, depth + 1).End;
        }
        return tlv;
    }

    public static List<Tlv> Children(ReadOnlySpan<byte> data, Tlv parent)
    {
        if (!parent.Constructed) throw new CmsFormatException("expected a constructed element");
        var list = new List<Tlv>();
        var ignored = false;
        for (var q = parent.ContentStart; q < parent.ContentEnd;)
        {
            var child = Read(data, q, parent.ContentEnd, ref ignored, false);
            list.Add(child);
            q = child.End;
        }
        return list;
    }

    public static byte[] Bytes(ReadOnlySpan<byte> data, Tlv tlv) => data[tlv.Start..tlv.End].ToArray();

    public static string Oid(ReadOnlySpan<byte> data, Tlv tlv)
    {
        if (tlv.Tag != 0x06) throw new CmsFormatException("expected an OBJECT IDENTIFIER");
        try { return AsnDecoder.ReadObjectIdentifier(data[tlv.Start..tlv.End], AsnEncodingRules.BER, out _); }
        catch (AsnContentException) { throw new CmsFormatException("malformed OBJECT IDENTIFIER"); }
    }

    /// <summary>The octets of an OCTET STRING, primitive or (BER) constructed from segments.</summary>
    public static byte[] OctetString(ReadOnlySpan<byte> data, Tlv tlv)
    {
        if (tlv.Tag == 0x04) return data[tlv.ContentStart..tlv.ContentEnd].ToArray();
        if (tlv.Tag != 0x24) throw new CmsFormatException("expected an OCTET STRING");
        var parts = new List<byte>();
        foreach (var child in Children(data, tlv)) parts.AddRange(OctetString(data, child));
        return [.. parts];
    }

    /// <summary>X.690 §11.6: a DER SET OF lists its elements in ascending order of their encodings, zero-padded.</summary>
    public static bool InSetOrder(ReadOnlySpan<byte> data, List<Tlv> elements)
    {
        for (var i = 1; i < elements.Count; i++)
            if (Compare(data[elements[i - 1].Start..elements[i - 1].End], data[elements[i].Start..elements[i].End]) > 0) return false;
        return true;
    }

    static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            int x = i < a.Length ? a[i] : 0, y = i < b.Length ? b[i] : 0;
            if (x != y) return x - y;
        }
        return 0;
    }
}

internal sealed record RawAttribute(string Oid, List<byte[]> Values);

/// <summary>A SignerInfo with the bytes its signature covers.</summary>
internal sealed class ParsedSigner
{
    public required SignerInfo Info { get; init; }
    /// <summary>The signed attributes re-tagged as SET (0x31) and otherwise exactly as received; null when absent.</summary>
    public byte[]? SignedAttributes { get; init; }
    public bool SignedAttributesInDerOrder { get; init; } = true;
    public List<RawAttribute> Signed { get; init; } = [];
    public List<RawAttribute> Unsigned { get; init; } = [];

    public RawAttribute? SignedAttribute(string oid) => Signed.FirstOrDefault(a => a.Oid == oid);
}

/// <summary>A CMS SignedData, checked for structure and cut to its length.</summary>
internal sealed class ParsedCms
{
    public required string EContentType { get; init; }
    /// <summary>Null when eContent is absent (detached).</summary>
    public byte[]? EContent { get; init; }
    public List<byte[]> Certificates { get; } = [];
    public List<byte[]> Crls { get; } = [];
    public List<byte[]> OcspResponses { get; } = [];
    public List<ParsedSigner> Signers { get; } = [];
    /// <summary>Indefinite or non-minimal lengths were found (BER, not DER).</summary>
    public bool NonDer { get; init; }
}

internal static class CmsParser
{
    public const string SignedDataOid = "1.2.840.113549.1.7.2";
    const string OcspResponseFormat = "1.3.6.1.5.5.7.16.2";   // id-ri-ocsp-response (RFC 5940)

    /// <summary>
    /// SIGNATURES.md §3.4 rule 9: the outer SEQUENCE is read with its own length and everything after it must be
    /// zero (PDFs pad /Contents with zeros); every nested length must fit its container.
    /// </summary>
    public static ParsedCms Parse(ReadOnlySpan<byte> data)
    {
        var nonDer = false;
        var outer = Der.Read(data, 0, data.Length, ref nonDer, validate: true);
        if (outer.Tag != 0x30) throw new CmsFormatException("not a ContentInfo SEQUENCE");
        foreach (var b in data[outer.End..])
            if (b != 0) throw new CmsFormatException("non-zero bytes after the CMS");
        var ci = Der.Children(data, outer);
        if (ci.Count != 2 || Der.Oid(data, ci[0]) != SignedDataOid || ci[1].Tag != 0xA0)
            throw new CmsFormatException("ContentInfo is not signedData");
        var wrapped = Der.Children(data, ci[1]);
        if (wrapped.Count != 1 || wrapped[0].Tag != 0x30) throw new CmsFormatException("malformed SignedData");
        var sd = Der.Children(data, wrapped[0]);

        var i = 0;
        Expect(sd, i++, 0x02, "SignedData version");
        Expect(sd, i++, 0x31, "digestAlgorithms");
        var encap = Der.Children(data, Expect(sd, i++, 0x30, "encapContentInfo"));
        if (encap.Count is < 1 or > 2) throw new CmsFormatException("malformed encapContentInfo");
        var eContentType = Der.Oid(data, encap[0]);
        byte[]? eContent = null;
        if (encap.Count == 2)
        {
            if (encap[1].Tag != 0xA0) throw new CmsFormatException("malformed eContent");
            var inner = Der.Children(data, encap[1]);
            if (inner.Count != 1) throw new CmsFormatException("malformed eContent");
            eContent = Der.OctetString(data, inner[0]);
        }
        var cms = new ParsedCms { EContentType = eContentType, EContent = eContent, NonDer = nonDer };
        if (i < sd.Count && sd[i].Tag == 0xA0)
        {
            foreach (var c in Der.Children(data, sd[i]))
                if (c.Tag == 0x30) cms.Certificates.Add(Der.Bytes(data, c));   // other choices (attribute certificates) are ignored
            i++;
        }
        if (i < sd.Count && sd[i].Tag == 0xA1)
        {
            foreach (var c in Der.Children(data, sd[i]))
            {
                if (c.Tag == 0x30) cms.Crls.Add(Der.Bytes(data, c));
                else if (c.Tag == 0xA1)
                {
                    var other = Der.Children(data, c);
                    if (other.Count == 2 && Der.Oid(data, other[0]) == OcspResponseFormat) cms.OcspResponses.Add(Der.Bytes(data, other[1]));
                }
            }
            i++;
        }
        var signerInfos = Expect(sd, i++, 0x31, "signerInfos");
        if (i != sd.Count) throw new CmsFormatException("unexpected elements after signerInfos");
        foreach (var s in Der.Children(data, signerInfos))
            cms.Signers.Add(ParseSigner(data[s.Start..s.End]));
        return cms;
    }

    /// <summary>One SignerInfo (also used for countersignatures, which are SignerInfos in an unsigned attribute).</summary>
    public static ParsedSigner ParseSigner(ReadOnlySpan<byte> data)
    {
        var nonDer = false;
        var seq = Der.Read(data, 0, data.Length, ref nonDer, validate: true);
        if (seq.Tag != 0x30 || seq.End != data.Length) throw new CmsFormatException("malformed SignerInfo");
        var parts = Der.Children(data, seq);
        // version, sid, digestAlgorithm, [0] signedAttrs?, signatureAlgorithm, signature, [1] unsignedAttrs?
        if (parts.Count < 5) throw new CmsFormatException("SignerInfo has too few elements");
        byte[]? signedAttributes = null;
        var inOrder = true;
        var signed = new List<RawAttribute>();
        var unsigned = new List<RawAttribute>();
        var next = 3;
        if (parts[3].Tag == 0xA0)
        {
            var attrs = parts[3];
            if (attrs.Indefinite) throw new CmsFormatException("signed attributes are not DER-encoded");
            signedAttributes = Der.Bytes(data, attrs);
            signedAttributes[0] = 0x31;      // the signature covers the SET OF encoding (RFC 5652 §5.4)
            var elements = Der.Children(data, attrs);
            inOrder = Der.InSetOrder(data, elements);
            signed = Attributes(data, elements);
            next = 4;
        }
        if (parts.Count < next + 2 || parts[next].Tag != 0x30 || parts[next + 1].Tag != 0x04)
            throw new CmsFormatException("malformed SignerInfo signature");
        if (parts.Count > next + 2)
        {
            if (parts.Count != next + 3 || parts[next + 2].Tag != 0xA1) throw new CmsFormatException("unexpected elements in SignerInfo");
            unsigned = Attributes(data, Der.Children(data, parts[next + 2]));
        }
        SignerInfo info;
        try { info = SignerInfo.GetInstance(Asn1Object.FromByteArray(data.ToArray())); }
        catch (Exception e) when (e is not OutOfMemoryException) { throw new CmsFormatException("SignerInfo: " + e.Message); }
        return new ParsedSigner
        {
            Info = info, SignedAttributes = signedAttributes, SignedAttributesInDerOrder = inOrder, Signed = signed, Unsigned = unsigned,
        };
    }

    static List<RawAttribute> Attributes(ReadOnlySpan<byte> data, List<Tlv> elements)
    {
        var list = new List<RawAttribute>();
        foreach (var e in elements)
        {
            var parts = e.Tag == 0x30 ? Der.Children(data, e) : [];
            if (parts.Count != 2 || parts[1].Tag != 0x31) throw new CmsFormatException("malformed attribute");
            var values = new List<byte[]>();
            foreach (var v in Der.Children(data, parts[1])) values.Add(Der.Bytes(data, v));
            list.Add(new RawAttribute(Der.Oid(data, parts[0]), values));
        }
        return list;
    }

    static Tlv Expect(List<Tlv> items, int index, byte tag, string what)
    {
        if (index >= items.Count || items[index].Tag != tag) throw new CmsFormatException("missing or malformed " + what);
        return items[index];
    }
}
