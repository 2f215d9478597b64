using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace Portal.Core.Signatures;

internal enum SignatureScheme { Unknown, RsaPkcs1, RsaPss, Ecdsa, Ed25519, Ed448 }

/// <summary>
/// A signature algorithm as used by one SignerInfo or certificate. <see cref="Hash"/> is the digest inside the
/// signature (RSA, ECDSA); pure EdDSA has none. PSS carries its own parameters.
/// </summary>
internal sealed record SignatureAlgorithm(SignatureScheme Scheme, HashAlgorithmName? Hash, string Name)
{
    public HashAlgorithmName? MgfHash { get; init; }
    public int SaltLength { get; init; }
}

internal enum DigestStrength { Accepted, Sha1, Weak }

/// <summary>Algorithm identifiers, signature verification and the policy table of SIGNATURES.md §2.</summary>
internal static class Algorithms
{
    static readonly Dictionary<string, HashAlgorithmName> DigestOids = new()
    {
        ["1.3.14.3.2.26"] = HashAlgorithmName.SHA1,
        ["2.16.840.1.101.3.4.2.4"] = new("SHA224"),
        ["2.16.840.1.101.3.4.2.1"] = HashAlgorithmName.SHA256,
        ["2.16.840.1.101.3.4.2.2"] = HashAlgorithmName.SHA384,
        ["2.16.840.1.101.3.4.2.3"] = HashAlgorithmName.SHA512,
        ["2.16.840.1.101.3.4.2.12"] = SignedContent.Shake256,    // id-shake256: 512-bit output in CMS (RFC 8419)
        ["1.2.840.113549.2.5"] = HashAlgorithmName.MD5,
    };

    const string Shake256Len = "2.16.840.1.101.3.4.2.18";        // id-shake256-len with the output length in bits (RFC 8702)

    /// <summary>The digest an AlgorithmIdentifier names, or null when unknown.</summary>
    public static HashAlgorithmName? Digest(AlgorithmIdentifier id)
    {
        var oid = id.Algorithm.Id;
        if (DigestOids.TryGetValue(oid, out var name)) return name;
        if (oid == Shake256Len && id.Parameters is DerInteger bits && bits.Value.IntValue == 512) return SignedContent.Shake256;
        return null;
    }

    public static string Display(HashAlgorithmName h) => h.Name switch
    {
        "SHA1" => "SHA-1",
        "SHA224" => "SHA-224",
        "SHA256" => "SHA-256",
        "SHA384" => "SHA-384",
        "SHA512" => "SHA-512",
        _ => h.Name ?? "?",
    };

    static string? OidOf(HashAlgorithmName h) => DigestOids.FirstOrDefault(p => p.Value == h).Key;

    public static bool CanCompute(HashAlgorithmName h) => h.Name is "SHA1" or "SHA224" or "SHA256" or "SHA384" or "SHA512" or "SHAKE256";

    public static DigestStrength Strength(HashAlgorithmName h, SignaturePolicy policy) =>
        policy.AcceptedDigests.Contains(h.Name ?? "") || h == SignedContent.Shake256 ? DigestStrength.Accepted
        : h == HashAlgorithmName.SHA1 ? DigestStrength.Sha1
        : DigestStrength.Weak;

