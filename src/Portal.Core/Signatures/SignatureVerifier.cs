using System.Security.Cryptography;
using Portal.Core.Documents;
using Portal.Core.Signatures.Pdf;

namespace Portal.Core.Signatures;

/// <summary>A file that is neither a PDF nor a CMS signature: the caller says so in Vietnamese, naming the type found.</summary>
/// <param name="inSignature">True when it is the detached signature (.p7s) that has the wrong type, not the file.</param>
public sealed class UnsupportedDocumentException(FileType detected, bool inSignature, string message) : Exception(message)
{
    public FileType Detected { get; } = detected;
    public bool InSignature { get; } = inSignature;
}

/// <summary>
/// Verifies a PDF, a detached CMS (.p7s next to its file) or an enveloping CMS (.p7m) and produces one
/// <see cref="SignatureReport"/> (SIGNATURES.md §3, §5, §6, §7). The PDF structure (revisions, ByteRange, changes
/// after signing) comes from <see cref="PdfSignatureScan"/>, the cryptography, chain, time and revocation from
/// <see cref="CmsVerifier"/>; this class decides the order in which their findings set the final indication.
/// Bad input never escapes as an exception: it is a FORMAT_FAILURE or INDETERMINATE report within the time limit.
/// </summary>
public sealed class SignatureVerifier
{
    public const string ValidatorVersion = "portal-verifier/1.0";

    readonly CmsVerifier cms;
    readonly TimeProvider clock;
    readonly CmsEvidence? revocationCache;

    /// <param name="revocationCache">CRLs and OCSP responses Portal holds itself (SIGNATURES.md §3.7, source 3), used
    /// after what the file embeds.</param>
    public SignatureVerifier(TrustStore trust, SignaturePolicy policy, TimeProvider clock, CmsEvidence? revocationCache = null)
    {
        Trust = trust;
        Policy = policy;
        this.clock = clock;
        this.revocationCache = revocationCache;
        cms = new CmsVerifier(trust, policy);
    }

    public TrustStore Trust { get; }
    public SignaturePolicy Policy { get; }

    /// <summary>
    /// Verifies <paramref name="file"/> (with <paramref name="detachedSignature"/> when it is the content of a .p7s)
    /// at <paramref name="at"/> (default: now). Throws <see cref="UnsupportedDocumentException"/> when the file is
    /// not a PDF or CMS, and <see cref="OperationCanceledException"/> only when <paramref name="ct"/> is cancelled.
    /// </summary>
    public SignatureReport Verify(ReadOnlyMemory<byte> file, ReadOnlyMemory<byte>? detachedSignature = null,
        DateTimeOffset? at = null, CmsEvidence? evidence = null, CancellationToken ct = default)
    {
        var validatedAt = clock.GetUtcNow();
        evidence = Merge(evidence, revocationCache);
        var context = new Context(at ?? validatedAt, validatedAt, Convert.ToHexStringLower(SHA256.HashData(file.Span)), file.Length);
        var type = FileType.Detect(file.Span[..Math.Min(file.Length, 8192)]);

        if (detachedSignature is { } signature)
        {
            var signatureType = FileType.Detect(signature.Span[..Math.Min(signature.Length, 8192)]);
            if (signatureType != FileType.Cms)
                throw new UnsupportedDocumentException(signatureType, inSignature: true,
                    $"Tệp chữ ký không phải chữ ký CMS/PKCS#7 (.p7s) được hỗ trợ: tệp được nhận dạng là {signatureType.Label}.");
            return Guarded(context, "cms-detached", type.MediaType, ct, token =>
                VerifyCms(context, signature, SignedContent.FromBytes(file), CmsKind.Detached, "cms-detached", type.MediaType, null, evidence, token));
        }
        if (type == FileType.Pdf)
            return Guarded(context, "pdf", type.MediaType, ct, token => VerifyPdf(context, file, evidence, token));
        if (type == FileType.Cms)
        {
            if (CmsVerifier.TryExtractContent(file, out var content))
            {
                var contentSha = Convert.ToHexStringLower(SHA256.HashData(content));
                return Guarded(context, "cms-enveloping", FileType.Cms.MediaType, ct, token =>
                    VerifyCms(context, file, SignedContent.FromBytes(content), CmsKind.Enveloping, "cms-enveloping", "application/pkcs7-mime", contentSha, evidence, token));
            }
            // A .p7s on its own: the signed file is missing, so nothing can be checked (SIGNED_DATA_NOT_FOUND).
            return Document(context, "cms-detached", "application/pkcs7-signature", [], [
                "Tệp này là chữ ký tách rời (.p7s) và không chứa nội dung đã ký. Hãy tải lên cả tệp đã ký cùng tệp .p7s."],
                forced: (Indication.Indeterminate, SubIndication.SignedDataNotFound));
        }
        throw new UnsupportedDocumentException(type, inSignature: false,
            $"Tệp không phải tài liệu ký số được hỗ trợ (PDF hoặc chữ ký CMS .p7s/.p7m): tệp được nhận dạng là {type.Label}.");
    }

