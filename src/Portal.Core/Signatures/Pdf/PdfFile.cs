namespace Portal.Core.Signatures.Pdf;

/// <summary>A page with its inherited attributes resolved (§7.7.3.4).</summary>
public sealed record PdfPage(int Number, int Generation, PdfDictionary Dictionary, PdfObject? Resources, PdfObject? MediaBox,
    PdfObject? CropBox, PdfObject? Rotate);

/// <summary>A widget annotation of a field; <see cref="Number"/> is -1 when it is a direct object.</summary>
public sealed record PdfWidget(int Number, PdfDictionary Dictionary);

/// <summary>
/// A terminal form field: fully qualified name, inherited /FT and /Ff, its widgets (the field itself when it has no
/// widget kids). <see cref="Number"/> is -1 when the field dictionary is a direct object.
/// </summary>
public sealed record PdfField(string FullName, string? FieldType, long Flags, int Number, PdfDictionary Dictionary,
    PdfObject? Value, IReadOnlyList<PdfWidget> Widgets);

/// <summary>
/// A PDF read from memory, revision by revision. Objects are parsed lazily, on first use, and cached by location;
/// nothing is copied from the file except decoded object streams. Every failure on malformed input is a
/// <see cref="PdfFormatException"/>; the token given to <see cref="Open"/> is also checked by later lookups.
/// Not thread-safe (the caches): use one instance per request.
/// </summary>
public sealed class PdfFile
{
    public const int MaxReferenceHops = 32;
    public const int MaxTreeNodes = 200_000;

    readonly DecodeBudget budget;
    readonly CancellationToken ct;
    readonly Dictionary<long, PdfIndirectObject> fileObjects = [];
    readonly Dictionary<(long Offset, int Index), PdfIndirectObject> compressedObjects = [];
    readonly Dictionary<long, ObjectStream> objectStreams = [];
    readonly List<string> warnings = [];
    Dictionary<int, List<int>>? headerIndex;
    int lengthDepth;
    int loadDepth;
    int transient; // > 0 while reading objects that need not stay in the cache

    PdfFile(ReadOnlyMemory<byte> data, int headerOffset, DecodeBudget budget, CancellationToken ct)
    {
        Data = data;
        HeaderOffset = headerOffset;
        this.budget = budget;
        this.ct = ct;
    }

    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Where "%PDF-" starts (up to 1024 bytes of junk may precede it).</summary>
    public int HeaderOffset { get; }

    public IReadOnlyList<PdfRevision> Revisions { get; private set; } = [];
    public PdfRevision LastRevision => Revisions[^1];

    /// <summary>True when the cross-reference chain could not be read and objects were found by scanning.</summary>
    public bool IsReconstructed { get; private set; }

    public bool IsEncrypted => LastRevision.Trailer.ContainsKey("Encrypt");

    /// <summary>Repairs the reader made (English, for staff): rebuilt cross-references, misplaced objects.</summary>
    public IReadOnlyList<string> Warnings => warnings;

    public static int? FindHeader(ReadOnlySpan<byte> data)
    {
        var at = data[..Math.Min(data.Length, 1024 + 5)].IndexOf("%PDF-"u8);
        return at < 0 ? null : at;
    }

    public static PdfFile Open(ReadOnlyMemory<byte> data, CancellationToken ct = default)
    {
        var header = FindHeader(data.Span) ?? throw new PdfFormatException("Not a PDF: no '%PDF-' in the first 1024 bytes.");
        var file = new PdfFile(data, header, new DecodeBudget(DecodeBudget.Default), ct);
        try
        {
            file.Revisions = XrefReader.LoadChain(data, header, file.budget, ct);
            if (file.Resolve(file.LastRevision.Trailer.Get("Root")) is not PdfDictionary)
                throw new PdfFormatException("The trailer's /Root is not a dictionary.");
        }
        catch (PdfFormatException e)
        {
            file.warnings.Add($"Cross-reference data unusable ({e.Message}); objects were found by scanning the file.");
            file.fileObjects.Clear();
            file.compressedObjects.Clear();
            file.objectStreams.Clear();
            file.Revisions = XrefReader.Reconstruct(data, header, file.ObjectStreamMembers, ct);
            file.IsReconstructed = true;
            if (file.Resolve(file.RootReference(file.Revisions.Count - 1)) is not PdfDictionary)
                throw new PdfFormatException("No document catalog found.");
        }
        return file;
    }

