namespace Portal.Core.Signatures.Pdf;

/// <summary>Form fields, signatures and appearances: what filling in or signing a form may change (pyHanko's form rules).</summary>
internal sealed partial class RevisionDiff
{
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
}