    /// <summary>The signature algorithm of a SignerInfo or certificate; <paramref name="digest"/> fills in bare RSA and EC OIDs.</summary>
    public static SignatureAlgorithm Signature(AlgorithmIdentifier sigAlg, HashAlgorithmName? digest)
    {
        var oid = sigAlg.Algorithm.Id;
        switch (oid)
        {
            case "1.2.840.113549.1.1.1": return new(SignatureScheme.RsaPkcs1, digest, "RSA PKCS#1 v1.5");
            case "1.2.840.113549.1.1.4": return new(SignatureScheme.RsaPkcs1, HashAlgorithmName.MD5, "RSA PKCS#1 v1.5");
            case "1.2.840.113549.1.1.5": return new(SignatureScheme.RsaPkcs1, HashAlgorithmName.SHA1, "RSA PKCS#1 v1.5");
            case "1.2.840.113549.1.1.14": return new(SignatureScheme.RsaPkcs1, new HashAlgorithmName("SHA224"), "RSA PKCS#1 v1.5");
            case "1.2.840.113549.1.1.11": return new(SignatureScheme.RsaPkcs1, HashAlgorithmName.SHA256, "RSA PKCS#1 v1.5");
            case "1.2.840.113549.1.1.12": return new(SignatureScheme.RsaPkcs1, HashAlgorithmName.SHA384, "RSA PKCS#1 v1.5");
            case "1.2.840.113549.1.1.13": return new(SignatureScheme.RsaPkcs1, HashAlgorithmName.SHA512, "RSA PKCS#1 v1.5");
            case "1.2.840.10045.2.1": return new(SignatureScheme.Ecdsa, digest, "ECDSA");   // ecPublicKey, seen in some CMS
            case "1.2.840.10045.4.1": return new(SignatureScheme.Ecdsa, HashAlgorithmName.SHA1, "ECDSA");
            case "1.2.840.10045.4.3.1": return new(SignatureScheme.Ecdsa, new HashAlgorithmName("SHA224"), "ECDSA");
            case "1.2.840.10045.4.3.2": return new(SignatureScheme.Ecdsa, HashAlgorithmName.SHA256, "ECDSA");
            case "1.2.840.10045.4.3.3": return new(SignatureScheme.Ecdsa, HashAlgorithmName.SHA384, "ECDSA");
            case "1.2.840.10045.4.3.4": return new(SignatureScheme.Ecdsa, HashAlgorithmName.SHA512, "ECDSA");
            case "1.3.101.112": return new(SignatureScheme.Ed25519, null, "Ed25519");
            case "1.3.101.113": return new(SignatureScheme.Ed448, null, "Ed448");
            case "1.2.840.113549.1.1.10":
                try
                {
                    // RFC 4055 defaults: SHA-1, MGF1 with SHA-1, salt 20, trailer 1.
                    var p = sigAlg.Parameters is null ? new RsassaPssParameters() : RsassaPssParameters.GetInstance(sigAlg.Parameters);
                    if (p.TrailerField.Value.IntValue != 1 || !p.MaskGenAlgorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdMgf1)) break;
                    var mgf = Digest(AlgorithmIdentifier.GetInstance(p.MaskGenAlgorithm.Parameters));
                    return new(SignatureScheme.RsaPss, Digest(p.HashAlgorithm), "RSA-PSS") { MgfHash = mgf, SaltLength = p.SaltLength.Value.IntValue };
                }
                catch (Exception e) when (e is ArgumentException or InvalidCastException) { break; }
        }
        return new(SignatureScheme.Unknown, digest, oid);
    }

    /// <summary>
    /// Verifies <paramref name="signature"/> by <paramref name="signer"/>'s key over <paramref name="message"/> (the
    /// signed attributes, a TBS structure, or the content when there are no signed attributes). RSA and ECDSA
    /// verify the message digest, which SignedContent caches, so a signature without signed attributes does not hash
    /// the content twice; EdDSA signs the message itself. RSA and ECDSA go through .NET (OpenSSL), about fifty times
    /// faster than BouncyCastle's managed arithmetic; BouncyCastle handles EdDSA, SHA-224 and unusual PSS parameters.
    /// </summary>
    public static bool Verify(Cert signer, SignatureAlgorithm alg, SignedContent message, byte[] signature)
    {
        try
        {
            switch (alg.Scheme)
            {
                case SignatureScheme.RsaPkcs1 when alg.Hash is { } h && DotNetHash(h):
                    if (signer.WithDotNetKey<RSA>(k => k.VerifyHash(message.Digest(h), signature, h, RSASignaturePadding.Pkcs1)) == true) return true;
                    // OpenSSL refuses a DigestInfo whose NULL parameters are omitted, which some signers write.
                    return VerifyBc(signer.Key, alg, message, signature);
                case SignatureScheme.RsaPss when alg.Hash is { } h && DotNetHash(h) && alg.MgfHash == h && alg.SaltLength == message.Digest(h).Length:
                    return signer.WithDotNetKey<RSA>(k => k.VerifyHash(message.Digest(h), signature, h, RSASignaturePadding.Pss))
                           ?? VerifyBc(signer.Key, alg, message, signature);
                case SignatureScheme.Ecdsa when alg.Hash is { } h && DotNetHash(h):
                    return signer.WithDotNetKey<ECDsa>(k => k.VerifyHash(message.Digest(h), signature, DSASignatureFormat.Rfc3279DerSequence))
                           ?? VerifyBc(signer.Key, alg, message, signature);
                default:
                    return VerifyBc(signer.Key, alg, message, signature);
            }
        }
        catch (CryptographicException)
        {
            return VerifyBc(signer.Key, alg, message, signature);
        }
    }

    static bool DotNetHash(HashAlgorithmName h) => h.Name is "SHA1" or "SHA256" or "SHA384" or "SHA512";

    static bool VerifyBc(AsymmetricKeyParameter? key, SignatureAlgorithm alg, SignedContent message, byte[] signature)
    {
        try
        {
            switch (alg.Scheme)
            {
                case SignatureScheme.RsaPkcs1 when key is RsaKeyParameters && alg.Hash is { } h && CanCompute(h) && OidOf(h) is { } oid:
                {
                    var signer = new RsaDigestSigner(new NullDigest(), new DerObjectIdentifier(oid));
                    return VerifyDigest(signer, key, message.Digest(h), signature);
                }
                case SignatureScheme.RsaPss when key is RsaKeyParameters && alg.Hash is { } h && alg.MgfHash is { } m && CanCompute(h) && OidOf(h) is { } oid && OidOf(m) is { } mgfOid:
                {
                    var signer = PssSigner.CreateRawSigner(new RsaBlindedEngine(), DigestUtilities.GetDigest(new DerObjectIdentifier(oid)),
                        DigestUtilities.GetDigest(new DerObjectIdentifier(mgfOid)), alg.SaltLength, PssSigner.TrailerImplicit);
                    return VerifyDigest(signer, key, message.Digest(h), signature);
                }
                case SignatureScheme.Ecdsa when key is ECPublicKeyParameters && alg.Hash is { } h && CanCompute(h):
                    return VerifyDigest(new DsaDigestSigner(new ECDsaSigner(), new NullDigest()), key, message.Digest(h), signature);
                case SignatureScheme.Ed25519 when key is Ed25519PublicKeyParameters:
                    return VerifyMessage(new Ed25519Signer(), key, message, signature);
                case SignatureScheme.Ed448 when key is Ed448PublicKeyParameters:
                    return VerifyMessage(new Ed448Signer([]), key, message, signature);
                default:
                    return false;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;     // malformed signature values and keys are a failed verification, not a crash
        }
    }

    /// <summary>
    /// X.509-style signed structures — certificates, CRLs, BasicOCSPResponse — are SEQUENCE { tbs,
    /// signatureAlgorithm, signature BIT STRING, … }: verifies the signature over the tbs bytes as received.
    /// </summary>
    public static bool VerifySigned(byte[] der, Cert signer)
    {
        try
        {
            var nonDer = false;
            var outer = Der.Read(der, 0, der.Length, ref nonDer, validate: false);
            var parts = Der.Children(der, outer);
            if (parts.Count < 3 || parts[2].Tag != 0x03 || parts[2].ContentLength < 1 || der[parts[2].ContentStart] != 0) return false;
            var algorithm = AlgorithmIdentifier.GetInstance(Asn1Object.FromByteArray(Der.Bytes(der, parts[1])));
            var signature = der[(parts[2].ContentStart + 1)..parts[2].ContentEnd];
            var tbs = SignedContent.FromBytes(der.AsMemory(parts[0].Start, parts[0].End - parts[0].Start));
            return Verify(signer, Signature(algorithm, null), tbs, signature);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    /// <summary>Whether <see cref="Verify"/> can handle this pairing at all (else the result is unknown, not false).</summary>
    public static bool Supported(Cert signer, SignatureAlgorithm alg) => alg.Scheme switch
    {
        SignatureScheme.RsaPkcs1 => signer.Key is RsaKeyParameters && alg.Hash is { } h && CanCompute(h),
        SignatureScheme.RsaPss => signer.Key is RsaKeyParameters && alg.Hash is { } h && CanCompute(h) && alg.MgfHash is { } m && CanCompute(m),
        SignatureScheme.Ecdsa => signer.Key is ECPublicKeyParameters && alg.Hash is { } h && CanCompute(h),
        SignatureScheme.Ed25519 => signer.Key is Ed25519PublicKeyParameters,
        SignatureScheme.Ed448 => signer.Key is Ed448PublicKeyParameters,
        _ => false,
    };

    static bool VerifyDigest(ISigner signer, AsymmetricKeyParameter key, byte[] digest, byte[] signature)
    {
        signer.Init(false, key);
        signer.BlockUpdate(digest, 0, digest.Length);
        return signer.VerifySignature(signature);
    }

    static bool VerifyMessage(ISigner signer, AsymmetricKeyParameter key, SignedContent message, byte[] signature)
    {
        signer.Init(false, key);
        foreach (var segment in message.Segments)
        {
            var bytes = segment.ToArray();
            signer.BlockUpdate(bytes, 0, bytes.Length);
        }
        return signer.VerifySignature(signature);
    }

    /// <summary>"RSA 2048", "ECDSA P-256", "Ed25519".</summary>
    public static string KeyDescription(Cert cert) => cert.Key switch
    {
        RsaKeyParameters rsa => $"RSA {rsa.Modulus.BitLength}",
        ECPublicKeyParameters ec => "ECDSA " + CurveName(cert, ec),
        Ed25519PublicKeyParameters => "Ed25519",
        Ed448PublicKeyParameters => "Ed448",
        DsaPublicKeyParameters dsa => $"DSA {dsa.Parameters.P.BitLength}",
        _ => "không xác định (" + cert.Bc.CertificateStructure.SubjectPublicKeyInfo.AlgorithmID.Algorithm.Id + ")",
    };

    static string CurveName(Cert cert, ECPublicKeyParameters ec)
    {
        var oid = ec.PublicKeyParamSet?.Id ?? (cert.Bc.CertificateStructure.SubjectPublicKeyInfo.AlgorithmID.Parameters as DerObjectIdentifier)?.Id;
        return oid switch
        {
            "1.2.840.10045.3.1.7" => "P-256",
            "1.3.132.0.34" => "P-384",
            "1.3.132.0.35" => "P-521",
            "1.3.132.0.10" => "secp256k1",
            _ => $"{ec.Parameters.Curve.FieldSize} bit",
        };
    }

    /// <summary>Why a key is below policy (§2, R-K3), or null when it is acceptable.</summary>
    public static string? KeyProblem(Cert cert, SignaturePolicy policy) => cert.Key switch
    {
        RsaKeyParameters rsa when rsa.Modulus.BitLength < policy.MinRsaBits => $"RSA key of {rsa.Modulus.BitLength} bits is below {policy.MinRsaBits}",
        RsaKeyParameters => null,
        ECPublicKeyParameters ec when ec.Parameters.Curve.FieldSize < policy.MinEcBits => $"EC key of {ec.Parameters.Curve.FieldSize} bits is below {policy.MinEcBits}",
        ECPublicKeyParameters => null,
        Ed25519PublicKeyParameters or Ed448PublicKeyParameters => null,
        _ => "key algorithm " + KeyDescription(cert) + " is not accepted",
    };
}
