namespace Portal.Core.Dossiers;

/// <summary>A document of the procedure (thành phần hồ sơ) and the files uploaded for it.</summary>
public sealed record DocumentSlot
{
    public short LineNo { get; init; }
    public string Name { get; init; } = "";
    public bool Required { get; init; }
    public bool MustBeSigned { get; init; }
    public short Originals { get; init; }
    public short Copies { get; init; }
    /// <summary>
    /// The original of a certified-copy procedure (DOMAIN.md §8.1): shown at the counter to the certifying officer,
    /// not uploaded, so not required online.
    /// </summary>
    public bool PresentedAtCounter { get; init; }
    public IReadOnlyList<DossierFile> Files { get; init; } = [];
}

public sealed record DossierFile
{
    public Guid Id { get; init; }
    public short LineNo { get; init; }
    public string FileName { get; init; } = "";
    public string Sha256 { get; init; } = "";
    public long Size { get; init; }
    public string MediaType { get; init; } = "";
    public long? SignatureReportId { get; init; }
    /// <summary>The signature report's indication (TOTAL_PASSED, …, NO_SIGNATURE_FOUND); null when not checked (images, Office files).</summary>
    public string? Indication { get; init; }
    public string? SignatureSummary { get; init; }
    public DateTimeOffset UploadedAt { get; init; }
    /// <summary>Scans of a certified-copy document: the pages the fee counts and the lowest resolution measured.</summary>
    public int? Pages { get; init; }
    public int? ScanDpi { get; init; }

    /// <summary>The signature result in words (UX.md §2.5), never colour alone.</summary>
    public string SignatureText => Indication switch
    {
        "TOTAL_PASSED" => "Chữ ký số hợp lệ",
        "INDETERMINATE" => "Chưa xác định được chữ ký",
        "TOTAL_FAILED" => "Chữ ký số không hợp lệ",
        "NO_SIGNATURE_FOUND" => "Không có chữ ký số",
        _ => "Không kiểm tra chữ ký (không phải PDF)",
    };
}

/// <summary>A dossier as its owner sees it, draft or submitted.</summary>
public sealed record Dossier
{
    public Guid Id { get; init; }
    public Guid ApplicantId { get; init; }
    public short Status { get; init; }
    public string? SubState { get; init; }
    public string? Code { get; init; }
    public string Channel { get; init; } = "online";
    public Guid VersionId { get; init; }
    public string ProcedureCode { get; init; } = "";
    public string ProcedureName { get; init; } = "";
    public string OnlineLevel { get; init; } = "";
    public string AgencyCode { get; init; } = "";
    public string AgencyName { get; init; } = "";
    public string? AgencyAddress { get; init; }
    public string? AgencyPhone { get; init; }
    public DossierAnswers Answers { get; init; } = new();
    public string CurrentStep { get; init; } = "";
    public int RowVersion { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? SubmittedAt { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public long MaxFileBytes { get; init; }
    public long MaxDossierBytes { get; init; }
    public bool AllowZip { get; init; }
    /// <summary>The document that takes the scans of the original, when the procedure issues electronic certified copies.</summary>
    public short? CertifiedCopyLine { get; init; }
    public IReadOnlyList<DocumentSlot> Documents { get; init; } = [];

    public bool IsCertifiedCopy => CertifiedCopyLine is not null;
    /// <summary>The scans' pages (each image one page, each PDF its pages): what the fee counts (R-I5).</summary>
    public int ScanPages => Documents.Where(d => d.LineNo == CertifiedCopyLine).SelectMany(d => d.Files).Sum(f => f.Pages ?? 1);

    public bool IsDraft => Status == DossierStatus.Draft;
    public long TotalBytes => Documents.Sum(d => d.Files.Sum(f => f.Size));
    public string StatusName => DossierStatus.Name(Status);

    /// <summary>Documents that must be signed but whose files are not all validly signed (a warning before submitting).</summary>
    public IEnumerable<DocumentSlot> UnsignedWhereRequired =>
        Documents.Where(d => d.MustBeSigned && d.Files.Count > 0 && d.Files.Any(f => f.Indication != "TOTAL_PASSED"));
}

/// <summary>One line of the dossier's timeline.</summary>
public sealed record HistoryEntry
{
    public int Seq { get; init; }
    public DateTimeOffset At { get; init; }
    public string Action { get; init; } = "";
    public short? FromStatus { get; init; }
    public short ToStatus { get; init; }
    public string? AgencyCode { get; init; }
    public string? AgencyName { get; init; }
    public string? Note { get; init; }

    public string ActionName => Action switch
    {
        "submit" => "Nộp hồ sơ trực tuyến",
        "receive" => "Tiếp nhận hồ sơ",
        "refuse" => "Từ chối tiếp nhận",
        "request-supplement" => "Yêu cầu bổ sung giấy tờ",
        "resubmit" => "Nộp bổ sung giấy tờ",
        "withdraw" => "Yêu cầu rút hồ sơ",
        "approve-apology" => "Cơ quan xin lỗi và hẹn lại ngày trả kết quả",
        "add-scan" => "Cán bộ tải bản quét bản chính",
        "remove-scan" => "Cán bộ gỡ bản quét",
        "copy-count" => "Ghi số bản sao cần chứng thực",
        _ => BackOffice.StaffActions.Find(Action)?.Name ?? Action,
    };
}

/// <summary>A line of "Hồ sơ của tôi".</summary>
public sealed record DossierListItem
{
    public Guid Id { get; init; }
    public short Status { get; init; }
    public string? Code { get; init; }
    public string ProcedureCode { get; init; } = "";
    public string ProcedureName { get; init; } = "";
    public string CurrentStep { get; init; } = "";
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? SubmittedAt { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public string StatusName => DossierStatus.Name(Status);
}

/// <summary>What the public lookup shows: less than the owner's page (UX.md §2.9) — no names, no files.</summary>
public sealed record LookupResult
{
    public string Code { get; init; } = "";
    public short Status { get; init; }
    public string ProcedureName { get; init; } = "";
    public string AgencyName { get; init; } = "";
    public DateTimeOffset SubmittedAt { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public IReadOnlyList<HistoryEntry> History { get; init; } = [];
    public string StatusName => DossierStatus.Name(Status);
}
