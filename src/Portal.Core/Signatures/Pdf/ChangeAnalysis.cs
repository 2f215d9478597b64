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
internal sealed class RevisionDiff
{
    // Keys of a form field that filling it in may change (pyHanko VALUE_UPDATE_KEYS) and those that may change even
    // on a field already signed (flags and type, which some producers rewrite).
    static readonly HashSet<string> ValueKeys = ["AP", "AS", "V", "F", "DA", "Q", "Ff", "Type"];
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

    // ----- form fields, signatures and their appearances -----

    /// <summary>Checks the AcroForm and every field; returns the new revision's fields (for the page rule).</summary>
    IReadOnlyList<PdfField> FormRule()
    {
        var oldCat = file.Catalog(oldRev);
        var newCat = file.Catalog(newRev);
        var oldFormRaw = oldCat.Get("AcroForm");
        var newFormRaw = newCat.Get("AcroForm");
        var oldForm = Old(oldFormRaw) as PdfDictionary;
        var newForm = New(newFormRaw) as PdfDictionary;
        var oldFields = file.Fields(oldRev);
        var newFields = file.Fields(newRev);
        if (newForm is null)
        {
            if (oldForm is not null) Other("biểu mẫu (/AcroForm) bị xóa");
            return newFields;
        }

        var oldFormDict = oldForm ?? new PdfDictionary();
        foreach (var key in oldFormDict.Keys.Union(newForm.Keys).Where(k => !AcroFormMayChange.Contains(k)))
            if (!file.SameValue(oldFormDict.Get(key), newForm.Get(key)))
                Other($"khóa /{key} của biểu mẫu (/AcroForm) thay đổi");
        // The form and its field list: only the containers are approved here; what they hold is judged field by field.
        KeyTarget(oldFormRaw, newFormRaw, oldRoot, "/AcroForm", ModificationLevel.None, v => v is PdfDictionary, "biểu mẫu (/AcroForm)",
            withDependencies: false);
        var formOwner = oldFormRaw is PdfReference fr ? fr.Number : oldRoot;
        var formPath = oldFormRaw is PdfReference ? "" : "/AcroForm";
        KeyTarget(oldFormDict.Get("Fields"), newForm.Get("Fields"), formOwner, formPath + "/Fields", ModificationLevel.None,
            v => v is PdfArray, "danh sách trường (/Fields)", withDependencies: false);
        KeyTarget(oldFormDict.Get("DR"), newForm.Get("DR"), formOwner, formPath + "/DR", ModificationLevel.FormFilling,
            v => v is PdfDictionary, "tài nguyên mặc định của biểu mẫu (/DR)");

        var oldByName = Keyed(oldFields);
        var newByName = Keyed(newFields);
        foreach (var (key, _) in oldByName.Where(o => !newByName.ContainsKey(o.Key)))
            Other($"trường {Name(key)} bị xóa");
        foreach (var (key, field) in newByName)
        {
            ct.ThrowIfCancellationRequested();
            oldByName.TryGetValue(key, out var before);
            if (field.FieldType == "Sig") SignatureField(field, before);
            else OtherField(field, before);
        }
        return newFields;
    }

    static Dictionary<string, PdfField> Keyed(IReadOnlyList<PdfField> fields)
    {
        // Broken forms repeat full names; the k-th field of a name matches the k-th field of that name.
        var result = new Dictionary<string, PdfField>();
        var counts = new Dictionary<string, int>();
        foreach (var f in fields)
        {
            var k = counts.GetValueOrDefault(f.FullName);
            counts[f.FullName] = k + 1;
            result[k == 0 ? f.FullName : $"{f.FullName}\u0000{k}"] = f;
        }
        return result;
    }

    static string Name(string key) => key.Split('\u0000')[0];

    bool Visible(PdfField field) => field.Widgets.Any(w => New(w.Dictionary.Get("Rect")) is PdfArray { Count: 4 } rect
        && Number(New(rect[0])) is { } x1 && Number(New(rect[1])) is { } y1 && Number(New(rect[2])) is { } x2
        && Number(New(rect[3])) is { } y2 && Math.Abs(x2 - x1) * Math.Abs(y2 - y1) > 0);

    static double? Number(PdfObject? v) => v switch { PdfInteger i => i.Value, PdfReal r => r.Value, _ => null };

