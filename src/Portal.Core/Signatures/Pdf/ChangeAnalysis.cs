namespace Portal.Core.Signatures.Pdf;

/// <summary>
/// What changed after a signature (SIGNATURES.md §3.9), following pyHanko's diff analysis: every object that an
/// incremental update adds or redefines must be explained by a rule (catalog keys, /DSS, form fields and their
/// appearances, new signature fields, annotations, document information); anything unexplained is "other". An
/// object that existed before and is redefined is accepted only if every place that used it is a place the rule
/// checked, so an appearance stream also drawn somewhere else cannot be swapped ("sneaky" updates, shadow attacks).
/// Each update is compared with the revision before it; a signature's level is the highest over the updates after it.
/// </summary>
internal sealed class ChangeAnalysis(PdfFile file, CancellationToken ct)
{
    readonly Dictionary<int, RevisionDiff> diffs = [];

    public (ModificationLevel Level, List<string> Details) After(int signedRevision)
    {
        var level = ModificationLevel.None;
        var details = new List<string>();
        for (var r = signedRevision + 1; r < file.Revisions.Count; r++)
        {
            if (!diffs.TryGetValue(r, out var diff)) diffs[r] = diff = RevisionDiff.Run(file, r, ct);
            if (diff.Level > level) level = diff.Level;
            details.AddRange(diff.Details.Select(d => $"Phiên bản {r + 1}: {d}"));
        }
        return (level, details);
    }
}

/// <summary>The classification of one incremental update: revision <c>newRev</c> against <c>newRev - 1</c>.</summary>
internal sealed partial class RevisionDiff
{
    // Keys of a form field that filling it in may change (pyHanko VALUE_UPDATE_KEYS, plus /MK, the appearance
    // characteristics a signer may set with a new appearance) and those that may change even on a field already
    // signed (flags and type, which some producers rewrite).
    static readonly HashSet<string> ValueKeys = ["AP", "AS", "V", "F", "DA", "Q", "MK", "Ff", "Type"];
    static readonly HashSet<string> AlwaysModifiable = ["Ff", "Type"];
    static readonly HashSet<string> WidgetValueKeys = ["AP", "AS", "F", "DA", "Q", "MK", "Type"];
    static readonly HashSet<string> CatalogMayChange = ["AcroForm", "DSS", "Extensions", "Metadata", "Version"];
    static readonly HashSet<string> AcroFormMayChange = ["Fields", "DR", "DA", "Q", "NeedAppearances", "SigFlags"];
    static readonly HashSet<string> TrailerBookkeeping =
        ["Size", "Prev", "XRefStm", "ID", "Info", "Root", "Type", "W", "Index", "Filter", "DecodeParms", "Length", "DL", "DocChecksum"];
    static readonly HashSet<string> DssKeys = ["Type", "VRI", "Certs", "CRLs", "OCSPs"];
    static readonly HashSet<string> VriKeys = ["Type", "TU", "TS", "Cert", "CRL", "OCSP"];

    readonly PdfFile file;
    readonly int oldRev, newRev;
    readonly CancellationToken ct;
    readonly HashSet<int> added = [];
    readonly HashSet<int> redefined = [];
    readonly Dictionary<int, ModificationLevel> approved = [];
    readonly Dictionary<int, ModificationLevel> newSignatureWidgets = [];
    ReferenceIndex? oldIndex;
    int oldRoot = -1;

    public ModificationLevel Level { get; private set; }
    public List<string> Details { get; } = [];

    RevisionDiff(PdfFile file, int newRev, CancellationToken ct)
    {
        this.file = file;
        this.newRev = newRev;
        oldRev = newRev - 1;
        this.ct = ct;
    }

    public static RevisionDiff Run(PdfFile file, int newRev, CancellationToken ct)
    {
        var diff = new RevisionDiff(file, newRev, ct);
        try
        {
            diff.Analyse();
        }
        catch (PdfFormatException e)
        {
            diff.Other($"không phân tích được thay đổi ({e.Message})");
        }
        return diff;
    }

    void Raise(ModificationLevel level, string? detail = null)
    {
        if (level > Level) Level = level;
        if (detail is not null && !Details.Contains(detail)) Details.Add(detail);
    }

    void Other(string detail) => Raise(ModificationLevel.Other, detail);

    void Approve(int number, ModificationLevel level)
    {
        if (number < 0) return;
        approved[number] = approved.TryGetValue(number, out var had) && had > level ? had : level;
    }

    bool IsNew(int number) => added.Contains(number);
    bool IsRedefined(int number) => redefined.Contains(number);
    bool IsNewOrRedefined(int number) => added.Contains(number) || redefined.Contains(number);

    ReferenceIndex OldIndex => oldIndex ??= ReferenceIndex.Build(file, oldRev, ct);