    int Rev(int revision)
    {
        if (revision < 0) return Revisions.Count - 1;
        if (revision >= Revisions.Count) throw new ArgumentOutOfRangeException(nameof(revision));
        return revision;
    }

    /// <summary>The entry for <paramref name="number"/> as seen by <paramref name="revision"/> (-1 = the final file); null when absent or free.</summary>
    public XrefEntry? Lookup(int number, int revision = -1)
    {
        for (var r = Rev(revision); r >= 0; r--)
            if (Revisions[r].Entries.TryGetValue(number, out var e))
                return e.Kind == XrefEntryKind.Free ? null : e;
        return null;
    }

    /// <summary>Every object number in use as seen by <paramref name="revision"/>.</summary>
    public IEnumerable<int> ObjectNumbers(int revision = -1)
    {
        var r = Rev(revision);
        var seen = new HashSet<int>();
        for (var i = r; i >= 0; i--)
            foreach (var n in Revisions[i].Entries.Keys)
                if (seen.Add(n) && Lookup(n, r) is not null) yield return n;
    }

    public PdfIndirectObject? GetIndirect(int number, int revision = -1)
    {
        ct.ThrowIfCancellationRequested();
        var r = Rev(revision);
        return Lookup(number, r) is { } entry ? Load(number, entry) : null;
    }

    /// <summary>The object's value as seen by <paramref name="revision"/>, or null when it does not exist.</summary>
    public PdfObject? GetObject(int number, int revision = -1) => GetIndirect(number, revision)?.Value;

    /// <summary>
    /// Like <see cref="GetObject"/>, but an object not yet cached is not kept: for passes over every object of a
    /// revision, so that a file with a million small objects does not stay in memory as parsed objects.
    /// </summary>
    internal PdfObject? GetObjectTransient(int number, int revision)
    {
        transient++;
        try
        {
            return GetObject(number, revision);
        }
        finally
        {
            transient--;
        }
    }

    /// <summary>Follows references (at most <see cref="MaxReferenceHops"/>); null for a missing object or null.</summary>
    public PdfObject? Resolve(PdfObject? value, int revision = -1)
    {
        for (var hops = 0; value is PdfReference r; hops++)
        {
            if (hops >= MaxReferenceHops) throw new PdfFormatException($"Reference chain from {r} is too long or circular.");
            value = GetObject(r.Number, revision);
        }
        return value is PdfNull ? null : value;
    }

    public PdfDictionary? ResolveDictionary(PdfObject? value, int revision = -1) => Resolve(value, revision) as PdfDictionary;

    public PdfDictionary Trailer(int revision = -1) => Revisions[Rev(revision)].Trailer;

    /// <summary>The trailer's /Root, or in a rebuilt file without one, the last object typed /Catalog.</summary>
    public PdfReference? RootReference(int revision = -1)
    {
        var r = Rev(revision);
        if (Revisions[r].Trailer.Get("Root") is PdfReference root) return root;
        if (!IsReconstructed) return null;
        PdfReference? found = null;
        long foundAt = -1;
        foreach (var n in ObjectNumbers(r))
        {
            var entry = Lookup(n, r)!.Value;
            try
            {
                if (GetObject(n, r) is PdfDictionary d && d.GetName("Type") == "Catalog" && entry.Offset >= foundAt)
                {
                    found = new PdfReference(n, entry.Generation);
                    foundAt = entry.Offset;
                }
            }
            catch (PdfFormatException) { }
        }
        return found;
    }

    public PdfDictionary Catalog(int revision = -1) =>
        Resolve(RootReference(revision), revision) as PdfDictionary ?? throw new PdfFormatException("The document catalog is missing.");

    public PdfDictionary? AcroForm(int revision = -1) => ResolveDictionary(Catalog(revision).Get("AcroForm"), revision);

    public ReadOnlyMemory<byte> StreamData(PdfStream stream)
    {
        if (stream.DataStart < 0 || stream.DataStart + stream.DataLength > Data.Length)
            throw new PdfFormatException("Stream data lies outside the file.");
        return Data.Slice((int)stream.DataStart, (int)stream.DataLength);
    }

    /// <summary>Decoded stream data (FlateDecode with predictors, or unfiltered). Counts against the file's decode budget.</summary>
    public byte[] DecodeStream(PdfStream stream, int revision = -1) =>
        StreamFilters.Decode(StreamData(stream), stream.Dictionary, o => Resolve(o, revision), budget, ct);