    /// <summary>A field or widget dictionary may be redefined when only the given keys changed and it was used only as a field or annotation.</summary>
    bool FieldObject(int number, PdfDictionary? before, PdfDictionary after, HashSet<string> mayChange, ModificationLevel level, string what)
    {
        if (number < 0 || !IsRedefined(number)) return true;
        if (before is null)
        {
            Other($"{what} ghi đè đối tượng {number} vốn dùng cho việc khác");
            return false;
        }
        foreach (var key in before.Keys.Union(after.Keys).Where(k => !mayChange.Contains(k)))
            if (!file.SameValue(before.Get(key), after.Get(key)))
            {
                Other($"{what}: khóa /{key} thay đổi");
                return false;
            }
        if (after.Get("Type") is { } type && !file.SameValue(before.Get("Type"), type) && !(before.Get("Type") is null && type is PdfName { Value: "Annot" }))
        {
            Other($"{what}: /Type thay đổi");
            return false;
        }
        if (!OnlyUsedAt(number, (_, p) => IsFieldPath(p), out var elsewhere))
        {
            Other($"{what} (đối tượng {number}) còn được dùng ở {elsewhere}");
            return false;
        }
        Approve(number, level);
        return true;
    }

    // Where a field or widget is legitimately referenced from: field lists, kids, page annotations, parents, popups.
    static bool IsFieldPath(string path)
    {
        var last = path.LastIndexOf('/');
        var key = last < 0 ? path : path[last..];
        var bracket = key.IndexOf('[');
        if (bracket >= 0) key = key[..bracket];
        return key is "/Fields" or "/Kids" or "/Annots" or "/Parent" or "/CO" or "/Popup" or "/IRT";
    }

    void SignatureField(PdfField field, PdfField? before)
    {
        var visible = Visible(field);
        var name = field.FullName;
        if (before is null)
        {
            // A new signature field: invisible ones are validation-level changes, visible ones form filling (pyHanko).
            var level = visible ? ModificationLevel.FormFilling : ModificationLevel.None;
            if (field.Number >= 0 && !IsNew(field.Number) && IsRedefined(field.Number))
                Other($"trường chữ ký mới {name} ghi đè đối tượng {field.Number}");
            else Approve(field.Number, level);
            foreach (var w in field.Widgets.Where(w => w.Number != field.Number))
            {
                if (w.Number >= 0 && !IsNew(w.Number) && IsRedefined(w.Number)) Other($"widget của trường chữ ký mới {name} ghi đè đối tượng {w.Number}");
                else Approve(w.Number, level);
            }
            if (field.Dictionary.Get("Kids") is PdfReference kids)
            {
                if (IsRedefined(kids.Number)) Other($"danh sách widget của trường chữ ký mới {name} ghi đè đối tượng {kids.Number}");
                else Approve(kids.Number, level);
            }
            foreach (var w in field.Widgets)
            {
                if (w.Number >= 0) newSignatureWidgets[w.Number] = level;
                foreach (var key in new[] { "AP", "Lock", "SV", "MK" }) ApproveNewDependencies(w.Dictionary.Get(key), ModificationLevel.FormFilling);
            }
            foreach (var key in new[] { "Lock", "SV" }) ApproveNewDependencies(field.Dictionary.Get(key), ModificationLevel.FormFilling);
            if (field.Widgets.Count > 0) Raise(level, $"thêm trường chữ ký {name}{(visible ? " (hiển thị)" : "")}");
            if (field.Value is not null and not PdfNull) SignatureValue(field, visible);
            return;
        }

        var wasSigned = before.Value is not null and not PdfNull;
        var isSigned = field.Value is not null and not PdfNull;
        if (wasSigned)
        {
            // A signed field must stay as it is; only flags and /Type may be rewritten (Acrobat sets /Ff freely).
            if (!file.SameValue(before.Value, field.Value)) Other($"giá trị của trường chữ ký đã ký {name} bị thay đổi");
            FieldObject(field.Number, before.Dictionary, field.Dictionary, AlwaysModifiable, ModificationLevel.None, $"trường chữ ký {name}");
            foreach (var w in field.Widgets.Where(w => w.Number != field.Number))
                FieldObject(w.Number, before.Widgets.FirstOrDefault(o => o.Number == w.Number)?.Dictionary, w.Dictionary,
                    AlwaysModifiable, ModificationLevel.None, $"widget của trường chữ ký {name}");
            return;
        }
        if (!isSigned)
        {
            FieldObject(field.Number, before.Dictionary, field.Dictionary, AlwaysModifiable, ModificationLevel.None, $"trường chữ ký {name}");
            foreach (var w in field.Widgets.Where(w => w.Number != field.Number))
                FieldObject(w.Number, before.Widgets.FirstOrDefault(o => o.Number == w.Number)?.Dictionary, w.Dictionary,
                    AlwaysModifiable, ModificationLevel.None, $"widget của trường chữ ký {name}");
            return;
        }

        // An existing empty signature field is signed now.
        FieldObject(field.Number, before.Dictionary, field.Dictionary, ValueKeys, ModificationLevel.None, $"trường chữ ký {name}");
        Widgets(field, before, ModificationLevel.FormFilling, $"trường chữ ký {name}");
        SignatureValue(field, visible);
    }

