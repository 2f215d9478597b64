namespace Portal.Core.Signatures.Pdf;

/// <summary>One signature or document timestamp found in a PDF, with what its structure and later changes say.</summary>
public sealed class PdfSignatureEntry
{
    readonly List<string> structureProblems = [];
    readonly List<string> modificationDetails = [];

    internal PdfSignatureEntry() { }

    public string? FieldName { get; internal set; }
    public bool IsDocumentTimestamp { get; internal set; }
    public string? Filter { get; internal set; }
    public string? SubFilter { get; internal set; }
    public long[]? ByteRange { get; internal set; }

    /// <summary>The hex-decoded /Contents as in the file, zero padding included; null when /Contents is not a direct string.</summary>
    public byte[]? Contents { get; internal set; }

    /// <summary>/M, a claim by the signer, not a proof.</summary>
    public DateTimeOffset? ClaimedTime { get; internal set; }

    public string? Reason { get; internal set; }
    public string? Name { get; internal set; }
    public string? Location { get; internal set; }

    /// <summary>1-based index of the revision that ends exactly at the end of the ByteRange; null when none does.</summary>
    public int? Revision { get; internal set; }

    public bool CoversWholeFile { get; internal set; }
    public bool CoversWholeRevision { get; internal set; }

    /// <summary>Empty when the structure is sound; any entry means TOTAL_FAILED / FORMAT_FAILURE (Vietnamese sentences).</summary>
    public IReadOnlyList<string> StructureProblems => structureProblems;

    public ModificationLevel ModificationsAfter { get; internal set; }

    /// <summary>What changed after this signature, for staff (Vietnamese).</summary>
    public IReadOnlyList<string> ModificationDetails => modificationDetails;

    public bool IsCertification { get; internal set; }

    internal int DictionaryNumber { get; set; } = -1;
    internal PdfDictionary? Dictionary { get; set; }
    internal bool ByteRangeInvalid { get; set; }
    internal long ByteRangeKeyOffset { get; set; } = -1;
    internal long End => ByteRange is { Length: 4 } r ? r[2] + r[3] : long.MaxValue;

    internal void Problem(string sentence)
    {
        if (!structureProblems.Contains(sentence)) structureProblems.Add(sentence);
    }

    internal void Detail(string sentence)
    {
        if (!modificationDetails.Contains(sentence)) modificationDetails.Add(sentence);
    }

    internal string Label => FieldName is { Length: > 0 } n ? $"trường {n}" : "trường không tên";
}

/// <summary>
/// The PDF side of signature verification (SIGNATURES.md §3.1–3.3, 3.9–3.11), on raw bytes and without cryptography:
/// which signatures the file holds, whether each ByteRange is sound and what it covers, and what changed after each
/// signature. The CMS layer verifies <see cref="PdfSignatureEntry.Contents"/> over the ByteRange.
/// </summary>
public sealed class PdfSignatureScan
{
    static readonly HashSet<string> AcceptedSubFilters = ["ETSI.CAdES.detached", "adbe.pkcs7.detached", "ETSI.RFC3161", "adbe.pkcs7.sha1"];

    /// <summary>
    /// How <see cref="FormatProblem"/> starts when the reader itself failed (a bug, not a malformed file): worth logging
    /// as an error. Tests assert it never appears.
    /// </summary>
    public const string InternalError = "Lỗi nội bộ khi đọc tệp PDF";

    readonly List<PdfSignatureEntry> signatures = [];
    readonly List<string> problems = [];
    readonly List<byte[]> dssCertificates = [], dssCrls = [], dssOcsps = [];

    PdfSignatureScan() { }

    /// <summary>True when "%PDF-" appears within the first 1024 bytes.</summary>
    public bool IsPdf { get; private set; }

    /// <summary>Why the whole file could not be read (Vietnamese), else null.</summary>
    public string? FormatProblem { get; private set; }

    public bool Encrypted { get; private set; }
    public int RevisionCount { get; private set; }
    public IReadOnlyList<long> RevisionEnds { get; private set; } = [];

    /// <summary>In signing order (by the end of the ByteRange); document timestamps included.</summary>
    public IReadOnlyList<PdfSignatureEntry> Signatures => signatures;