    /// <summary>True when every reference to <paramref name="number"/> in the old revision satisfies <paramref name="allowed"/>.</summary>
    bool OnlyUsedAt(int number, Func<int, string, bool> allowed, out string elsewhere)
    {
        foreach (var (source, path) in OldIndex.Of(number))
            if (!allowed(source, path))
            {
                elsewhere = source == ReferenceIndex.Trailer ? $"trailer {path}" : $"đối tượng {source} {path}";
                return false;
            }
        elsewhere = "";
        return true;
    }

    PdfObject? Old(PdfObject? value) => file.Resolve(value, oldRev);
    PdfObject? New(PdfObject? value) => file.Resolve(value, newRev);

    void Analyse()
    {
        Inventory();
        if (added.Count == 0 && redefined.Count == 0 && Level == ModificationLevel.None) return;
        oldRoot = file.RootReference(oldRev)?.Number ?? -1;

        TrailerRule();
        CatalogRule();
        DssRule();
        var fields = FormRule();
        PageRule(fields);
        DanglingReferences();
        Orphans();

        foreach (var n in added.Concat(redefined).Order())
        {
            if (approved.TryGetValue(n, out var level)) Raise(level);
            else Other($"đối tượng {n} ({Describe(n)}) {(IsNew(n) ? "được thêm" : "bị thay đổi")} ngoài các thay đổi được phép");
        }
    }

    /// <summary>Sorts the update's entries into added and redefined objects; identical redefinitions are not changes.</summary>
    void Inventory()
    {
        var revision = file.Revisions[newRev];
        var containers = new HashSet<int>(revision.XrefStreamObjects);
        foreach (var e in revision.Entries.Values)
            if (e.Kind == XrefEntryKind.Compressed) containers.Add(e.StreamNumber);
        foreach (var (n, entry) in revision.Entries.OrderBy(e => e.Key))
        {
            ct.ThrowIfCancellationRequested();
            if (n == 0) continue;
            var before = file.Lookup(n, oldRev);
            if (entry.Kind == XrefEntryKind.Free)
            {
                if (before is not null) Other($"đối tượng {n} ({Describe(n, oldRev)}) bị xóa");
                continue;
            }
            if (containers.Contains(n))
            {
                // Cross-reference and object streams only carry other objects; they must not replace anything.
                if (before is not null) Other($"luồng tham chiếu chéo hoặc luồng đối tượng ghi đè đối tượng {n}");
                continue;
            }
            if (before is null)
            {
                added.Add(n);
                continue;
            }
            if (before.Value.SameLocation(entry)) continue;
            if (!file.SameValue(file.GetObject(n, oldRev), file.GetObject(n, newRev))) redefined.Add(n);
        }
    }

    // ----- trailer, catalog, document information, metadata, extensions -----

    void TrailerRule()
    {
        var oldT = file.Trailer(oldRev);
        var newT = file.Trailer(newRev);
        foreach (var key in oldT.Keys.Union(newT.Keys).Where(k => !TrailerBookkeeping.Contains(k)))
            if (!file.SameValue(oldT.Get(key), newT.Get(key)))
                Other($"khóa /{key} của trailer thay đổi");

        if (KeyTarget(oldT.Get("Info"), newT.Get("Info"), ReferenceIndex.Trailer, "/Info", ModificationLevel.None,
                v => v is PdfDictionary, "thông tin tài liệu (/Info)") is true)
            Raise(ModificationLevel.None, "cập nhật thông tin tài liệu (/Info)");
    }

    void CatalogRule()
    {
        var oldCat = file.Catalog(oldRev);
        var newCat = file.Catalog(newRev);
        var newRoot = file.RootReference(newRev)?.Number ?? -1;
        foreach (var key in oldCat.Keys.Union(newCat.Keys).Where(k => !CatalogMayChange.Contains(k)))
            if (!file.SameValue(oldCat.Get(key), newCat.Get(key)))
                Other($"khóa /{key} của danh mục tài liệu (catalog) thay đổi");
        // The catalog itself may be redefined: its keys were just compared one by one. Like pyHanko this is a blanket
        // approval, because /Data of a DocMDP reference and other legitimate entries point at the catalog.
        if (newRoot != oldRoot && !IsNew(newRoot) && IsRedefined(newRoot)) Other($"danh mục tài liệu mới ghi đè đối tượng {newRoot}");
        else Approve(newRoot, ModificationLevel.None);

        if (!file.SameValue(oldCat.Get("Version"), newCat.Get("Version")) && newCat.Get("Version") is not (null or PdfName))
            Other("/Version của danh mục tài liệu không phải là tên");
        if (KeyTarget(oldCat.Get("Extensions"), newCat.Get("Extensions"), oldRoot, "/Extensions", ModificationLevel.None,
                v => v is PdfDictionary, "phần mở rộng (/Extensions)") is true)
            Raise(ModificationLevel.None, "cập nhật /Extensions");
        if (KeyTarget(oldCat.Get("Metadata"), newCat.Get("Metadata"), oldRoot, "/Metadata", ModificationLevel.None,
                v => v is PdfStream, "siêu dữ liệu XMP (/Metadata)") is true)
            Raise(ModificationLevel.None, "cập nhật siêu dữ liệu XMP (/Metadata)");
    }