    void SignatureValue(PdfField field, bool visible)
    {
        var name = field.FullName;
        if (field.Value is not PdfReference v)
        {
            Other($"giá trị của trường chữ ký {name} không phải là tham chiếu gián tiếp");
            return;
        }
        if (!IsNew(v.Number))
        {
            Other($"trường chữ ký {name} trỏ tới đối tượng {v.Number} đã có trước");
            return;
        }
        if (New(v) is not PdfDictionary sig)
        {
            Other($"giá trị của trường chữ ký {name} không phải là từ điển");
            return;
        }
        // An invisible document timestamp is validation data (PAdES-LTA); any other signature is form filling.
        var timestamp = sig.GetName("Type") == "DocTimeStamp" && !visible;
        var level = timestamp ? ModificationLevel.None : ModificationLevel.FormFilling;
        Approve(v.Number, level);
        ApproveNewDependencies(sig, level);
        Raise(level, timestamp ? $"thêm dấu thời gian tài liệu ({name})" : $"thêm chữ ký vào trường {name}");
    }

    void OtherField(PdfField field, PdfField? before)
    {
        var name = field.FullName;
        if (before is null)
        {
            Other($"thêm trường biểu mẫu mới {name} (không phải trường chữ ký)");
            return;
        }
        var changed = false;
        if (field.Number >= 0 && IsRedefined(field.Number))
        {
            changed = true;
            FieldObject(field.Number, before.Dictionary, field.Dictionary, ValueKeys, ModificationLevel.FormFilling, $"trường {name}");
        }
        if (!file.SameValue(before.Value, field.Value))
        {
            changed = true;
            ApproveNewDependencies(field.Value, ModificationLevel.FormFilling);
        }
        changed |= Widgets(field, before, ModificationLevel.FormFilling, $"trường {name}");
        if (changed) Raise(ModificationLevel.FormFilling, $"điền trường biểu mẫu {name}");
    }

    /// <summary>Widget kids of an existing field and the appearance of every widget. True when something changed.</summary>
    bool Widgets(PdfField field, PdfField before, ModificationLevel level, string what)
    {
        var changed = false;
        for (var i = 0; i < field.Widgets.Count; i++)
        {
            var w = field.Widgets[i];
            // Indirect widgets match by object number; direct ones (rare) by position.
            var old = w.Number >= 0
                ? before.Widgets.FirstOrDefault(o => o.Number == w.Number)
                : before.Widgets.Count == field.Widgets.Count && before.Widgets[i].Number < 0 ? before.Widgets[i] : null;
            if (old is null)
            {
                Other($"{what}: widget {w.Number} không có trong phiên bản trước");
                continue;
            }
            if (w.Number != field.Number && w.Number >= 0 && IsRedefined(w.Number))
            {
                changed = true;
                FieldObject(w.Number, old.Dictionary, w.Dictionary, WidgetValueKeys, level, $"widget của {what}");
            }
            changed |= Appearance(w.Number, old.Dictionary, w.Dictionary, level, what);
        }
        return changed;
    }

