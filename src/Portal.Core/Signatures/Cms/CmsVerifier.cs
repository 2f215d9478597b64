using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Portal.Core.Signatures;

/// <summary>
/// Verifies CMS SignedData (SIGNATURES.md §3.4–3.8, §5): one <see cref="SignerVerdict"/> per SignerInfo, with the
/// building blocks kept apart from the final indication. The first failing check sets the indication; the later
/// checks still run and are recorded. Parsed trust-store certificates are kept for the life of the instance, so
/// create one verifier per trust-store and policy version and reuse it; it is safe to share between threads.
/// </summary>
public sealed partial class CmsVerifier
{
    internal const string IdData = "1.2.840.113549.1.7.1";
    const string ContentTypeAttribute = "1.2.840.113549.1.9.3";
    const string MessageDigestAttribute = "1.2.840.113549.1.9.4";
    const string SigningTimeAttribute = "1.2.840.113549.1.9.5";
    const string CounterSignatureAttribute = "1.2.840.113549.1.9.6";
    const string SigningCertificateAttribute = "1.2.840.113549.1.9.16.2.12";
    const string SigningCertificateV2Attribute = "1.2.840.113549.1.9.16.2.47";
    const string RevocationArchivalAttribute = "1.2.840.113583.1.1.8";     // adbe-revocationInfoArchival
    const int MaxCounterSignatureDepth = 3;

    // Attributes that must occur once with one value (RFC 5652 §11, RFC 5035).
    static readonly string[] SingleValued =
        [ContentTypeAttribute, MessageDigestAttribute, SigningTimeAttribute, SigningCertificateAttribute, SigningCertificateV2Attribute];

    readonly SignaturePolicy policy;
    readonly IReadOnlyList<Cert> anchors;
    readonly IReadOnlyList<Cert> intermediates;

    // Certificates from earlier verifications, by SHA-256: the same CA chains arrive again and again, and parsing
    // plus key import cost more than the signature checks. Bounded: emptied when it grows past the limit.
    readonly ConcurrentDictionary<string, Cert> seen = new();
    const int MaxSeen = 1024;

    public CmsVerifier(TrustStore trust, SignaturePolicy policy)
    {
        this.policy = policy;
        anchors = [.. trust.Anchors.Select(a => Cert.TryParse(a.RawData, anchor: true)
                                               ?? throw new ArgumentException("Trust anchor cannot be parsed: " + a.Subject, nameof(trust)))];
        intermediates = [.. trust.Intermediates.Select(c => Cert.TryParse(c.RawData)).OfType<Cert>()];
    }

    enum Mode
    {
        Signature,
        /// <summary>The CMS is a PDF document time-stamp (ETSI.RFC3161).</summary>
        DocumentTimestamp,
        /// <summary>A signature-time-stamp token inside a SignerInfo, verified as proof of existence.</summary>
        EmbeddedTimestamp,
    }

    /// <summary>What one verification shares among its signers and their time-stamp tokens.</summary>
    sealed record Call(DateTimeOffset ValidationTime, CertPool Pool, RevocationSources Sources, CancellationToken Ct);

    /// <summary>
    /// Verifies every SignerInfo of <paramref name="cms"/> (DER, or PEM "PKCS7"/"CMS"). For the PDF kinds the list
    /// always has exactly one element. Bad input gives a FORMAT_FAILURE verdict, never an exception; only
    /// cancellation throws.
    /// </summary>
    public IReadOnlyList<SignerVerdict> Verify(ReadOnlyMemory<byte> cms, SignedContent? content, CmsKind kind, DateTimeOffset validationTime,
                                              DateTimeOffset? claimedTime = null, CmsEvidence? evidence = null, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            return VerifyCore(cms, content, kind, validationTime, claimedTime, evidence, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Input that BouncyCastle rejects in a way no earlier check caught: still a verdict, never a crash.
            return [FormatFailure(validationTime, $"unexpected {e.GetType().Name}: {e.Message}")];
        }
    }

    /// <summary>The eContent of an enveloping CMS (.p7m); false when there is none or the CMS cannot be read.</summary>
    public static bool TryExtractContent(ReadOnlyMemory<byte> cms, out byte[] content)
    {
        content = [];
        try
        {
            var der = Unpem(cms.Span);
            var parsed = CmsParser.Parse(der ?? cms.Span);
            if (parsed.EContent is not { Length: > 0 } e) return false;
            content = e;
            return true;
        }
        catch (Exception e) when (e is CmsFormatException or FormatException) { return false; }
    }

