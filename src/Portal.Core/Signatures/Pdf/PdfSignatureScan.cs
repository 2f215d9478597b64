namespace Portal.Core.Signatures.Pdf;

/// <summary>
/// One signature (or document timestamp) found in a PDF, with the structural findings of SIGNATURES.md §3.1–3.3 and
/// §3.9: where it is, what its /ByteRange covers, and what changed after it. No cryptography happens here.
/// </summary>
public sealed class PdfSignatureEntry
{
    public string? FieldName { get; init; }
    public bool IsDocumentTimestamp { get; init; }
    public string? Filter { get; init; }
    public string? SubFilter { get; init; }
    public long[]? ByteRange { get; init; }
    /// <summary>/Contents hex-decoded as in the file, zero padding included.</summary>
    public byte[]? Contents { get; init; }
    public DateTimeOffset? ClaimedTime { get; init; }
    public string? Reason { get; init; }
    public string? Name { get; init; }
    public string? Location { get; init; }
    /// <summary>1-based index of the revision that ends where the signed bytes end; null when none does.</summary>
    public int? Revision { get; init; }
    public bool CoversWholeFile { get; init; }
    public bool CoversWholeRevision { get; init; }
    /// <summary>Empty when the structure is sound; any entry makes the signature TOTAL_FAILED FORMAT_FAILURE.</summary>
    public IReadOnlyList<string> StructureProblems { get; init; } = [];
    public ModificationLevel ModificationsAfter { get; init; }
    public IReadOnlyList<string> ModificationDetails { get; init; } = [];
    public bool IsCertification { get; init; }
    internal int SignatureObject { get; init; } = -1;
    internal long SignedEnd => ByteRange is [_, _, var c, var d] ? c + d : -1;
}

/// <summary>
/// Finds every signature of a PDF on its raw bytes and checks its structure (SIGNATURES.md §3.1–3.3, §3.9–3.10).
/// Never throws for bad input: an unreadable file has a <see cref="FormatProblem"/>.
/// </summary>
public sealed class PdfSignatureScan
{
    static readonly HashSet<string> SubFilters = ["ETSI.CAdES.detached", "adbe.pkcs7.detached", "ETSI.RFC3161", "adbe.pkcs7.sha1"];

    public bool IsPdf { get; private init; }
    public string? FormatProblem { get; private init; }
    public bool Encrypted { get; private init; }
    public int RevisionCount { get; private init; }
    public IReadOnlyList<long> RevisionEnds { get; private init; } = [];
    public IReadOnlyList<PdfSignatureEntry> Signatures { get; private init; } = [];
    public int? DocMdpPermission { get; private init; }
    public IReadOnlyList<byte[]> DssCertificates { get; private init; } = [];
    public IReadOnlyList<byte[]> DssCrls { get; private init; } = [];
    public IReadOnlyList<byte[]> DssOcsps { get; private init; } = [];
    public IReadOnlyList<string> Problems { get; private init; } = [];

    public static PdfSignatureScan Read(ReadOnlyMemory<byte> pdf, CancellationToken ct = default)
    {
        if (PdfFile.FindHeader(pdf.Span) is null)
            return new PdfSignatureScan { FormatProblem = "Tệp không phải là tài liệu PDF." };
        try
        {
            return Scan(PdfFile.Open(pdf, ct), pdf, ct);
        }
        catch (PdfFormatException e)
        {
            return new PdfSignatureScan { IsPdf = true, FormatProblem = $"Tệp PDF bị hỏng hoặc không đúng chuẩn ({e.Message})." };
        }
        catch (Exception e) when (e is InvalidCastException or IndexOutOfRangeException or ArgumentException or OverflowException
                                       or InvalidOperationException or System.IO.InvalidDataException or KeyNotFoundException)
        {
            // Defence in depth: a reader bug on hostile input is a format problem for the citizen, not a crash.
            return new PdfSignatureScan { IsPdf = true, FormatProblem = $"Tệp PDF bị hỏng hoặc không đúng chuẩn ({e.GetType().Name})." };
        }
    }

