namespace Portal.Core.Signatures.Pdf;

/// <summary>Pages and annotations: the page tree must not change; annotations may be added (level "annotations").</summary>
internal sealed partial class RevisionDiff
{
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
}
