namespace Portal.Core.Signatures.Pdf;

/// <summary>
/// What changed in a PDF after a signed revision (SIGNATURES.md §3.9): every object redefined or added by a later
/// revision is compared with its signed version and put in the least permissive category that explains it. Anything
/// not recognised as validation data, form filling, a signature or an annotation is "other": being conservative is
/// what catches the shadow, ISA and sneaky-signature attacks, whose cryptography is intact.
/// </summary>
public static class ChangeAnalysis
{
    // Catalog keys a later signature or validation data may touch; every other catalog change alters the document.
    static readonly HashSet<string> CatalogKeys = ["AcroForm", "DSS", "Extensions", "Version"];
    static readonly HashSet<string> FormKeys = ["Fields", "SigFlags", "NeedAppearances"];
    static readonly HashSet<string> FieldValueKeys = ["V", "AP", "AS", "Kids"];

    public static (ModificationLevel Level, IReadOnlyList<string> Details) Classify(PdfFile file, int signed, int signatureObject, CancellationToken ct)
    {
        var final = file.Revisions.Count - 1;
        if (signed >= final) return (ModificationLevel.None, []);
        var level = ModificationLevel.None;
        var details = new List<string>();
        void Raise(ModificationLevel to, string why)
        {
            if (to > level) level = to;
            if (to > ModificationLevel.None && details.Count < 50) details.Add(why);
        }

        var pagesBefore = file.Pages(signed);
        var pagesAfter = file.Pages();
        if (pagesBefore.Count != pagesAfter.Count) Raise(ModificationLevel.Other, $"Số trang thay đổi từ {pagesBefore.Count} thành {pagesAfter.Count}.");
        var pageNumbers = pagesBefore.Select(p => p.Number).ToHashSet();
        var root = file.RootReference(signed)?.Number ?? -1;
        if (file.RootReference()?.Number != root) Raise(ModificationLevel.Other, "Mục lục tài liệu (/Root) bị thay thế.");
        var formNumber = file.Catalog(signed).Get("AcroForm") is PdfReference fr ? fr.Number : -1;
        var dssNumber = file.Catalog().Get("DSS") is PdfReference dr ? dr.Number : -1;

        var changed = new SortedSet<int>();
        for (var r = signed + 1; r <= final; r++)
        {
            var xrefStreams = file.Revisions[r].XrefStreamObjects;
            foreach (var n in file.Revisions[r].Objects.Keys)
                if (!xrefStreams.Contains(n)) changed.Add(n);
        }

        foreach (var n in changed)
        {
            ct.ThrowIfCancellationRequested();
            var before = file.GetObject(n, signed);
            var after = file.GetObject(n);
            if (before is not null && after is not null && file.SameValue(before, after)) continue;
            if (after is null)
            {
                if (before is not null) Raise(ModificationLevel.Other, $"Đối tượng {n} bị xóa.");
                continue;
            }
            if (n == signatureObject) { Raise(ModificationLevel.Other, "Từ điển chữ ký bị sửa sau khi ký."); continue; }
            if (before is null) { NewObject(file, n, after, Raise); continue; }
            if (n == dssNumber) continue;   // validation data (B-LT): certificates, CRLs, OCSP responses
            if (n == root && before is PdfDictionary oldCatalog && after is PdfDictionary newCatalog)
            {
                foreach (var key in ChangedKeys(file, oldCatalog, newCatalog))
                    if (!CatalogKeys.Contains(key)) Raise(ModificationLevel.Other, $"Mục lục tài liệu thay đổi khóa /{key}.");
                    else if (key == "AcroForm" && formNumber < 0) Form(file, signed, oldCatalog.Get("AcroForm"), newCatalog.Get("AcroForm"), Raise);
                continue;
            }
            if (n == formNumber) { Form(file, signed, before, after, Raise); continue; }
            if (pageNumbers.Contains(n) && before is PdfDictionary oldPage && after is PdfDictionary newPage)
            {
                foreach (var key in ChangedKeys(file, oldPage, newPage))
                    if (key != "Annots") Raise(ModificationLevel.Other, $"Trang (đối tượng {n}) thay đổi /{key}.");
                    else Annotations(file, signed, oldPage.Get("Annots"), newPage.Get("Annots"), Raise);
                continue;
            }
            if (before is PdfDictionary oldField && after is PdfDictionary newField && IsField(oldField))
            {
                foreach (var key in ChangedKeys(file, oldField, newField))
                    if (!FieldValueKeys.Contains(key)) Raise(ModificationLevel.Other, $"Trường biểu mẫu (đối tượng {n}) thay đổi /{key}.");
                    else if (key == "AP" && !AppearanceIsNew(file, signed, newField.Get("AP")))
                        Raise(ModificationLevel.Other, $"Hình hiển thị của trường (đối tượng {n}) dùng lại một đối tượng đã có trước khi ký.");
                Raise(ModificationLevel.FormFilling, $"Điền trường biểu mẫu (đối tượng {n}).");
                continue;
            }
            if (before is PdfArray oldArray && after is PdfArray newArray && IsPrefix(file, oldArray, newArray))
            {
                // An indirect /Annots or /Fields array that only grew.
                foreach (var added in newArray.Skip(oldArray.Count)) Added(file, signed, added, Raise);
                continue;
            }
            Raise(ModificationLevel.Other, $"Đối tượng {n} ({Describe(before)}) được định nghĩa lại sau khi ký.");
        }
        return (level, details);
    }