    /// <summary>
    /// A widget's or annotation's appearance (/AP). New appearance streams are fine; an existing stream redefined in
    /// place, or an indirect /AP dictionary replaced, only when nothing else in the old revision used it (pyHanko's
    /// "sneaky" cases). True when the appearance changed.
    /// </summary>
    bool Appearance(int owner, PdfDictionary before, PdfDictionary after, ModificationLevel level, string what)
    {
        var oldAp = before.Get("AP");
        var newAp = after.Get("AP");
        if (newAp is null)
        {
            if (oldAp is not null) Other($"{what}: giao diện (/AP) bị xóa");
            return oldAp is not null;
        }
        bool UsedOnlyBy(int number, int apDict)
        {
            var ok = OnlyUsedAt(number, (s, p) => (s == owner && owner >= 0 && p.StartsWith("/AP", StringComparison.Ordinal))
                || (s == apDict && apDict >= 0 && (p.StartsWith("/N", StringComparison.Ordinal) || p.StartsWith("/R", StringComparison.Ordinal)
                    || p.StartsWith("/D", StringComparison.Ordinal))), out var elsewhere);
            if (!ok) Other($"{what}: giao diện (đối tượng {number}) bị thay đổi nhưng còn được dùng ở {elsewhere}");
            return ok;
        }

        var changed = false;
        if (file.SameValue(oldAp, newAp))
        {
            // Same /AP: the appearance dictionary or its streams may still have been redefined in place.
            var apNumber = newAp is PdfReference apRef ? apRef.Number : -1;
            var streams = AppearanceStreams(New(newAp)).ToList();
            if (apNumber >= 0 && (IsRedefined(apNumber) || streams.Any(IsRedefined)))
            {
                // Whatever is redefined under an indirect /AP is drawn wherever that dictionary is used.
                if (!UsedOnlyBy(apNumber, -1)) return true;
                if (IsRedefined(apNumber)) Approve(apNumber, level);
                changed = true;
            }
            foreach (var stream in streams)
                if (IsRedefined(stream))
                {
                    changed = true;
                    if (!UsedOnlyBy(stream, apNumber)) continue;
                    Approve(stream, level);
                    ApproveNewDependencies(file.GetObject(stream, newRev) is PdfStream s ? s.Dictionary : null, level);
                }
                else if (IsNew(stream))
                {
                    changed = true;
                    ApproveNewDependencies(new PdfReference(stream, 0), level);
                }
            return changed;
        }

        // The /AP entry changed. An old indirect /AP dictionary must have belonged to this widget alone.
        if (oldAp is PdfReference oldRef && !UsedOnlyBy(oldRef.Number, -1)) return true;
        if (New(newAp) is not PdfDictionary apDict)
        {
            Other($"{what}: giao diện (/AP) không phải là từ điển");
            return true;
        }
        if (newAp is PdfReference newRef)
        {
            if (IsNew(newRef.Number)) Approve(newRef.Number, level);
            else
            {
                Other($"{what}: giao diện (/AP) trỏ tới đối tượng {newRef.Number} đã có trước");
                return true;
            }
        }
        foreach (var stream in AppearanceStreams(apDict))
        {
            if (IsNew(stream)) ApproveNewDependencies(new PdfReference(stream, 0), level);
            else if (IsRedefined(stream)) Other($"{what}: giao diện mới ghi đè luồng {stream} đã có trước");
        }
        return true;
    }

    /// <summary>Object numbers of the streams an appearance dictionary names (/N, /R, /D, directly or per state).</summary>
    IEnumerable<int> AppearanceStreams(PdfObject? ap)
    {
        if (ap is not PdfDictionary dict) yield break;
        foreach (var key in new[] { "N", "R", "D" })
        {
            var v = dict.Get(key);
            if (v is PdfReference r && New(r) is PdfStream) yield return r.Number;
            else if (New(v) is PdfDictionary states)
            {
                if (v is PdfReference statesRef) yield return statesRef.Number;
                foreach (var (_, s) in states)
                    if (s is PdfReference sr) yield return sr.Number;
            }
        }
    }

    // ----- pages and annotations -----