    /// <summary>Structural equality of two values; streams compare by dictionary and encoded bytes.</summary>
    public bool SameValue(PdfObject? a, PdfObject? b) =>
        PdfObject.ValueEquals(a, b, (x, y) => StreamData(x).Span.SequenceEqual(StreamData(y).Span));

    /// <summary>The bytes of "N G obj … endobj" for an object stored directly in the file; empty for compressed objects.</summary>
    public ReadOnlyMemory<byte> RawObject(int number, int revision = -1) =>
        GetIndirect(number, revision) is { InObjectStream: false } o ? Data[(int)o.HeaderOffset..(int)o.EndOffset] : default;

    // ----- loading objects -----

    PdfIndirectObject Load(int number, XrefEntry entry)
    {
        // Loading one object can need another (an indirect /Length, an object stream, its /Filter); a hostile file
        // can make that circular, so the nesting is bounded.
        if (loadDepth > 16) throw new PdfFormatException($"Objects depend on each other too deeply (at object {number}).");
        loadDepth++;
        try
        {
            return LoadUnguarded(number, entry);
        }
        finally
        {
            loadDepth--;
        }
    }

    PdfIndirectObject LoadUnguarded(int number, XrefEntry entry)
    {
        if (entry.Kind == XrefEntryKind.Compressed) return LoadCompressed(number, entry);
        if (fileObjects.TryGetValue(entry.Offset, out var cached) && cached.Number == number) return cached;
        if (entry.Offset >= HeaderOffset && entry.Offset < Data.Length)
        {
            try
            {
                var found = ParseAt((int)entry.Offset, entry);
                if (found.Number == number) return found;
            }
            catch (PdfFormatException) { }
        }
        // The cross-reference offset is wrong: use the last "N G obj" for this number inside the revision.
        var end = Revisions[entry.Revision].End;
        foreach (var offset in HeaderIndex().GetValueOrDefault(number, []).Where(o => o < end).OrderDescending())
        {
            try
            {
                var found = ParseAt(offset, entry with { Offset = offset });
                if (found.Number != number) continue;
                warnings.Add($"Object {number} is not at the offset its cross-reference entry gives; found at {offset}.");
                return found;
            }
            catch (PdfFormatException) { }
        }
        throw new PdfFormatException($"Object {number} cannot be read.");
    }

    PdfIndirectObject ParseAt(int offset, XrefEntry entry)
    {
        if (fileObjects.TryGetValue(offset, out var cached)) return cached;
        var parser = new PdfParser(new PdfLexer(Data), r => ResolveLength(r, entry.Revision));
        var (n, g, value, end) = parser.ParseIndirect(offset);
        var o = new PdfIndirectObject(n, g, value, entry with { Kind = XrefEntryKind.InFile, Offset = offset }, offset, end,
            Data[(int)value.Start..(int)value.End]);
        if (transient == 0) fileObjects[offset] = o;
        return o;
    }

    long? ResolveLength(PdfReference r, int revision)
    {
        // A /Length object is an integer; a hostile file may chain streams whose lengths point at each other.
        if (lengthDepth > 1) return null;
        lengthDepth++;
        try
        {
            return GetObject(r.Number, revision) is PdfInteger i ? i.Value : null;
        }
        catch (PdfFormatException)
        {
            return null;
        }
        finally
        {
            lengthDepth--;
        }
    }