    sealed record Context(DateTimeOffset ValidationTime, DateTimeOffset ValidatedAt, string Sha256, long Size);

    SignatureReport Guarded(Context context, string format, string mediaType, CancellationToken ct, Func<CancellationToken, SignatureReport> verify)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(Policy.TimeLimit);
        try
        {
            return verify(limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Document(context, format, mediaType, [], [
                "Không kiểm tra xong chữ ký trong thời gian cho phép. Tệp có thể quá phức tạp hoặc bị hỏng; hãy thử lại hoặc gửi tệp khác."],
                forced: (Indication.Indeterminate, SubIndication.None));
        }
    }

    SignatureReport VerifyPdf(Context context, ReadOnlyMemory<byte> file, CmsEvidence? extra, CancellationToken ct)
    {
        var scan = PdfSignatureScan.Read(file, ct);
        if (scan.FormatProblem is { } problem && scan.Signatures.Count == 0)
            return Document(context, "pdf", FileType.Pdf.MediaType, [], [problem],
                forced: (Indication.TotalFailed, SubIndication.FormatFailure), revisions: scan.RevisionCount);

        var evidence = new CmsEvidence();
        evidence.Certificates.AddRange(scan.DssCertificates);
        evidence.Crls.AddRange(scan.DssCrls);
        evidence.OcspResponses.AddRange(scan.DssOcsps);
        if (extra is not null)
        {
            evidence.Certificates.AddRange(extra.Certificates);
            evidence.Crls.AddRange(extra.Crls);
            evidence.OcspResponses.AddRange(extra.OcspResponses);
        }

        var results = new List<SignatureResult>();
        foreach (var entry in scan.Signatures)
        {
            ct.ThrowIfCancellationRequested();
            results.Add(PdfSignature(context, file, scan, entry, results.Count, evidence, ct));
        }
        var problems = new List<string>(scan.Problems);
        if (scan.FormatProblem is not null) problems.Add(scan.FormatProblem);
        return Document(context, "pdf", FileType.Pdf.MediaType, results, problems, revisions: scan.RevisionCount,
            wholeFile: scan.Signatures.Count > 0 ? scan.Signatures[^1].CoversWholeFile : null);
    }

