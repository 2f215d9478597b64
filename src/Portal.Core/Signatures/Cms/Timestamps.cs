using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Tsp;
using Org.BouncyCastle.Asn1.X509;

namespace Portal.Core.Signatures;

/// <summary>What an RFC 3161 TSTInfo says: when, over which digest, and which TSA (if it names itself).</summary>
internal sealed record TstInfoData(DateTimeOffset GenTime, HashAlgorithmName? ImprintAlgorithm, byte[] Imprint, string? Authority);

/// <summary>
/// RFC 3161 time-stamp tokens (SIGNATURES.md §3.6 rules 19–20). A token is a CMS SignedData over a TSTInfo, so it
/// is verified by the same SignerInfo checks as a signature, with the TSA rules: extended key usage timeStamping
/// (critical), a signing-certificate attribute, and an imprint that covers the time-stamped bytes.
/// </summary>
public sealed partial class CmsVerifier
{
    internal const string TstInfoContentType = "1.2.840.113549.1.9.16.1.4";
    internal const string SignatureTimeStampAttribute = "1.2.840.113549.1.9.16.2.14";

    sealed record TokenResult(bool Valid, DateTimeOffset? GenTime, string? Authority, string Check);

    /// <summary>
    /// A signature-time-stamp over <paramref name="signatureValue"/>. Valid only when every check passes; its TSA
    /// certificate is judged at genTime and its revocation is not checked (a known simplification).
    /// </summary>
    TokenResult VerifyToken(Call call, byte[] token, byte[] signatureValue)
    {
        ParsedCms parsed;
        try { parsed = CmsParser.Parse(token); }
        catch (CmsFormatException e) { return new(false, null, null, "token: " + e.Message); }
        if (parsed.Signers.Count != 1 || parsed.EContentType != TstInfoContentType || parsed.EContent is not { Length: > 0 })
            return new(false, null, null, "token: not a single-signer TSTInfo SignedData");

        var certs = parsed.Certificates.Select(Intern).OfType<Cert>();
        var tokenCall = call with { Pool = call.Pool.With(certs) };
        var verdict = CheckSigner(tokenCall, parsed, parsed.Signers[0], Mode.EmbeddedTimestamp, CmsKind.Detached,
                                  SignedContent.FromBytes(parsed.EContent), SignedContent.FromBytes(signatureValue), null, false, new Shared());
        if (verdict.Indication == Indication.TotalPassed) return new(true, verdict.TimestampTime, verdict.TimestampAuthority, "valid");
        // The check that decided the indication is the first one logged with its code.
        var reason = verdict.Checks.First(c => c.StartsWith(Indications.Code(verdict.SubIndication) + ":", StringComparison.Ordinal));
        return new(false, verdict.TimestampTime, verdict.TimestampAuthority, $"{Indications.Code(verdict.Indication)} {reason}");
    }

    static TstInfoData? ParseTstInfo(byte[] eContent)
    {
        try
        {
            var tst = TstInfo.GetInstance(Asn1Object.FromByteArray(eContent));
            string? authority = null;
            if (tst.Tsa is { TagNo: GeneralName.DirectoryName } name)
            {
                var x = X509Name.GetInstance(name.Name);
                authority = x.GetValueList(X509Name.CN).Cast<object>().FirstOrDefault()?.ToString() ?? x.ToString();
            }
            return new TstInfoData(Time.Utc(tst.GenTime.ToDateTime()), Algorithms.Digest(tst.MessageImprint.HashAlgorithm),
                                   tst.MessageImprint.GetHashedMessage(), authority);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }
}