    static void NewObject(PdfFile file, int n, PdfObject value, Action<ModificationLevel, string> raise)
    {
        if (value is not PdfDictionary d) return;   // new streams and arrays matter only where something refers to them
        if (d.GetName("Type") == "Annot" || d.ContainsKey("Subtype") && d.ContainsKey("Rect"))
        {
            if (d.GetName("Subtype") == "Widget")
            {
                if (file.Resolve(d.Get("FT")) is PdfName { Value: "Sig" } || ParentIsSignature(file, d))
                    raise(ModificationLevel.FormFilling, $"Thêm trường chữ ký (đối tượng {n}).");
                else raise(ModificationLevel.Other, $"Thêm trường biểu mẫu mới (đối tượng {n}).");
            }
            else raise(ModificationLevel.Annotations, $"Thêm ghi chú /{d.GetName("Subtype")} (đối tượng {n}).");
        }
        else if (d.GetName("FT") == "Sig") raise(ModificationLevel.FormFilling, $"Thêm trường chữ ký (đối tượng {n}).");
    }

    static bool ParentIsSignature(PdfFile file, PdfDictionary widget) =>
        file.ResolveDictionary(widget.Get("Parent")) is { } parent && file.Resolve(parent.Get("FT")) is PdfName { Value: "Sig" };

    static void Form(PdfFile file, int signed, PdfObject? before, PdfObject? after, Action<ModificationLevel, string> raise)
    {
        var oldForm = file.ResolveDictionary(before, signed) ?? new PdfDictionary();
        if (file.ResolveDictionary(after) is not { } newForm) { raise(ModificationLevel.Other, "Biểu mẫu (/AcroForm) bị xóa."); return; }
        foreach (var key in ChangedKeys(file, oldForm, newForm))
        {
            if (!FormKeys.Contains(key)) { raise(ModificationLevel.Other, $"Biểu mẫu (/AcroForm) thay đổi /{key}."); continue; }
            if (key != "Fields") continue;
            var oldFields = file.Resolve(oldForm.Get("Fields"), signed) as PdfArray ?? new PdfArray([]);
            if (file.Resolve(newForm.Get("Fields")) is not PdfArray newFields || !IsSuperset(file, oldFields, newFields))
            {
                raise(ModificationLevel.Other, "Danh sách trường biểu mẫu bị bớt hoặc thay thế.");
                continue;
            }
            foreach (var added in newFields.Where(f => !oldFields.Any(o => file.SameValue(o, f)))) Added(file, signed, added, raise);
        }
    }

    static void Annotations(PdfFile file, int signed, PdfObject? before, PdfObject? after, Action<ModificationLevel, string> raise)
    {
        var old = file.Resolve(before, signed) as PdfArray ?? new PdfArray([]);
        if (file.Resolve(after) is not PdfArray now || !IsSuperset(file, old, now))
        {
            raise(ModificationLevel.Other, "Ghi chú có sẵn trên trang bị xóa hoặc thay thế.");
            return;
        }
        foreach (var added in now.Where(a => !old.Any(o => file.SameValue(o, a)))) Added(file, signed, added, raise);
    }

    /// <summary>An entry added to /Annots or /Fields: a signature widget is signing; another annotation is an annotation.</summary>
    static void Added(PdfFile file, int signed, PdfObject added, Action<ModificationLevel, string> raise)
    {
        if (added is PdfReference r && file.GetObject(r.Number, signed) is not null)
        {
            // Re-listing an object that existed when signing is fine only when it is unchanged.
            return;
        }
        if (file.Resolve(added) is PdfDictionary d) NewObject(file, added is PdfReference nr ? nr.Number : -1, d, raise);
    }

    static bool AppearanceIsNew(PdfFile file, int signed, PdfObject? ap)
    {
        // Every stream an appearance dictionary points to must be new: redirecting it to an existing object is the
        // "sneaky" form update that makes signed content show elsewhere.
        var stack = new Stack<(PdfObject? Value, int Depth)>();
        stack.Push((ap, 0));
        while (stack.Count > 0)
        {
            var (value, depth) = stack.Pop();
            if (depth > 4) return false;
            if (value is PdfReference r)
            {
                if (file.GetObject(r.Number, signed) is not null) return false;
                value = file.Resolve(r);
            }
            if (value is PdfDictionary d && value is not PdfStream)
                foreach (var (_, v) in d) stack.Push((v, depth + 1));
        }
        return true;
    }

    static bool IsField(PdfDictionary d) => d.ContainsKey("FT") || d.ContainsKey("T") || d.GetName("Subtype") == "Widget";

    static IEnumerable<string> ChangedKeys(PdfFile file, PdfDictionary before, PdfDictionary after)
    {
        foreach (var key in before.Keys.Union(after.Keys))
            if (!file.SameValue(before.Get(key), after.Get(key))) yield return key;
    }

    static bool IsPrefix(PdfFile file, PdfArray before, PdfArray after)
    {
        if (after.Count < before.Count) return false;
        for (var i = 0; i < before.Count; i++)
            if (!file.SameValue(before[i], after[i])) return false;
        return true;
    }

    static bool IsSuperset(PdfFile file, PdfArray before, PdfArray after) =>
        before.All(b => after.Any(a => file.SameValue(a, b)));

    static string Describe(PdfObject value) => value switch
    {
        PdfStream s => s.Dictionary.GetName("Subtype") is { } st ? $"luồng /{st}" : "luồng nội dung",
        PdfDictionary d => d.GetName("Type") is { } t ? $"/{t}" : "từ điển",
        _ => value.GetType().Name.Replace("Pdf", "").ToLowerInvariant(),
    };
}