    SignatureResult PdfSignature(Context context, ReadOnlyMemory<byte> file, PdfSignatureScan scan, PdfSignatureEntry entry, int index,
        CmsEvidence evidence, CancellationToken ct)
    {
        var kind = entry.SubFilter switch
        {
            "ETSI.CAdES.detached" => CmsKind.PdfCadesDetached,
            "adbe.pkcs7.detached" => CmsKind.PdfPkcs7Detached,
            "adbe.pkcs7.sha1" => CmsKind.PdfPkcs7Sha1,
            "ETSI.RFC3161" => CmsKind.PdfDocTimestamp,
            _ => (CmsKind?)null,
        };
        // The scan has already refused unknown SubFilters, broken ranges and DocMDP violations (the latter folded into
        // "other"); this method only orders its findings against the CMS verdict.
        var problems = new List<string>(entry.StructureProblems);

        // The cryptography still runs when the structure is broken, so staff see whether the signed bytes are
        // intact even for a signature that fails (SIGNATURES.md §3: every check that can run is recorded). A
        // two-number ByteRange (one block from the start) is hashed as such: it fails on structure, but is reported.
        SignerVerdict? verdict = null;
        if (kind is { } k && entry.Contents is { Length: > 0 } contents && Signed(file, entry.ByteRange) is { } signed)
        {
            var verdicts = cms.Verify(contents, signed, k, context.ValidationTime, entry.ClaimedTime, evidence, ct);
            verdict = verdicts.Count > 0 ? verdicts[0] : null;
        }
        else if (problems.Count == 0)
            problems.Add("Chữ ký không có giá trị /Contents hoặc /ByteRange hợp lệ.");

        var modifications = entry.ModificationsAfter;
        if (modifications == ModificationLevel.Other)
            problems.Add("Sau khi ký, tài liệu đã bị thay đổi nội dung hiển thị (trang, phông chữ, đối tượng) — thay đổi không được phép.");

        // Structure first (ETSI format checking precedes every other building block): a signature over a document
        // that was changed afterwards fails whatever its certificate says.
        var (indication, sub) = problems.Count > 0
            ? (Indication.TotalFailed, SubIndication.FormatFailure)
            : verdict is null ? (Indication.TotalFailed, SubIndication.FormatFailure) : (verdict.Indication, verdict.SubIndication);

        var warnings = new List<string>(verdict?.Warnings ?? []);
        if (modifications == ModificationLevel.Annotations && problems.Count == 0)
            warnings.Add("Sau khi ký, tài liệu được thêm ghi chú (annotation); hãy xem kỹ các ghi chú có che nội dung không.");
        if (scan.Encrypted) warnings.Add("Tệp PDF được mã hóa.");

        return new SignatureResult
        {
            Index = index,
            Kind = entry.IsDocumentTimestamp ? "document-timestamp" : "signature",
            Indication = Indications.Code(indication),
            SubIndication = Indications.Code(sub),
            Message = indication == Indication.TotalPassed ? PassedMessage(modifications) : Indications.Reason(sub),
            Intact = verdict?.Intact,
            CryptoValid = verdict?.CryptoValid,
            Trusted = verdict?.Trusted ?? false,
            CoversWholeRevision = entry.CoversWholeRevision,
            CoversWholeFile = entry.CoversWholeFile,
            Revision = entry.Revision,
            ModificationsAfter = Indications.Code(modifications),
            ModificationDetails = entry.ModificationDetails,
            Signer = Summary(verdict?.Signer),
            Chain = Chain(verdict),
            SigningTime = verdict?.SigningTime ?? entry.ClaimedTime,
            SigningTimeSource = TimeSource(verdict, entry.ClaimedTime),
            ClaimedTime = entry.ClaimedTime ?? verdict?.ClaimedTime,
            BestSignatureTime = verdict?.BestSignatureTime ?? context.ValidationTime,
            TimestampTime = verdict?.TimestampTime,
            TimestampAuthority = verdict?.TimestampAuthority,
            FieldName = entry.FieldName,
            SubFilter = entry.SubFilter,
            ByteRange = entry.ByteRange,
            DigestAlgorithm = verdict?.DigestAlgorithm,
            SignatureAlgorithm = verdict?.SignatureAlgorithm,
            Key = verdict?.KeyDescription,
            Revocation = verdict?.RevocationStatus,
            SignerCertificateSha256 = verdict?.SignerCertificate is { } der ? Convert.ToHexStringLower(SHA256.HashData(der)) : null,
            Reason = entry.Reason,
            Location = entry.Location,
            Problems = problems,
            Warnings = warnings,
            Checks = verdict?.Checks ?? [],
        };
    }

    SignatureReport VerifyCms(Context context, ReadOnlyMemory<byte> cmsBytes, SignedContent content, CmsKind kind, string format,
        string mediaType, string? contentSha256, CmsEvidence? evidence, CancellationToken ct)
    {
        var verdicts = cms.Verify(cmsBytes, content, kind, context.ValidationTime, null, evidence, ct);
        var results = verdicts.Select((v, i) => new SignatureResult
        {
            Index = i,
            Kind = v.IsCounterSignature ? "countersignature" : "signature",
            Indication = Indications.Code(v.Indication),
            SubIndication = Indications.Code(v.SubIndication),
            Message = v.Indication == Indication.TotalPassed ? "Chữ ký hợp lệ." : Indications.Reason(v.SubIndication),
            Intact = v.Intact,
            CryptoValid = v.CryptoValid,
            Trusted = v.Trusted,
            Signer = Summary(v.Signer),
            Chain = Chain(v),
            SigningTime = v.SigningTime,
            SigningTimeSource = TimeSource(v, null),
            ClaimedTime = v.ClaimedTime,
            BestSignatureTime = v.BestSignatureTime,
            TimestampTime = v.TimestampTime,
            TimestampAuthority = v.TimestampAuthority,
            DigestAlgorithm = v.DigestAlgorithm,
            SignatureAlgorithm = v.SignatureAlgorithm,
            Key = v.KeyDescription,
            Revocation = v.RevocationStatus,
            SignerCertificateSha256 = v.SignerCertificate is { } cert ? Convert.ToHexStringLower(SHA256.HashData(cert)) : null,
            Warnings = v.Warnings,
            Checks = v.Checks,
        }).ToList();
        return Document(context, format, mediaType, results, [], contentSha256: contentSha256);
    }

    /// <summary>The signed bytes a /ByteRange names, when it names bytes inside the file.</summary>
    static SignedContent? Signed(ReadOnlyMemory<byte> file, long[]? range) => range switch
    {
        [var a, var b, var c, var d] when a >= 0 && b >= 0 && c >= a + b && d >= 0 && c + d <= file.Length =>
            SignedContent.FromRanges(file, a, b, c, d),
        [var a, var b] when a >= 0 && b > 0 && a + b <= file.Length => SignedContent.FromRanges(file, a, b, a + b, 0),
        _ => null,
    };