    static readonly byte[] SignedDataPrefix = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02];

    /// <summary>A cheap sniff: a DER/BER ContentInfo of signedData, or PEM "-----BEGIN PKCS7" / "-----BEGIN CMS".</summary>
    public static bool LooksLikeCms(ReadOnlySpan<byte> bytes)
    {
        var start = bytes.TrimStart(" \t\r\n"u8);
        if (start.StartsWith("-----BEGIN PKCS7"u8) || start.StartsWith("-----BEGIN CMS"u8)) return true;
        if (bytes.Length < 2 + SignedDataPrefix.Length || bytes[0] != 0x30) return false;
        var header = bytes[1] switch { < 0x80 => 2, 0x80 => 2, 0x81 => 3, 0x82 => 4, 0x83 => 5, 0x84 => 6, _ => -1 };
        return header > 0 && bytes.Length >= header + SignedDataPrefix.Length && bytes.Slice(header, SignedDataPrefix.Length).SequenceEqual(SignedDataPrefix);
    }

    static byte[]? Unpem(ReadOnlySpan<byte> bytes)
    {
        var start = bytes.TrimStart(" \t\r\n"u8);
        if (!start.StartsWith("-----BEGIN"u8)) return null;
        var text = System.Text.Encoding.ASCII.GetString(start);
        if (!PemEncoding.TryFind(text, out var fields)) throw new CmsFormatException("malformed PEM");
        var label = text[fields.Label];
        if (label is not ("PKCS7" or "CMS")) throw new CmsFormatException($"PEM label {label} is not PKCS7 or CMS");
        return Convert.FromBase64String(text[fields.Base64Data]);
    }

    IReadOnlyList<SignerVerdict> VerifyCore(ReadOnlyMemory<byte> cms, SignedContent? content, CmsKind kind, DateTimeOffset validationTime,
                                            DateTimeOffset? claimedTime, CmsEvidence? evidence, CancellationToken ct)
    {
        if (cms.Length > policy.MaxFileBytes) return [FormatFailure(validationTime, $"CMS of {cms.Length} bytes exceeds the policy limit")];
        ParsedCms parsed;
        try
        {
            var der = Unpem(cms.Span);
            parsed = CmsParser.Parse(der ?? cms.Span);
        }
        catch (Exception e) when (e is CmsFormatException or FormatException)
        {
            return [FormatFailure(validationTime, e.Message)];
        }

        var shared = new Shared();
        shared.Checks.Add($"format: SignedData with {parsed.Signers.Count} SignerInfo(s), {parsed.Certificates.Count} certificate(s), " +
                          $"{parsed.Crls.Count} CRL(s), {parsed.OcspResponses.Count} OCSP response(s), eContent {(parsed.EContent is null ? "absent" : parsed.EContent.Length + " bytes")}");
        if (parsed.NonDer) shared.Warn("Chữ ký không được mã hóa theo chuẩn DER (có độ dài không xác định hoặc không tối giản).", "format: BER encoding accepted");

        var pdf = kind is CmsKind.PdfCadesDetached or CmsKind.PdfPkcs7Detached or CmsKind.PdfPkcs7Sha1 or CmsKind.PdfDocTimestamp;
        if (parsed.Signers.Count == 0) return [FormatFailure(validationTime, "SignedData has no SignerInfo")];
        // §3.4 rule 9: a viewer may show one SignerInfo while a validator checks another, so PDF CMS have exactly one.
        if (pdf && parsed.Signers.Count != 1)
            shared.PreFailure = $"{parsed.Signers.Count} SignerInfos; a PDF signature must have exactly one";

        var mode = Mode.Signature;
        SignedContent? covered = content;
        switch (kind)
        {
            case CmsKind.PdfCadesDetached or CmsKind.PdfPkcs7Detached or CmsKind.Detached:
                if (kind != CmsKind.Detached && parsed.EContentType != IdData)
                    shared.PreFailure ??= $"eContentType {parsed.EContentType} is not id-data";
                if (parsed.EContent is { Length: > 0 })
                    shared.PreFailure ??= "a detached signature carries eContent (the signed data would be inside the CMS, not the file)";
                else if (parsed.EContent is not null)
                    shared.Warn("Chữ ký chứa trường nội dung (eContent) rỗng; hệ thống coi đây là chữ ký tách rời.", "format: empty eContent treated as absent");
                break;
            case CmsKind.PdfPkcs7Sha1:
                if (parsed.EContentType != IdData || parsed.EContent is not { Length: 20 })
                    shared.PreFailure ??= "adbe.pkcs7.sha1 needs eContent holding the 20-byte SHA-1 of the byte ranges";
                else covered = SignedContent.FromBytes(parsed.EContent);
                break;
            case CmsKind.PdfDocTimestamp:
                mode = Mode.DocumentTimestamp;
                if (parsed.EContentType != TstInfoContentType || parsed.EContent is not { Length: > 0 })
                    shared.PreFailure ??= "a document time-stamp must be an RFC 3161 token (eContent TSTInfo)";
                else covered = SignedContent.FromBytes(parsed.EContent);
                break;
            case CmsKind.Enveloping:
                if (parsed.EContent is { Length: > 0 } e) covered = SignedContent.FromBytes(e);
                else shared.Checks.Add("format: no eContent in an enveloping CMS; using the content given with it");
                break;
        }

        var certs = new List<Cert>();
        foreach (var der in parsed.Certificates.Concat(evidence?.Certificates ?? []))
            if (Intern(der) is { } c) certs.Add(c);
            else shared.Checks.Add("format: unreadable certificate ignored");
        var sources = new RevocationSources();
        foreach (var crl in parsed.Crls.Concat(evidence?.Crls ?? [])) sources.AddCrl(crl, shared.Checks);
        foreach (var ocsp in parsed.OcspResponses.Concat(evidence?.OcspResponses ?? [])) sources.AddOcsp(ocsp, shared.Checks);
        foreach (var ocsp in sources.Ocsps)
            foreach (var embedded in ocsp.GetCerts() ?? [])
                if (Intern(embedded.GetEncoded()) is { } c) certs.Add(c);
        if (policy.FetchRevocationOnline)
            shared.Checks.Add("revocation: online fetching (CRL distribution points, OCSP) is not implemented; only the data given is used");
        var call = new Call(validationTime, new CertPool(anchors, intermediates.Concat(certs)), sources, ct);

        var verdicts = new List<SignerVerdict>();
        foreach (var signer in pdf ? parsed.Signers.Take(1) : parsed.Signers)
        {
            ct.ThrowIfCancellationRequested();
            verdicts.Add(CheckSigner(call, parsed, signer, mode, kind, covered, content, claimedTime, isCounterSignature: false, shared));
            if (kind is CmsKind.Detached or CmsKind.Enveloping)
                AddCounterSignatures(call, parsed, signer, kind, claimedTime, shared, verdicts, 1);
        }
        return verdicts;
    }

    Cert? Intern(byte[] der)
    {
        if (seen.TryGetValue(Convert.ToHexString(SHA256.HashData(der)), out var known)) return known;
        if (Cert.TryParse(der) is not { } cert) return null;
        if (seen.Count >= MaxSeen) seen.Clear();
        return seen.GetOrAdd(cert.Sha256, cert);
    }

    /// <summary>§5: countersignatures sign the parent's signature value and are reported as verdicts of their own.</summary>
    void AddCounterSignatures(Call call, ParsedCms parsed, ParsedSigner parent, CmsKind kind, DateTimeOffset? claimedTime, Shared shared,
                              List<SignerVerdict> verdicts, int depth)
    {
        if (depth > MaxCounterSignatureDepth) return;
        foreach (var attribute in parent.Unsigned.Where(a => a.Oid == CounterSignatureAttribute))
            foreach (var value in attribute.Values)
            {
                ParsedSigner counter;
                try { counter = CmsParser.ParseSigner(value); }
                catch (CmsFormatException e)
                {
                    verdicts.Add(FormatFailure(call.ValidationTime, "countersignature: " + e.Message) with { IsCounterSignature = true });
                    continue;
                }
                var signatureValue = SignedContent.FromBytes(parent.Info.EncryptedDigest.GetOctets());
                verdicts.Add(CheckSigner(call, parsed, counter, Mode.Signature, kind, signatureValue, signatureValue, claimedTime, isCounterSignature: true, shared));
                AddCounterSignatures(call, parsed, counter, kind, claimedTime, shared, verdicts, depth + 1);
            }
    }

    /// <summary>Warnings and checks that belong to the whole CMS, copied into each verdict.</summary>
    sealed class Shared
    {
        public List<string> Warnings { get; } = [];
        public List<string> Checks { get; } = [];
        /// <summary>A CMS-level format failure; the signers are still checked so the building blocks are reported.</summary>
        public string? PreFailure { get; set; }

        public void Warn(string vietnamese, string check)
        {
            Warnings.Add(vietnamese);
            Checks.Add(check);
        }
    }
}