    /// <summary>
    /// A key whose value may change: a new object is approved with what it newly references; the same object redefined
    /// is approved only when it was used nowhere else; pointing at a different existing object is refused (it would
    /// re-purpose that object). Returns true when something changed and was approved, false when refused, null when unchanged.
    /// </summary>
    bool? KeyTarget(PdfObject? oldValue, PdfObject? newValue, int owner, string path, ModificationLevel level,
        Func<PdfObject?, bool> typeOk, string what, bool withDependencies = true)
    {
        if (file.SameValue(oldValue, newValue) && !(newValue is PdfReference same && IsRedefined(same.Number))) return null;
        if (newValue is null)
        {
            Other($"{what} bị xóa");
            return false;
        }
        if (!typeOk(New(newValue)))
        {
            Other($"{what} có kiểu không hợp lệ");
            return false;
        }
        if (newValue is PdfReference r)
        {
            if (IsNew(r.Number)) Approve(r.Number, level);
            else if (IsRedefined(r.Number))
            {
                if (oldValue is not PdfReference o || o.Number != r.Number)
                {
                    Other($"{what} trỏ tới đối tượng {r.Number} vốn dùng cho việc khác");
                    return false;
                }
                if (!OnlyUsedAt(r.Number, (s, p) => s == owner && p == path, out var elsewhere))
                {
                    Other($"{what} (đối tượng {r.Number}) bị thay đổi nhưng còn được dùng ở {elsewhere}");
                    return false;
                }
                Approve(r.Number, level);
            }
            else if (oldValue is not PdfReference o2 || o2.Number != r.Number)
            {
                Other($"{what} trỏ tới đối tượng {r.Number} vốn dùng cho việc khác");
                return false;
            }
        }
        if (withDependencies) ApproveNewDependencies(newValue, level);
        return true;
    }

    /// <summary>Approves every object added in this update that <paramref name="value"/> reaches through other added objects.</summary>
    void ApproveNewDependencies(PdfObject? value, ModificationLevel level)
    {
        var stack = new Stack<PdfObject>();
        var seen = new HashSet<int>();
        if (value is not null) stack.Push(value);
        while (stack.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            switch (stack.Pop())
            {
                case PdfReference r when IsNew(r.Number) && seen.Add(r.Number):
                    Approve(r.Number, level);
                    var target = file.GetObject(r.Number, newRev);
                    if (target is PdfStream s) stack.Push(s.Dictionary);
                    else if (target is not null) stack.Push(target);
                    break;
                case PdfArray a:
                    foreach (var item in a) stack.Push(item);
                    break;
                case PdfDictionary d:
                    foreach (var (_, v) in d) stack.Push(v);
                    break;
            }
        }
    }

    // ----- document security store (validation data, PAdES-LT/LTA) -----

    void DssRule()
    {
        var oldDss = file.Catalog(oldRev).Get("DSS");
        var newDss = file.Catalog(newRev).Get("DSS");
        if (file.SameValue(oldDss, newDss) && !(newDss is PdfReference r0 && IsRedefined(r0.Number))) return;
        if (newDss is null)
        {
            Other("/DSS bị xóa");
            return;
        }
        // Objects that make up the old DSS (dictionaries and arrays, not the encoded data): one of them may be
        // redefined only if nothing outside the DSS used it.
        var oldParts = new HashSet<int>();
        WalkDss(oldDss, oldRev, part: n => oldParts.Add(n), data: _ => { });
        var ok = true;
        WalkDss(newDss, newRev,
            part: n =>
            {
                if (IsNew(n)) Approve(n, ModificationLevel.None);
                else if (IsRedefined(n))
                {
                    if (oldParts.Contains(n) && OnlyUsedAt(n, (s, p) => (s == oldRoot && p == "/DSS") || oldParts.Contains(s), out _))
                        Approve(n, ModificationLevel.None);
                    else
                    {
                        Other($"/DSS ghi đè đối tượng {n} vốn dùng cho việc khác");
                        ok = false;
                    }
                }
            },
            data: n =>
            {
                if (IsNew(n)) Approve(n, ModificationLevel.None);
                else if (IsRedefined(n))
                {
                    Other($"/DSS ghi đè luồng dữ liệu {n}");
                    ok = false;
                }
            },
            problem: p =>
            {
                Other(p);
                ok = false;
            });
        if (ok) Raise(ModificationLevel.None, "cập nhật dữ liệu kiểm tra hiệu lực (/DSS)");
    }