    void PageRule(IReadOnlyList<PdfField> fields)
    {
        var oldPages = file.Pages(oldRev);
        var newPages = file.Pages(newRev);
        if (oldPages.Count != newPages.Count)
        {
            Other($"số trang thay đổi từ {oldPages.Count} thành {newPages.Count}");
            return;
        }
        var fieldWidgets = new HashSet<int>(fields.SelectMany(f => f.Widgets).Select(w => w.Number).Where(n => n >= 0));
        for (var i = 0; i < newPages.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var (oldPage, newPage) = (oldPages[i], newPages[i]);
            if (oldPage.Number != newPage.Number)
            {
                Other($"trang {i + 1} được thay bằng đối tượng khác");
                continue;
            }
            if (newPage.Number >= 0 && IsRedefined(newPage.Number))
            {
                var differs = oldPage.Dictionary.Keys.Union(newPage.Dictionary.Keys)
                    .Where(k => k != "Annots" && !file.SameValue(oldPage.Dictionary.Get(k), newPage.Dictionary.Get(k))).ToList();
                foreach (var k in differs) Other($"trang {i + 1}: khóa /{k} thay đổi");
                // Pages are referenced from many places (outlines, links, /P of annotations); with every key but
                // /Annots unchanged, the redefinition is approved as a whole, as pyHanko does.
                if (differs.Count == 0) Approve(newPage.Number, ModificationLevel.None);
            }
            Annotations(i, oldPage, newPage, fieldWidgets);
        }
    }

    void Annotations(int pageIndex, PdfPage oldPage, PdfPage newPage, HashSet<int> fieldWidgets)
    {
        var page = $"trang {pageIndex + 1}";
        var oldRaw = oldPage.Dictionary.Get("Annots");
        var newRaw = newPage.Dictionary.Get("Annots");
        var oldList = AnnotationNumbers(file.Resolve(oldRaw, oldRev));
        var newList = AnnotationNumbers(file.Resolve(newRaw, newRev));
        if (oldList is null || newList is null)
        {
            if (!file.SameValue(oldRaw, newRaw) || (newRaw is PdfReference nr && IsRedefined(nr.Number)))
                Other($"{page}: danh sách chú thích (/Annots) không đọc được");
            return;
        }
        KeyTarget(oldRaw, newRaw, newPage.Number, "/Annots", ModificationLevel.None, v => v is PdfArray, $"danh sách chú thích của {page}",
            withDependencies: false);

        foreach (var gone in oldList.Except(newList)) Other($"{page}: chú thích {gone} bị xóa");
        foreach (var a in newList.Except(oldList))
        {
            if (newSignatureWidgets.TryGetValue(a, out var widgetLevel))
            {
                Raise(widgetLevel);
                continue;
            }
            var annot = file.GetObject(a, newRev) as PdfDictionary;
            var subtype = annot?.GetName("Subtype");
            if (annot is null || subtype is null)
            {
                Other($"{page}: thêm đối tượng {a} không phải chú thích vào /Annots");
                continue;
            }
            if (subtype == "Widget")
            {
                Other($"{page}: thêm widget {a} không thuộc trường chữ ký mới");
                continue;
            }
            if (IsRedefined(a))
            {
                Other($"{page}: chú thích mới ghi đè đối tượng {a}");
                continue;
            }
            if (IsNew(a)) ApproveNewDependencies(new PdfReference(a, 0), ModificationLevel.Annotations);
            Raise(ModificationLevel.Annotations, $"{page}: thêm chú thích /{subtype}");
        }
        foreach (var a in newList.Intersect(oldList))
        {
            // Changed widgets were judged with their fields; other annotations changed in place are "annotations".
            if (!IsRedefined(a) || fieldWidgets.Contains(a)) continue;
            var before = file.GetObject(a, oldRev) as PdfDictionary;
            var after = file.GetObject(a, newRev) as PdfDictionary;
            if (before is null || after is null || after.GetName("Subtype") is null or "Widget")
            {
                Other($"{page}: đối tượng {a} trong /Annots bị thay đổi");
                continue;
            }
            if (!OnlyUsedAt(a, (_, p) => IsFieldPath(p), out var elsewhere))
            {
                Other($"{page}: chú thích {a} bị thay đổi nhưng còn được dùng ở {elsewhere}");
                continue;
            }
            Approve(a, ModificationLevel.Annotations);
            var apLevel = ModificationLevel.Annotations;
            Appearance(a, before, after, apLevel, $"chú thích {a}");
            foreach (var (key, value) in after)
                if (key != "AP") ApproveNewDependencies(value, ModificationLevel.Annotations);
            Raise(ModificationLevel.Annotations, $"{page}: chú thích /{after.GetName("Subtype")} bị sửa");
        }
    }

    static List<int>? AnnotationNumbers(PdfObject? annots)
    {
        if (annots is null) return [];
        if (annots is not PdfArray array) return null;
        var list = new List<int>();
        foreach (var item in array)
        {
            if (item is not PdfReference r) return null; // direct annotations cannot be tracked across revisions
            list.Add(r.Number);
        }
        return list;
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