    static PdfSignatureScan Scan(PdfFile file, ReadOnlyMemory<byte> pdf, CancellationToken ct)
    {
        var data = pdf.Span;
        var ends = file.Revisions.Select(r => r.End).ToList();
        var problems = new List<string>();
        var entries = new List<PdfSignatureEntry>();
        var seenSignatureObjects = new HashSet<int>();
        int? mdp = null;
        var certificationObject = -1;

        var catalog = file.Catalog();
        if (file.ResolveDictionary(catalog.Get("Perms")) is { } perms && perms.Get("DocMDP") is PdfReference docMdp)
        {
            certificationObject = docMdp.Number;
            if (file.ResolveDictionary(docMdp) is { } sig && file.Resolve(sig.Get("Reference")) is PdfArray references)
                foreach (var r in references)
                    if (file.ResolveDictionary(r) is { } reference && file.ResolveDictionary(reference.Get("TransformParams")) is { } parameters)
                        mdp = (int)((file.Resolve(parameters.Get("P")) as PdfInteger)?.Value ?? 2);
        }

        foreach (var field in file.Fields())
        {
            ct.ThrowIfCancellationRequested();
            if (field.FieldType != "Sig" || field.Value is null) continue;
            var number = field.Value is PdfReference vr ? vr.Number : -1;
            if (number >= 0 && !seenSignatureObjects.Add(number)) continue;
            if (file.Resolve(field.Value) is not PdfDictionary sig) continue;
            entries.Add(Entry(file, data, field.FullName, number, sig, ends, number == certificationObject && number >= 0));
        }

        // Every /ByteRange in the raw bytes must belong to a signature found above (§3.1 rule 2).
        var ranges = CountRawByteRanges(data);
        if (ranges > entries.Count)
            problems.Add($"Tệp có {ranges} khai báo /ByteRange nhưng chỉ {entries.Count} chữ ký thuộc trường chữ ký: có chữ ký ẩn hoặc bị che giấu.");

        entries = [.. entries.OrderBy(e => e.SignedEnd < 0 ? long.MaxValue : e.SignedEnd)];

        // Rule 8: a later signature covers every earlier one; any bad ByteRange is reported on every signature.
        var broken = entries.Where(e => e.StructureProblems.Count > 0).Select(e => e.FieldName).ToList();
        for (var i = 0; i < entries.Count; i++)
        {
            var extra = new List<string>();
            if (i > 0 && entries[i].SignedEnd >= 0 && entries[i - 1].SignedEnd >= 0 && entries[i].SignedEnd <= entries[i - 1].SignedEnd)
                extra.Add("Hai chữ ký có phạm vi ký trùng nhau.");
            if (broken.Count > 0 && entries[i].StructureProblems.Count == 0)
                extra.Add($"Tệp có chữ ký với cấu trúc không hợp lệ ({string.Join(", ", broken)}).");
            if (problems.Count > 0) extra.AddRange(problems);
            var (level, details) = entries[i].Revision is { } rev && entries[i].StructureProblems.Count == 0
                ? ChangeAnalysis.Classify(file, rev - 1, entries[i].SignatureObject, ct)
                : (ModificationLevel.Other, (IReadOnlyList<string>)["Không xác định được phiên bản được ký."]);
            if (entries[i].Revision is null) level = ModificationLevel.Other;
            entries[i] = new PdfSignatureEntry
            {
                FieldName = entries[i].FieldName, IsDocumentTimestamp = entries[i].IsDocumentTimestamp, Filter = entries[i].Filter,
                SubFilter = entries[i].SubFilter, ByteRange = entries[i].ByteRange, Contents = entries[i].Contents,
                ClaimedTime = entries[i].ClaimedTime, Reason = entries[i].Reason, Name = entries[i].Name, Location = entries[i].Location,
                Revision = entries[i].Revision, CoversWholeFile = entries[i].CoversWholeFile, CoversWholeRevision = entries[i].CoversWholeRevision,
                StructureProblems = [.. entries[i].StructureProblems, .. extra], ModificationsAfter = level, ModificationDetails = details,
                IsCertification = entries[i].IsCertification, SignatureObject = entries[i].SignatureObject,
            };
        }

        var (certs, crls, ocsps) = Dss(file, catalog);
        return new PdfSignatureScan
        {
            IsPdf = true,
            Encrypted = file.IsEncrypted,
            RevisionCount = file.Revisions.Count,
            RevisionEnds = ends,
            Signatures = entries,
            DocMdpPermission = mdp,
            DssCertificates = certs,
            DssCrls = crls,
            DssOcsps = ocsps,
            Problems = problems,
        };
    }