    /// <summary>/P of the certification signature's DocMDP transform (1, 2 or 3); null without certification.</summary>
    public int? DocMdpPermission { get; private set; }

    public IReadOnlyList<byte[]> DssCertificates => dssCertificates;
    public IReadOnlyList<byte[]> DssCrls => dssCrls;
    public IReadOnlyList<byte[]> DssOcsps => dssOcsps;

    /// <summary>
    /// Document-level findings (Vietnamese). Those that make a signature fail (orphan or invalid ByteRanges, DocMDP)
    /// are also in that signature's <see cref="PdfSignatureEntry.StructureProblems"/>; the rest are for staff.
    /// </summary>
    public IReadOnlyList<string> Problems => problems;

    /// <summary>Never throws, except <see cref="OperationCanceledException"/>.</summary>
    public static PdfSignatureScan Read(ReadOnlyMemory<byte> pdf, CancellationToken ct = default)
    {
        var scan = new PdfSignatureScan();
        try
        {
            scan.Run(pdf, ct);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (PdfFormatException e)
        {
            scan.Unreadable($"Không đọc được cấu trúc tệp PDF ({e.Message})");
        }
        catch (Exception e)
        {
            // A bug in the reader must not crash an upload; the file is reported unreadable and tests look for this.
            scan.Unreadable($"{InternalError} ({e.GetType().Name}: {e.Message})");
        }
        return scan;
    }

    void Unreadable(string sentence)
    {
        FormatProblem = sentence;
        signatures.Clear();
    }

    void Run(ReadOnlyMemory<byte> pdf, CancellationToken ct)
    {
        IsPdf = PdfFile.FindHeader(pdf.Span) is not null;
        if (!IsPdf)
        {
            FormatProblem = "Tệp không phải là tệp PDF (không có phần đầu %PDF-).";
            return;
        }
        var file = PdfFile.Open(pdf, ct);
        Encrypted = file.IsEncrypted;
        RevisionCount = file.Revisions.Count;
        RevisionEnds = file.Revisions.Select(r => r.End).ToList();
        if (file.IsReconstructed)
            problems.Add("Bảng tham chiếu chéo (xref) của tệp bị hỏng; các đối tượng được tìm bằng cách quét toàn bộ tệp.");

        IReadOnlyList<PdfField> fields;
        try
        {
            fields = file.Fields();
        }
        catch (PdfFormatException e)
        {
            FormatProblem = $"Không đọc được các trường của biểu mẫu trong tệp PDF ({e.Message}).";
            return;
        }
        foreach (var field in fields.Where(f => f.FieldType == "Sig" && f.Value is not null and not PdfNull))
        {
            ct.ThrowIfCancellationRequested();
            signatures.Add(ReadEntry(file, field));
        }
        // Stable: entries without a usable ByteRange keep field order, after the others.
        var ordered = signatures.OrderBy(s => s.End).ToList();
        signatures.Clear();
        signatures.AddRange(ordered);

        CrossChecks();
        Orphans(file);
        SpreadInvalidRanges();
        Changes(file, ct);
        DocMdp(file);
        Dss(file, ct);
    }

    // ----- one signature dictionary (§3.2, §3.3) -----

    static PdfSignatureEntry ReadEntry(PdfFile file, PdfField field)
    {
        var e = new PdfSignatureEntry { FieldName = file.IsEncrypted ? null : field.FullName };
        try
        {
            PdfIndirectObject? holder;
            if (field.Value is PdfReference r)
            {
                holder = file.GetIndirect(r.Number);
                e.DictionaryNumber = r.Number;
            }
            else
            {
                holder = field.Number >= 0 ? file.GetIndirect(field.Number) : null;
                e.Problem("Giá trị /V của trường chữ ký không phải là tham chiếu gián tiếp tới từ điển chữ ký.");
            }
            var dict = field.Value is PdfReference ? holder?.Value as PdfDictionary : field.Value as PdfDictionary;
            if (dict is null)
            {
                e.Problem("Giá trị /V của trường chữ ký không phải là từ điển chữ ký.");
                e.ByteRangeInvalid = true;
                return e;
            }
            e.Dictionary = dict;
            CheckDictionary(file, e, dict, holder);
        }
        catch (PdfFormatException ex)
        {
            e.Problem($"Không đọc được từ điển chữ ký ({ex.Message}).");
            e.ByteRangeInvalid = true;
        }
        return e;
    }

    static void CheckDictionary(PdfFile file, PdfSignatureEntry e, PdfDictionary dict, PdfIndirectObject? holder)
    {
        if (dict.HasDuplicateKeys) e.Problem("Từ điển chữ ký có khóa bị lặp lại; các phần mềm có thể đọc khác nhau.");

        var type = dict.Get("Type");
        var typeName = (type as PdfName)?.Value;
        if (type is not null && typeName is not ("Sig" or "DocTimeStamp"))
            e.Problem("/Type của từ điển chữ ký không phải là /Sig hoặc /DocTimeStamp.");
        e.Filter = (dict.Get("Filter") as PdfName)?.Value;
        if (e.Filter is null) e.Problem("Từ điển chữ ký thiếu /Filter (hoặc /Filter không phải là tên).");
        e.SubFilter = (dict.Get("SubFilter") as PdfName)?.Value;
        if (e.SubFilter is null) e.Problem("Từ điển chữ ký thiếu /SubFilter (hoặc /SubFilter không phải là tên).");
        else if (!AcceptedSubFilters.Contains(e.SubFilter)) e.Problem($"Định dạng chữ ký /SubFilter /{e.SubFilter} không được chấp nhận.");
        e.IsDocumentTimestamp = typeName == "DocTimeStamp" || (typeName is null && e.SubFilter == "ETSI.RFC3161");
        if (typeName == "DocTimeStamp" && e.SubFilter is not null && e.SubFilter != "ETSI.RFC3161")
            e.Problem("Dấu thời gian tài liệu (/DocTimeStamp) phải có /SubFilter /ETSI.RFC3161.");
        if (typeName == "Sig" && e.SubFilter == "ETSI.RFC3161")
            e.Problem("/SubFilter /ETSI.RFC3161 chỉ dùng cho dấu thời gian tài liệu (/DocTimeStamp).");

        // Text entries are encrypted in an encrypted file, and this reader does not decrypt.
        if (!file.IsEncrypted)
        {
            e.ClaimedTime = PdfText.ParseDate((file.Resolve(dict.Get("M")) as PdfString)?.Text);
            e.Reason = (file.Resolve(dict.Get("Reason")) as PdfString)?.Text;
            e.Name = (file.Resolve(dict.Get("Name")) as PdfString)?.Text;
            e.Location = (file.Resolve(dict.Get("Location")) as PdfString)?.Text;
        }

        var contents = dict.Get("Contents");
        switch (contents)
        {
            case PdfReference:
                e.Problem("/Contents là tham chiếu gián tiếp nên không nằm trong khoảng trống của ByteRange.");
                break;
            case PdfString s:
                e.Contents = s.Bytes;
                if (!s.IsHex) e.Problem("/Contents không phải là chuỗi hex.");
                if (s.Bytes.Length == 0) e.Problem("/Contents rỗng: tệp không chứa giá trị chữ ký.");
                else if (s.Bytes.AsSpan().IndexOfAnyExcept((byte)0) < 0) e.Problem("/Contents chỉ chứa byte 0: chữ ký chưa được tạo.");
                break;
            default:
                e.Problem("Từ điển chữ ký thiếu /Contents (hoặc /Contents không phải là chuỗi).");
                break;
        }

        var range = dict.Get("ByteRange");
        switch (range)
        {
            case PdfReference:
                e.Problem("/ByteRange là tham chiếu gián tiếp, không phải mảng nằm trong vùng được ký.");
                e.ByteRangeInvalid = true;
                return;
            case PdfArray a when a.All(x => x is PdfInteger):
                e.ByteRange = a.Cast<PdfInteger>().Select(i => i.Value).ToArray();
                break;
            case PdfArray:
                e.Problem("/ByteRange chứa phần tử không phải số nguyên.");
                e.ByteRangeInvalid = true;
                return;
            default:
                e.Problem("Từ điển chữ ký thiếu /ByteRange (hoặc /ByteRange không phải là mảng).");
                e.ByteRangeInvalid = true;
                return;
        }
        if (holder is { InObjectStream: true })
        {
            e.Problem("Từ điển chữ ký nằm trong luồng đối tượng nén, nên vị trí của ByteRange và /Contents không kiểm tra được.");
            e.ByteRangeInvalid = true;
            return;
        }
        CheckByteRange(file, e, dict, (PdfArray)range, contents as PdfString);
    }

    static void CheckByteRange(PdfFile file, PdfSignatureEntry e, PdfDictionary dict, PdfArray rangeArray, PdfString? contents)
    {
        var span = file.Data.Span;
        var length = span.Length;
        var key = span[..(int)rangeArray.Start].LastIndexOf("/ByteRange"u8);
        if (key >= dict.Start) e.ByteRangeKeyOffset = key;

        void Invalid(string sentence)
        {
            e.Problem(sentence);
            e.ByteRangeInvalid = true;
        }

        var br = e.ByteRange!;
        if (br.Length != 4)
        {
            Invalid($"ByteRange phải có đúng 4 số, nhưng có {br.Length}.");
            return;
        }
        var (a, b, c, d) = (br[0], br[1], br[2], br[3]);
        var numbersOk = true;
        if (br.Any(x => x < 0)) { Invalid("ByteRange có số âm."); numbersOk = false; }
        if (a != 0) { Invalid("ByteRange không bắt đầu từ 0."); numbersOk = false; }
        if (b <= 0) { Invalid("Đoạn thứ nhất của ByteRange có độ dài không dương."); numbersOk = false; }
        if (d <= 0) { Invalid("Đoạn thứ hai của ByteRange có độ dài không dương."); numbersOk = false; }
        if (c < a + b) { Invalid("Đoạn thứ hai của ByteRange bắt đầu trước khi đoạn thứ nhất kết thúc."); numbersOk = false; }
        if (c + d > length) { Invalid($"ByteRange vượt quá cuối tệp (kết thúc ở byte {c + d}, tệp dài {length} byte)."); numbersOk = false; }
        if (!numbersOk) return;

        // §3.3 rule 6: the gap is exactly the /Contents token, "<" hex digits ">", and nothing else.
        if (contents is null || !contents.IsHex)
            Invalid("Khoảng trống của ByteRange không phải là chuỗi hex /Contents.");
        else if (contents.Start != b || contents.End != c)
            Invalid($"Khoảng trống của ByteRange [{b}, {c}) không trùng với chuỗi /Contents [{contents.Start}, {contents.End}).");
        else
        {
            var inside = span[(int)(b + 1)..(int)(c - 1)];
            foreach (var x in inside)
                if (PdfLexer.HexValue(x) < 0)
                {
                    Invalid("Chuỗi /Contents trong khoảng trống của ByteRange có ký tự không phải chữ số hex.");
                    break;
                }
            if (inside.Length % 2 != 0) Invalid("Chuỗi /Contents có số chữ số hex lẻ.");
        }

        bool Signed(long start, long end) => (start >= a && end <= a + b) || (start >= c && end <= c + d);
        if (!Signed(rangeArray.Start, rangeArray.End)) Invalid("Mảng /ByteRange nằm ngoài vùng được ký.");
        if (dict.Start < 0 || dict.End > c + d || dict.Start > b || dict.End < c)
            Invalid("Từ điển chữ ký không nằm trọn trong vùng được ký.");

        // §3.3 rule 7: the signed range ends where a revision ends ("%%EOF" and at most one end of line).
        var revision = file.Revisions.FirstOrDefault(r => r.End == c + d);
        if (revision is null)
        {
            Invalid($"Vùng được ký không kết thúc tại cuối một phiên bản của tệp (kết thúc ở byte {c + d}).");
            return;
        }
        e.Revision = revision.Index + 1;
        e.CoversWholeRevision = true;
        e.CoversWholeFile = c + d == length;
    }

    // ----- several signatures (§3.3 rule 8) -----

    void CrossChecks()
    {
        var ranged = signatures.Where(s => s.ByteRange is { Length: 4 }).ToList();
        for (var i = 0; i < ranged.Count; i++)
            for (var j = i + 1; j < ranged.Count; j++)
            {
                var (x, y) = (ranged[i], ranged[j]); // x ends no later than y
                if (x.End == y.End)
                {
                    x.Problem($"Hai chữ ký ({x.Label} và {y.Label}) có vùng ký kết thúc tại cùng một byte ({x.End}).");
                    y.Problem($"Hai chữ ký ({x.Label} và {y.Label}) có vùng ký kết thúc tại cùng một byte ({y.End}).");
                    x.ByteRangeInvalid = y.ByteRangeInvalid = true;
                }
                else if (y.ByteRange![1] < x.End)
                {
                    y.Problem($"Vùng ký không bao phủ toàn bộ phần tệp mà chữ ký trước ({x.Label}) đã ký.");
                    y.ByteRangeInvalid = true;
                }
                if (x.DictionaryNumber >= 0 && x.DictionaryNumber == y.DictionaryNumber)
                {
                    x.Problem($"Hai trường chữ ký dùng chung một từ điển chữ ký (đối tượng {x.DictionaryNumber}).");
                    y.Problem($"Hai trường chữ ký dùng chung một từ điển chữ ký (đối tượng {y.DictionaryNumber}).");
                }
            }
    }

    /// <summary>§3.1 rule 2: every "/ByteRange" in the bytes must belong to a signature field of the final revision.</summary>
    void Orphans(PdfFile file)
    {
        var span = file.Data.Span;
        var owned = signatures.Select(s => s.ByteRangeKeyOffset).Where(o => o >= 0).ToHashSet();
        var orphans = new List<long>();
        for (var pos = 0; ;)
        {
            var i = span[pos..].IndexOf("/ByteRange"u8);
            if (i < 0) break;
            var at = pos + i;
            pos = at + 10;
            if (pos < span.Length && PdfLexer.IsRegular(span[pos])) continue; // "/ByteRangeX" is another name
            if (!owned.Contains(at)) orphans.Add(at);
        }
        foreach (var at in orphans)
        {
            problems.Add($"Có /ByteRange tại byte {at} không thuộc trường chữ ký nào của phiên bản cuối.");
            foreach (var s in signatures) s.Problem($"Tệp có /ByteRange không thuộc trường chữ ký nào (tại byte {at}).");
        }
    }

    /// <summary>§3.3 rule 8: an invalid ByteRange anywhere is reported on every signature (DSS "ByteRangeAllDocument").</summary>
    void SpreadInvalidRanges()
    {
        foreach (var bad in signatures.Where(s => s.ByteRangeInvalid).ToList())
        {
            problems.Add($"ByteRange của chữ ký ở {bad.Label} không hợp lệ.");
            foreach (var s in signatures.Where(s => s != bad))
                s.Problem($"Tệp có chữ ký khác ({bad.Label}) với ByteRange không hợp lệ.");
        }
    }

    // ----- after signing (§3.9) and certification (§3.10) -----

    void Changes(PdfFile file, CancellationToken ct)
    {
        var analysis = new ChangeAnalysis(file, ct);
        foreach (var s in signatures)
        {
            if (s.Revision is not { } revision)
            {
                s.ModificationsAfter = ModificationLevel.Other;
                s.Detail("Không xác định được phiên bản mà chữ ký bao phủ, nên không kiểm tra được thay đổi sau khi ký.");
                continue;
            }
            var (level, details) = analysis.After(revision - 1);
            foreach (var d in details) s.Detail(d);
            // §3.9 rule 29: the signature dictionary must be the same in the signed revision and in the final file.
            if (s.DictionaryNumber >= 0 && s.Dictionary is not null)
            {
                PdfObject? signed;
                try
                {
                    signed = file.GetObject(s.DictionaryNumber, revision - 1);
                }
                catch (PdfFormatException)
                {
                    signed = null;
                }
                if (signed is null)
                {
                    s.Problem("Từ điển chữ ký không có trong phiên bản được ký.");
                    level = ModificationLevel.Other;
                }
                else if (!file.SameValue(signed, s.Dictionary))
                {
                    s.Problem("Từ điển chữ ký đã bị thay đổi sau khi ký.");
                    s.Detail("Từ điển chữ ký bị thay đổi sau khi ký.");
                    level = ModificationLevel.Other;
                }
            }
            s.ModificationsAfter = level;
        }
    }

    void DocMdp(PdfFile file)
    {
        int? permsNumber = null;
        try
        {
            if (file.ResolveDictionary(file.Catalog().Get("Perms")) is { } perms && perms.Get("DocMDP") is { } docMdp)
                permsNumber = docMdp is PdfReference r ? r.Number : -1;
        }
        catch (PdfFormatException e)
        {
            problems.Add($"Không đọc được /Perms của tài liệu ({e.Message}).");
        }

        PdfSignatureEntry? certification = null;
        int? p = null;
        foreach (var s in signatures)
        {
            int? transformP = null;
            try
            {
                transformP = DocMdpTransformP(file, s.Dictionary);
            }
            catch (PdfFormatException) { }
            var named = permsNumber is >= 0 && s.DictionaryNumber == permsNumber;
            if (!named && transformP is null) continue;
            s.IsCertification = true;
            if (certification is not null)
            {
                s.Problem("Tài liệu có nhiều hơn một chữ ký chứng nhận (DocMDP).");
                continue;
            }
            certification = s;
            p = transformP ?? 2; // /P defaults to 2 (§12.8.2.2)
        }
        if (permsNumber is not null && (certification is null || certification.DictionaryNumber != permsNumber))
            problems.Add("/Perms /DocMDP không trỏ tới chữ ký chứng nhận của một trường chữ ký.");
        if (certification is null) return;

        DocMdpPermission = p;
        if (signatures[0] != certification)
            certification.Problem("Chữ ký chứng nhận (DocMDP) không phải là chữ ký đầu tiên của tài liệu.");
        var allowed = p switch { 1 => ModificationLevel.None, 2 => ModificationLevel.FormFilling, _ => ModificationLevel.Annotations };
        if (certification.ModificationsAfter > allowed && certification.ModificationsAfter != ModificationLevel.Other)
        {
            certification.Detail($"Thay đổi sau khi ký ({Indications.Code(certification.ModificationsAfter)}) vượt quá quyền mà chữ ký chứng nhận cho phép (DocMDP P={p}).");
            certification.ModificationsAfter = ModificationLevel.Other;
        }
    }

    /// <summary>/P of a /Reference entry with /TransformMethod /DocMDP (1–3; other values read as 1, the strictest), or null.</summary>
    internal static int? DocMdpTransformP(PdfFile file, PdfDictionary? sig)
    {
        if (sig is null || file.Resolve(sig.Get("Reference")) is not PdfArray references) return null;
        foreach (var item in references)
        {
            if (file.ResolveDictionary(item) is not { } reference || (file.Resolve(reference.Get("TransformMethod")) as PdfName)?.Value != "DocMDP")
                continue;
            var parameters = file.ResolveDictionary(reference.Get("TransformParams"));
            return file.Resolve(parameters?.Get("P")) switch
            {
                null => 2,
                PdfInteger { Value: >= 1 and <= 3 } i => (int)i.Value,
                _ => 1,
            };
        }
        return null;
    }

    void Dss(PdfFile file, CancellationToken ct)
    {
        PdfDictionary? dss;
        try
        {
            dss = file.ResolveDictionary(file.Catalog().Get("DSS"));
        }
        catch (PdfFormatException e)
        {
            problems.Add($"Không đọc được /DSS ({e.Message}).");
            return;
        }
        if (dss is null) return;
        foreach (var (key, target) in new[] { ("Certs", dssCertificates), ("CRLs", dssCrls), ("OCSPs", dssOcsps) })
        {
            try
            {
                if (file.Resolve(dss.Get(key)) is not PdfArray array) continue;
                foreach (var item in array)
                {
                    ct.ThrowIfCancellationRequested();
                    try
                    {
                        if (file.Resolve(item) is PdfStream stream) target.Add(file.DecodeStream(stream));
                        else problems.Add($"Một mục trong /DSS /{key} không phải là luồng dữ liệu.");
                    }
                    catch (PdfFormatException e)
                    {
                        problems.Add($"Không đọc được một mục trong /DSS /{key} ({e.Message}).");
                    }
                }
            }
            catch (PdfFormatException e)
            {
                problems.Add($"Không đọc được /DSS /{key} ({e.Message}).");
            }
        }
    }
}