    Dictionary<int, List<int>> HeaderIndex()
    {
        if (headerIndex is not null) return headerIndex;
        headerIndex = [];
        var span = Data.Span;
        var pos = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var i = span[pos..].IndexOf(" obj"u8);
            if (i < 0) break;
            var at = pos + i + 1;
            pos = at + 3;
            if (pos < span.Length && PdfLexer.IsRegular(span[pos])) continue;
            var lexer = new PdfLexer(Data);
            var start = LineStartOfHeader(span, at);
            if (start < 0) continue;
            lexer.Position = start;
            var n = lexer.Next();
            if (n.Kind == TokenKind.Integer && n.Integer is >= 0 and <= int.MaxValue)
            {
                if (!headerIndex.TryGetValue((int)n.Integer, out var list)) headerIndex[(int)n.Integer] = list = [];
                list.Add(start);
            }
        }
        return headerIndex;
    }

    static int LineStartOfHeader(ReadOnlySpan<byte> span, int obj)
    {
        // "N G obj": walk back over the generation and the number.
        var p = obj - 1;
        for (var part = 0; part < 2; part++)
        {
            while (p >= 0 && PdfLexer.IsWhite(span[p])) p--;
            var end = p;
            while (p >= 0 && span[p] >= '0' && span[p] <= '9') p--;
            if (p == end) return -1;
        }
        return p + 1;
    }

    sealed class ObjectStream
    {
        public required ReadOnlyMemory<byte> Data;
        public required int[] Numbers;
        public required int[] Offsets;
    }

    PdfIndirectObject LoadCompressed(int number, XrefEntry entry)
    {
        var container = Lookup(entry.StreamNumber, entry.Revision);
        if (container is not { Kind: XrefEntryKind.InFile } c)
            throw new PdfFormatException($"Object stream {entry.StreamNumber} for object {number} is missing or compressed itself.");
        var containerObject = Load(entry.StreamNumber, c);
        var key = (containerObject.HeaderOffset, entry.Index);
        if (compressedObjects.TryGetValue(key, out var cached) && cached.Number == number) return cached;
        var stream = LoadObjectStream(containerObject, entry.Revision);
        var index = entry.Index < stream.Numbers.Length && stream.Numbers[entry.Index] == number
            ? entry.Index
            : Array.IndexOf(stream.Numbers, number);
        if (index < 0) throw new PdfFormatException($"Object {number} is not in object stream {entry.StreamNumber}.");
        var parser = new PdfParser(new PdfLexer(stream.Data) { Position = stream.Offsets[index] });
        var value = parser.ParseObject();
        var o = new PdfIndirectObject(number, 0, value, entry with { Index = index }, -1, -1,
            stream.Data[(int)value.Start..(int)value.End]);
        if (transient == 0) compressedObjects[key] = o;
        return o;
    }

    ObjectStream LoadObjectStream(PdfIndirectObject container, int revision)
    {
        if (objectStreams.TryGetValue(container.HeaderOffset, out var cached)) return cached;
        if (container.Value is not PdfStream s || s.Dictionary.GetName("Type") != "ObjStm")
            throw new PdfFormatException($"Object {container.Number} is not an object stream.");
        var decoded = DecodeStream(s, revision);
        var stream = ParseObjectStream(decoded, s.Dictionary, o => Resolve(o, revision));
        objectStreams[container.HeaderOffset] = stream;
        return stream;
    }

    static ObjectStream ParseObjectStream(byte[] decoded, PdfDictionary dict, Func<PdfObject?, PdfObject?> resolve)
    {
        if (resolve(dict.Get("N")) is not PdfInteger { Value: >= 0 } n || resolve(dict.Get("First")) is not PdfInteger { Value: >= 0 } first
            || first.Value > decoded.Length || n.Value > decoded.Length / 2)
            throw new PdfFormatException("Object stream /N or /First is malformed.");
        var lexer = new PdfLexer(decoded);
        var numbers = new int[n.Value];
        var offsets = new int[n.Value];
        for (var i = 0; i < n.Value; i++)
        {
            var num = lexer.Next();
            var off = lexer.Next();
            if (num.Kind != TokenKind.Integer || off.Kind != TokenKind.Integer || num.Integer is < 0 or > int.MaxValue
                || off.Integer < 0 || first.Value + off.Integer >= decoded.Length || lexer.Position > first.Value)
                throw new PdfFormatException("Object stream header is malformed.");
            numbers[i] = (int)num.Integer;
            offsets[i] = (int)(first.Value + off.Integer);
        }
        return new ObjectStream { Data = decoded, Numbers = numbers, Offsets = offsets };
    }

    IReadOnlyList<int> ObjectStreamMembers(int number, PdfStream stream)
    {
        var decoded = StreamFilters.Decode(StreamData(stream), stream.Dictionary, o => o, budget, ct);
        return ParseObjectStream(decoded, stream.Dictionary, o => o).Numbers;
    }

    // ----- document structure -----

    /// <summary>The pages in order, inherited attributes resolved. Loops and absurd sizes are format errors.</summary>
    public IReadOnlyList<PdfPage> Pages(int revision = -1)
    {
        var r = Rev(revision);
        var pages = new List<PdfPage>();
        var visited = new HashSet<int>();
        var stack = new Stack<(PdfObject Node, PdfObject? Resources, PdfObject? MediaBox, PdfObject? CropBox, PdfObject? Rotate, int Depth)>();
        stack.Push((Catalog(r).Get("Pages") ?? throw new PdfFormatException("The catalog has no /Pages."), null, null, null, null, 0));
        while (stack.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            var (node, resources, mediaBox, cropBox, rotate, depth) = stack.Pop();
            var number = -1;
            var generation = 0;
            if (node is PdfReference reference)
            {
                number = reference.Number;
                generation = reference.Generation;
                if (!visited.Add(number)) throw new PdfFormatException($"The page tree loops at object {number}.");
            }
            if (visited.Count > MaxTreeNodes || depth > PdfParser.MaxDepth) throw new PdfFormatException("The page tree is too large or too deep.");
            if (Resolve(node, r) is not PdfDictionary dict) throw new PdfFormatException("A page tree node is not a dictionary.");
            resources = dict.Get("Resources") ?? resources;
            mediaBox = dict.Get("MediaBox") ?? mediaBox;
            cropBox = dict.Get("CropBox") ?? cropBox;
            rotate = dict.Get("Rotate") ?? rotate;
            var kids = dict.Get("Kids");
            if (dict.GetName("Type") == "Pages" || (dict.GetName("Type") != "Page" && kids is not null))
            {
                if (Resolve(kids, r) is not PdfArray array) throw new PdfFormatException("A page tree node has no /Kids array.");
                for (var i = array.Count - 1; i >= 0; i--) stack.Push((array[i], resources, mediaBox, cropBox, rotate, depth + 1));
            }
            else pages.Add(new PdfPage(number, generation, dict, resources, mediaBox, cropBox, rotate));
        }
        return pages;
    }

    /// <summary>The terminal form fields of the AcroForm (recursive /Kids), in tree order. Repeated nodes are visited once.</summary>
    public IReadOnlyList<PdfField> Fields(int revision = -1)
    {
        var r = Rev(revision);
        var fields = new List<PdfField>();
        if (AcroForm(r) is not { } form || Resolve(form.Get("Fields"), r) is not PdfArray top) return fields;
        var visited = new HashSet<int>();
        var stack = new Stack<(PdfObject Node, string? ParentName, string? FieldType, long Flags, PdfObject? Value, int Depth)>();
        for (var i = top.Count - 1; i >= 0; i--) stack.Push((top[i], null, null, 0, null, 0));
        while (stack.Count > 0)
        {
            ct.ThrowIfCancellationRequested();
            var (node, parentName, fieldType, flags, value, depth) = stack.Pop();
            var number = node is PdfReference nr ? nr.Number : -1;
            if (number >= 0 && !visited.Add(number)) continue;
            if (visited.Count > MaxTreeNodes || depth > PdfParser.MaxDepth) throw new PdfFormatException("The form field tree is too large or too deep.");
            if (Resolve(node, r) is not PdfDictionary dict) continue;
            var partial = (Resolve(dict.Get("T"), r) as PdfString)?.Text;
            var name = partial is null ? parentName ?? "" : parentName is null ? partial : parentName + "." + partial;
            fieldType = (Resolve(dict.Get("FT"), r) as PdfName)?.Value ?? fieldType;
            flags = (Resolve(dict.Get("Ff"), r) as PdfInteger)?.Value ?? flags;
            value = dict.Get("V") ?? value;

            var childFields = new List<PdfObject>();
            var widgets = new List<PdfWidget>();
            if (Resolve(dict.Get("Kids"), r) is PdfArray kids)
                foreach (var kid in kids)
                {
                    if (Resolve(kid, r) is not PdfDictionary kidDict) continue;
                    if (kidDict.ContainsKey("T")) childFields.Add(kid);
                    else
                    {
                        var kidNumber = kid is PdfReference kr ? kr.Number : -1;
                        if (kidNumber >= 0 && !visited.Add(kidNumber)) continue;
                        widgets.Add(new PdfWidget(kidNumber, kidDict));
                    }
                }
            else widgets.Add(new PdfWidget(number, dict));

            if (childFields.Count == 0 || widgets.Count > 0)
                fields.Add(new PdfField(name, fieldType, flags, number, dict, value, widgets));
            for (var i = childFields.Count - 1; i >= 0; i--) stack.Push((childFields[i], name, fieldType, flags, value, depth + 1));
        }
        return fields;
    }
}