    /// <summary>Visits the DSS: <paramref name="part"/> for indirect dictionaries and arrays, <paramref name="data"/> for streams.</summary>
    void WalkDss(PdfObject? dss, int revision, Action<int> part, Action<int> data, Action<string>? problem = null)
    {
        void Problem(string p) => problem?.Invoke(p);
        PdfObject? Res(PdfObject? v) => file.Resolve(v, revision);
        void Container(PdfObject? v)
        {
            if (v is PdfReference r) part(r.Number);
        }
        void StreamArray(PdfObject? v, string key)
        {
            Container(v);
            if (Res(v) is not PdfArray array)
            {
                Problem($"/DSS {key} không phải là mảng");
                return;
            }
            foreach (var item in array)
            {
                if (item is PdfReference r && Res(item) is PdfStream) data(r.Number);
                else Problem($"/DSS {key} chứa phần tử không phải luồng dữ liệu");
            }
        }

        Container(dss);
        if (Res(dss) is not PdfDictionary dict)
        {
            Problem("/DSS không phải là từ điển");
            return;
        }
        foreach (var (key, value) in dict)
        {
            ct.ThrowIfCancellationRequested();
            if (!DssKeys.Contains(key)) Problem($"/DSS có khóa lạ /{key}");
            else if (key is "Certs" or "CRLs" or "OCSPs") StreamArray(value, key);
            else if (key == "VRI")
            {
                Container(value);
                if (Res(value) is not PdfDictionary vri)
                {
                    Problem("/DSS /VRI không phải là từ điển");
                    continue;
                }
                foreach (var (hash, entryValue) in vri)
                {
                    Container(entryValue);
                    if (Res(entryValue) is not PdfDictionary entry)
                    {
                        Problem($"/VRI /{hash} không phải là từ điển");
                        continue;
                    }
                    foreach (var (k, v) in entry)
                    {
                        if (!VriKeys.Contains(k)) Problem($"/VRI /{hash} có khóa lạ /{k}");
                        else if (k is "Cert" or "CRL" or "OCSP") StreamArray(v, k);
                        else if (k == "TS" && v is PdfReference ts && Res(v) is PdfStream) data(ts.Number);
                    }
                }
            }
        }
    }

    // ----- references that appear or vanish -----

    /// <summary>An object that existed before and refers to a number only now defined changes meaning: it is not allowed.</summary>
    void DanglingReferences()
    {
        foreach (var n in added)
            foreach (var (source, path) in OldIndex.Of(n))
                if (source == ReferenceIndex.Trailer || !IsNewOrRedefined(source))
                {
                    Other($"đối tượng mới {n} được tham chiếu từ {(source < 0 ? "trailer" : $"đối tượng cũ {source}")} {path}");
                    break;
                }
    }

    /// <summary>Added objects nothing reaches (from the trailer or from redefined objects) cannot be shown; they are ignored.</summary>
    void Orphans()
    {
        if (added.Count == 0) return;
        var reached = new HashSet<int>();
        var stack = new Stack<PdfObject>();
        stack.Push(file.Trailer(newRev));
        foreach (var n in redefined)
            if (file.GetObject(n, newRev) is { } v) stack.Push(v is PdfStream s ? s.Dictionary : v);
        while (stack.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            switch (stack.Pop())
            {
                case PdfReference r when IsNew(r.Number) && reached.Add(r.Number):
                    var target = file.GetObject(r.Number, newRev);
                    if (target is PdfStream s) stack.Push(s.Dictionary);
                    else if (target is not null) stack.Push(target);
                    break;
                case PdfArray a:
                    foreach (var item in a) stack.Push(item);
                    break;
                case PdfDictionary d:
                    foreach (var (_, v) in d) stack.Push(v);
                    break;
            }
        }
        foreach (var n in added.Where(n => !reached.Contains(n) && !approved.ContainsKey(n)))
            Approve(n, ModificationLevel.None);
    }

    string Describe(int number, int? revision = null)
    {
        try
        {
            return file.GetObject(number, revision ?? newRev) switch
            {
                PdfStream s => s.Dictionary.GetName("Subtype") is { } st ? $"luồng /{st}" : s.Dictionary.GetName("Type") is { } t ? $"luồng /{t}" : "luồng nội dung",
                PdfDictionary d => d.GetName("Type") is { } t ? $"/{t}" + (d.GetName("Subtype") is { } st ? $" /{st}" : "")
                    : d.GetName("Subtype") is { } st2 ? $"/{st2}" : d.ContainsKey("FT") ? "trường biểu mẫu" : "từ điển",
                PdfArray => "mảng",
                null => "không tồn tại",
                _ => "giá trị",
            };
        }
        catch (PdfFormatException)
        {
            return "không đọc được";
        }
    }
}