    static PdfSignatureEntry Entry(PdfFile file, ReadOnlySpan<byte> data, string name, int number, PdfDictionary sig, List<long> ends, bool certification)
    {
        var problems = new List<string>();
        var type = sig.GetName("Type");
        var timestamp = type == "DocTimeStamp" || sig.GetName("SubFilter") == "ETSI.RFC3161";
        if (type is not (null or "Sig" or "DocTimeStamp")) problems.Add($"Từ điển chữ ký có /Type /{type} không hợp lệ.");
        if (sig.HasDuplicateKeys) problems.Add("Từ điển chữ ký có khóa bị lặp.");
        var subFilter = sig.GetName("SubFilter");
        if (subFilter is null || !SubFilters.Contains(subFilter)) problems.Add($"SubFilter \"{subFilter}\" không thuộc các định dạng chữ ký được chấp nhận.");
        if (sig.GetName("Filter") is null) problems.Add("Từ điển chữ ký thiếu /Filter.");
        if (number < 0) problems.Add("Từ điển chữ ký không phải đối tượng gián tiếp.");
        else if (file.GetIndirect(number) is { InObjectStream: true }) problems.Add("Từ điển chữ ký nằm trong luồng đối tượng nên không kiểm tra được vị trí /Contents.");

        long[]? range = null;
        if (sig.Get("ByteRange") is PdfArray array && array.All(x => x is PdfInteger))
            range = [.. array.Cast<PdfInteger>().Select(x => x.Value)];
        else problems.Add("/ByteRange bị thiếu hoặc không phải mảng số nguyên.");

        var contents = sig.Get("Contents") as PdfString;
        if (contents is null) problems.Add("/Contents bị thiếu, rỗng hoặc không phải chuỗi trực tiếp.");
        else if (!contents.IsHex) problems.Add("/Contents không phải chuỗi thập lục phân.");
        else if (contents.Bytes.All(b => b == 0)) problems.Add("/Contents chỉ chứa số 0: chữ ký chưa được tạo.");

        int? revision = null;
        bool wholeFile = false, wholeRevision = false;
        if (range is not null)
        {
            if (range.Length != 4) problems.Add($"/ByteRange phải có đúng 4 số, nhưng có {range.Length}.");
            else
            {
                var (a, b, c, d) = (range[0], range[1], range[2], range[3]);
                if (a != 0) problems.Add("/ByteRange không bắt đầu từ byte 0.");
                if (b <= 0 || d <= 0 || c < a + b || c + d > data.Length || range.Any(x => x < 0))
                    problems.Add("/ByteRange vượt ra ngoài tệp hoặc có đoạn không hợp lệ.");
                else
                {
                    // Rule 6: the gap is exactly the /Contents token, and that token is this dictionary's /Contents.
                    var gap = data[(int)b..(int)c];
                    var hex = gap.Length >= 2 && gap[0] == (byte)'<' && gap[^1] == (byte)'>' && IsHex(gap[1..^1]);
                    if (!hex) problems.Add("Khoảng trống giữa hai đoạn /ByteRange không đúng là giá trị /Contents.");
                    else if (contents is null || contents.Start != b || contents.End != c)
                        problems.Add("Giá trị /Contents của chữ ký không nằm đúng trong khoảng trống của /ByteRange.");
                    if (sig.Get("ByteRange") is { Start: >= 0 } br && br.Start >= b && br.Start < c)
                        problems.Add("/ByteRange nằm trong phần không được ký.");
                    var end = c + d;
                    var at = ends.IndexOf(end);
                    if (at < 0) problems.Add("Phạm vi ký không kết thúc ở cuối một phiên bản của tài liệu.");
                    else
                    {
                        revision = at + 1;
                        wholeRevision = true;
                        wholeFile = end == data.Length || at == ends.Count - 1 && data[(int)end..].Trim(" \t\r\n\0"u8).IsEmpty;
                    }
                }
            }
        }

        return new PdfSignatureEntry
        {
            FieldName = name,
            IsDocumentTimestamp = timestamp,
            Filter = sig.GetName("Filter"),
            SubFilter = subFilter,
            ByteRange = range,
            Contents = contents?.Bytes,
            ClaimedTime = PdfText.ParseDate((sig.Get("M") as PdfString)?.Text),
            Reason = (sig.Get("Reason") as PdfString)?.Text,
            Name = (sig.Get("Name") as PdfString)?.Text,
            Location = (sig.Get("Location") as PdfString)?.Text,
            Revision = revision,
            CoversWholeFile = wholeFile,
            CoversWholeRevision = wholeRevision,
            StructureProblems = problems,
            IsCertification = certification,
            SignatureObject = number,
        };
    }

    static bool IsHex(ReadOnlySpan<byte> s)
    {
        foreach (var b in s)
            if (!(b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F' or (byte)' ' or (byte)'\r' or (byte)'\n'))
                return false;
        return true;
    }

    static int CountRawByteRanges(ReadOnlySpan<byte> data)
    {
        var count = 0;
        for (var at = data.IndexOf("/ByteRange"u8); at >= 0; )
        {
            count++;
            var next = data[(at + 10)..].IndexOf("/ByteRange"u8);
            at = next < 0 ? -1 : at + 10 + next;
        }
        return count;
    }

    static (List<byte[]>, List<byte[]>, List<byte[]>) Dss(PdfFile file, PdfDictionary catalog)
    {
        List<byte[]> certs = [], crls = [], ocsps = [];
        if (file.ResolveDictionary(catalog.Get("DSS")) is not { } dss) return (certs, crls, ocsps);
        void Read(string key, List<byte[]> into)
        {
            if (file.Resolve(dss.Get(key)) is not PdfArray array) return;
            foreach (var item in array)
                if (file.Resolve(item) is PdfStream stream)
                    into.Add(file.DecodeStream(stream));
        }
        Read("Certs", certs);
        Read("CRLs", crls);
        Read("OCSPs", ocsps);
        return (certs, crls, ocsps);
    }
}