    static CmsEvidence? Merge(CmsEvidence? first, CmsEvidence? second)
    {
        if (first is null || second is null) return first ?? second;
        var merged = new CmsEvidence();
        foreach (var e in new[] { first, second })
        {
            merged.Certificates.AddRange(e.Certificates);
            merged.Crls.AddRange(e.Crls);
            merged.OcspResponses.AddRange(e.OcspResponses);
        }
        return merged;
    }

    static string PassedMessage(ModificationLevel modifications) => modifications switch
    {
        ModificationLevel.None => "Chữ ký hợp lệ. Tài liệu không bị thay đổi sau khi ký.",
        ModificationLevel.FormFilling => "Chữ ký hợp lệ. Sau khi ký, tài liệu chỉ được điền biểu mẫu hoặc thêm chữ ký.",
        _ => "Chữ ký hợp lệ. Sau khi ký, tài liệu chỉ được thêm ghi chú.",
    };

    static string? TimeSource(SignerVerdict? verdict, DateTimeOffset? claimed) => verdict?.SigningTimeSource switch
    {
        SigningTimeSource.Timestamp => "timestamp",
        SigningTimeSource.Claimed => "claimed",
        _ => claimed is null ? null : "claimed",
    };

    static SignerSummary? Summary(SignerIdentity? s) => s is null ? null : new(s.CommonName, s.Organization, s.SerialNumber, s.Identifiers);

    static IReadOnlyList<ChainEntry> Chain(SignerVerdict? verdict) =>
        verdict is null ? [] : [.. verdict.Chain.Select(c => new ChainEntry(c.Subject, c.Issuer, c.SerialNumber, c.NotBefore, c.NotAfter, c.Sha256, c.IsAnchor))];

    /// <summary>The document-level verdict (§3.11, §6.1): the weakest indication among the signatures.</summary>
    SignatureReport Document(Context context, string format, string mediaType, IReadOnlyList<SignatureResult> signatures,
        IReadOnlyList<string> problems, (Indication, SubIndication)? forced = null, int? revisions = null, bool? wholeFile = null,
        string? contentSha256 = null)
    {
        string indication, title, message;
        string? sub = null;
        if (forced is { } f)
        {
            var (fi, fs) = f;
            indication = Indications.Code(fi);
            sub = Indications.Code(fs);
            (title, message) = Headline(fi, problems.Count > 0 ? problems[0] : Indications.Reason(fs));
        }
        else if (signatures.Count == 0)
        {
            indication = SignatureReport.NoSignatureFound;
            title = "Tài liệu không có chữ ký số";
            message = "Tài liệu chưa được ký số.";
        }
        else
        {
            var worst = signatures.FirstOrDefault(s => s.Indication == Indications.Code(Indication.TotalFailed))
                ?? signatures.FirstOrDefault(s => s.Indication == Indications.Code(Indication.Indeterminate));
            if (worst is null)
            {
                indication = Indications.Code(Indication.TotalPassed);
                title = "Chữ ký số hợp lệ";
                // When every signature passed, what the citizen needs to know is whether the file changed after the
                // first one; the first signature's message says exactly that.
                message = signatures[0].Message;
            }
            else
            {
                indication = worst.Indication;
                sub = worst.SubIndication;
                var level = worst.Indication == Indications.Code(Indication.TotalFailed) ? Indication.TotalFailed : Indication.Indeterminate;
                (title, message) = Headline(level, worst.Message);
            }
        }
        return new SignatureReport
        {
            Format = format,
            Indication = indication,
            SubIndication = sub,
            Title = title,
            Message = message,
            Signatures = signatures,
            Problems = problems,
            FileSha256 = context.Sha256,
            FileSize = context.Size,
            MediaType = mediaType,
            Revisions = revisions,
            WholeFileSigned = wholeFile,
            ContentSha256 = contentSha256,
            ValidatedAt = context.ValidatedAt,
            ValidationTime = context.ValidationTime,
            ValidatorVersion = ValidatorVersion,
            PolicyVersion = Policy.Version,
            TrustStoreVersion = Trust.Version,
            Online = Policy.FetchRevocationOnline,
        };
    }

    static (string Title, string Message) Headline(Indication indication, string reason) => indication switch
    {
        Indication.TotalFailed => ("Chữ ký số không hợp lệ", reason),
        Indication.Indeterminate => ("Chưa xác định được tính hợp lệ của chữ ký", reason),
        _ => ("Chữ ký số hợp lệ", reason),
    };
}
