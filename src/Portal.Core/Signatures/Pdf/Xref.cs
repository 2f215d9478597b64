namespace Portal.Core.Signatures.Pdf;

/// <summary>How a revision's cross-reference section is written. Hybrid files (a table with /XRefStm) count as tables.</summary>
public enum XrefKind { Table, Stream, Reconstructed }

public enum XrefEntryKind { Free, InFile, Compressed }

/// <summary>
/// One cross-reference entry: an object at a file offset, an object inside an object stream, or a free (deleted)
/// number. <see cref="Revision"/> is the 0-based revision whose section holds the entry.
/// </summary>
public readonly record struct XrefEntry(XrefEntryKind Kind, long Offset, int Generation, int StreamNumber, int Index, int Revision)
{
    /// <summary>Same place in the file (the revision that lists it does not matter).</summary>
    public bool SameLocation(XrefEntry other) =>
        Kind == other.Kind && Offset == other.Offset && StreamNumber == other.StreamNumber && Index == other.Index;
}

/// <summary>
/// One revision: the original file or one incremental update. <see cref="End"/> is the offset just after its
/// "%%EOF" and at most one end of line, which is where a signature covering this revision must end.
/// </summary>
public sealed class PdfRevision
{
    internal PdfRevision(int index, long xrefOffset, XrefKind kind, PdfDictionary trailer, long end,
        Dictionary<int, XrefEntry> entries, IReadOnlyList<int> xrefStreamObjects)
    {
        Index = index;
        XrefOffset = xrefOffset;
        XrefKind = kind;
        Trailer = trailer;
        End = end;
        Entries = entries;
        XrefStreamObjects = xrefStreamObjects;
    }

    public int Index { get; }

    /// <summary>Offset of the section "startxref" names (for a linearized original, its first-page section); -1 when reconstructed.</summary>
    public long XrefOffset { get; }

    public XrefKind XrefKind { get; }
    public PdfDictionary Trailer { get; }
    public long End { get; }

    /// <summary>The entries this revision's cross-reference section(s) list, free ones included.</summary>
    public IReadOnlyDictionary<int, XrefEntry> Objects => Entries;

    /// <summary>Object numbers of this revision's cross-reference streams (they are containers, not content).</summary>
    public IReadOnlyList<int> XrefStreamObjects { get; }

    internal Dictionary<int, XrefEntry> Entries { get; }
}

/// <summary>
/// Reads cross-reference sections by following "startxref" and /Prev (tables, streams with /W and /Index, hybrid
/// /XRefStm), and groups them into revisions. When that fails, <see cref="Reconstruct"/> rebuilds everything by
/// scanning the bytes for "N G obj", "trailer" and "%%EOF".
/// </summary>
internal static class XrefReader
{
    public const int MaxSections = 2000;
    public const int MaxEntries = 1_000_000; // far above real documents; bounds memory for hostile ones

    sealed class Section
    {
        public required int Offset;
        public required XrefKind Kind;
        public required PdfDictionary Trailer;
        public required int ContentEnd;
        public readonly List<(int Number, XrefEntry Entry)> Entries = [];
        public readonly List<int> StreamObjects = [];
        public long End;
    }

    public static List<PdfRevision> LoadChain(ReadOnlyMemory<byte> data, int headerOffset, DecodeBudget budget, CancellationToken ct)
    {
        var span = data.Span;
        var startxref = span.LastIndexOf("startxref"u8);
        if (startxref < 0) throw new PdfFormatException("No 'startxref' found.");
        var lexer = new PdfLexer(data) { Position = startxref + 9 };
        var number = lexer.Next();
        if (number.Kind != TokenKind.Integer || number.Integer < 0 || number.Integer >= data.Length)
            throw new PdfFormatException("The 'startxref' offset is not a valid offset.");

        var sections = new List<Section>();
        var visited = new HashSet<long>();
        var entryCount = 0;
        long? next = number.Integer;
        while (next is { } offset)
        {
            ct.ThrowIfCancellationRequested();
            if (!visited.Add(offset)) throw new PdfFormatException("The /Prev chain of cross-reference sections loops.");
            if (sections.Count >= MaxSections) throw new PdfFormatException("Too many cross-reference sections.");
            var section = ReadSectionAt(data, offset, headerOffset, budget, ct);
            if (section.Kind == XrefKind.Table && section.Trailer.Get("XRefStm") is PdfInteger hybrid)
                AddHybridStream(data, section, hybrid.Value, budget, ct);
            entryCount += section.Entries.Count;
            if (entryCount > MaxEntries) throw new PdfFormatException("Too many cross-reference entries.");
            sections.Add(section);
            next = section.Trailer.Get("Prev") switch
            {
                PdfInteger p when p.Value >= 0 && p.Value < data.Length => p.Value,
                null => null,
                _ => throw new PdfFormatException("Trailer /Prev is not a valid offset."),
            };
        }

        foreach (var s in sections) s.End = RevisionEnd(span, s.ContentEnd);
        return Group(sections);
    }

    /// <summary>
    /// Oldest first. A section whose content ends no later than the previous revision's end belongs to that revision:
    /// the first-page section of a linearized file (its /Prev points forward) or two sections before one "%%EOF".
    /// Within a revision the newer section wins.
    /// </summary>
    static List<PdfRevision> Group(List<Section> newestFirst)
    {
        var revisions = new List<PdfRevision>();
        var groups = new List<List<Section>>();
        for (var i = newestFirst.Count - 1; i >= 0; i--)
        {
            var s = newestFirst[i];
            if (groups.Count > 0 && s.End <= groups[^1].Max(g => g.End)) groups[^1].Add(s);
            else groups.Add([s]);
        }
        foreach (var group in groups)
        {
            var index = revisions.Count;
            var entries = new Dictionary<int, XrefEntry>();
            foreach (var s in group)
                foreach (var (n, e) in s.Entries)
                    entries[n] = e with { Revision = index };
            var newest = group[^1];
            revisions.Add(new PdfRevision(index, newest.Offset, newest.Kind, newest.Trailer, group.Max(g => g.End), entries,
                group.SelectMany(g => g.StreamObjects).Distinct().ToList()));
        }
        return revisions;
    }

    /// <summary>The offset after the first "%%EOF" at or after <paramref name="from"/>, plus at most one end of line.</summary>
    public static long RevisionEnd(ReadOnlySpan<byte> span, int from)
    {
        var at = span[from..].IndexOf("%%EOF"u8);
        if (at < 0) return span.Length;
        var end = from + at + 5;
        if (end < span.Length && span[end] == '\r') return end + 1 < span.Length && span[end + 1] == '\n' ? end + 2 : end + 1;
        if (end < span.Length && span[end] == '\n') return end + 1;
        return end;
    }

    static Section ReadSectionAt(ReadOnlyMemory<byte> data, long offset, int headerOffset, DecodeBudget budget, CancellationToken ct)
    {
        // Files with bytes before "%PDF-" often count offsets from the header; try that reading second.
        foreach (var candidate in headerOffset > 0 ? [offset, offset + headerOffset] : new[] { offset })
        {
            if (candidate >= data.Length) continue;
            var lexer = new PdfLexer(data) { Position = (int)candidate };
            var first = lexer.Next();
            if (lexer.IsKeyword(first, "xref"u8)) return ReadTable(data, lexer, (int)candidate, ct);
            if (first.Kind == TokenKind.Integer) return ReadStreamSection(data, (int)candidate, budget, ct);
        }
        throw new PdfFormatException($"No cross-reference section at offset {offset}.");
    }

    static Section ReadTable(ReadOnlyMemory<byte> data, PdfLexer lexer, int offset, CancellationToken ct)
    {
        var entries = new List<(int, XrefEntry)>();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var save = lexer.Position;
            var t = lexer.Next();
            if (lexer.IsKeyword(t, "trailer"u8)) break;
            var count = lexer.Next();
            if (t.Kind != TokenKind.Integer || count.Kind != TokenKind.Integer || t.Integer < 0 || count.Integer < 0
                || t.Integer + count.Integer > int.MaxValue || count.Integer > (data.Length - save) / 6)
                throw new PdfFormatException($"Bad cross-reference subsection at offset {save}.");
            for (var i = 0; i < count.Integer; i++)
            {
                if ((i & 1023) == 0) ct.ThrowIfCancellationRequested();
                var off = lexer.Next();
                var gen = lexer.Next();
                var type = lexer.Next();
                if (off.Kind != TokenKind.Integer || gen.Kind != TokenKind.Integer || gen.Integer is < 0 or > int.MaxValue)
                    throw new PdfFormatException($"Bad cross-reference entry at offset {off.Start}.");
                var n = (int)(t.Integer + i);
                if (lexer.IsKeyword(type, "n"u8))
                    entries.Add((n, new XrefEntry(XrefEntryKind.InFile, off.Integer, (int)gen.Integer, 0, 0, -1)));
                else if (lexer.IsKeyword(type, "f"u8))
                    entries.Add((n, new XrefEntry(XrefEntryKind.Free, 0, (int)gen.Integer, 0, 0, -1)));
                else throw new PdfFormatException($"Bad cross-reference entry type at offset {type.Start}.");
            }
        }
        var parser = new PdfParser(lexer);
        if (parser.ParseObject() is not PdfDictionary trailer) throw new PdfFormatException("The trailer is not a dictionary.");
        var section = new Section { Offset = offset, Kind = XrefKind.Table, Trailer = trailer, ContentEnd = (int)trailer.End };
        section.Entries.AddRange(entries);
        return section;
    }

    static Section ReadStreamSection(ReadOnlyMemory<byte> data, int offset, DecodeBudget budget, CancellationToken ct)
    {
        var (number, stream, end) = ReadXrefStream(data, offset, budget, ct, out var entries);
        var section = new Section { Offset = offset, Kind = XrefKind.Stream, Trailer = stream.Dictionary, ContentEnd = end };
        section.Entries.AddRange(entries);
        section.StreamObjects.Add(number);
        return section;
    }

    /// <summary>Hybrid file (§7.5.8.4): the stream's entries fill in what the table leaves free or unlisted.</summary>
    static void AddHybridStream(ReadOnlyMemory<byte> data, Section table, long offset, DecodeBudget budget, CancellationToken ct)
    {
        if (offset < 0 || offset >= data.Length) throw new PdfFormatException("/XRefStm is not a valid offset.");
        var (number, _, _) = ReadXrefStream(data, (int)offset, budget, ct, out var entries);
        var listed = new Dictionary<int, XrefEntryKind>();
        foreach (var (n, e) in table.Entries) listed[n] = e.Kind;
        foreach (var (n, e) in entries)
            if (!listed.TryGetValue(n, out var kind) || kind == XrefEntryKind.Free)
                table.Entries.Add((n, e));
        table.StreamObjects.Add(number);
    }

    static (int Number, PdfStream Stream, int End) ReadXrefStream(ReadOnlyMemory<byte> data, int offset, DecodeBudget budget,
        CancellationToken ct, out List<(int, XrefEntry)> entries)
    {
        var parser = new PdfParser(new PdfLexer(data));
        var (number, _, value, end) = parser.ParseIndirect(offset);
        if (value is not PdfStream stream || stream.Dictionary.GetName("Type") != "XRef")
            throw new PdfFormatException($"No cross-reference stream at offset {offset}.");
        var dict = stream.Dictionary;
        // Entries of a cross-reference stream's dictionary must be direct (§7.5.8.2), so nothing is resolved here.
        var decoded = StreamFilters.Decode(data.Slice((int)stream.DataStart, (int)stream.DataLength), dict, o => o, budget, ct);
        if (dict.Get("W") is not PdfArray { Count: 3 } w || w.Any(x => x is not PdfInteger { Value: >= 0 and <= 8 }))
            throw new PdfFormatException("Cross-reference stream /W is malformed.");
        var widths = w.Select(x => (int)((PdfInteger)x).Value).ToArray();
        var rowLength = widths.Sum();
        if (rowLength == 0) throw new PdfFormatException("Cross-reference stream /W is all zero.");
        var size = dict.GetInteger("Size") ?? throw new PdfFormatException("Cross-reference stream has no /Size.");
        var index = dict.Get("Index") is PdfArray idx ? idx : new PdfArray([new PdfInteger(0), new PdfInteger(size)]);
        if (index.Count % 2 != 0 || index.Any(x => x is not PdfInteger { Value: >= 0 and <= int.MaxValue }))
            throw new PdfFormatException("Cross-reference stream /Index is malformed.");

        entries = [];
        var row = 0;
        for (var k = 0; k < index.Count; k += 2)
        {
            var first = ((PdfInteger)index[k]).Value;
            var count = ((PdfInteger)index[k + 1]).Value;
            if (first + count > int.MaxValue) throw new PdfFormatException("Cross-reference stream /Index is malformed.");
            for (var i = 0; i < count; i++, row++)
            {
                if ((row & 1023) == 0) ct.ThrowIfCancellationRequested();
                var at = row * rowLength;
                if (at + rowLength > decoded.Length) return (number, stream, end); // a short stream lists fewer entries
                var type = widths[0] == 0 ? 1 : Field(decoded, at, widths[0]);
                var f2 = Field(decoded, at + widths[0], widths[1]);
                var f3 = Field(decoded, at + widths[0] + widths[1], widths[2]);
                var n = (int)(first + i);
                switch (type)
                {
                    case 0: entries.Add((n, new XrefEntry(XrefEntryKind.Free, 0, (int)Math.Min(f3, int.MaxValue), 0, 0, -1))); break;
                    case 1: entries.Add((n, new XrefEntry(XrefEntryKind.InFile, f2, (int)Math.Min(f3, int.MaxValue), 0, 0, -1))); break;
                    case 2:
                        if (f2 > int.MaxValue || f3 > int.MaxValue) throw new PdfFormatException("Bad compressed object entry.");
                        entries.Add((n, new XrefEntry(XrefEntryKind.Compressed, 0, 0, (int)f2, (int)f3, -1)));
                        break;
                    // Other types are reserved and read as references to the null object (§7.5.8.3).
                }
            }
        }
        return (number, stream, end);
    }

    static long Field(byte[] data, int at, int width)
    {
        long v = 0;
        for (var i = 0; i < width; i++) v = (v << 8) | data[at + i];
        return v < 0 ? long.MaxValue : v;
    }

    /// <summary>
    /// Rebuilds revisions from the bytes alone: every object that parses at an "N G obj" header, every "trailer"
    /// dictionary and cross-reference stream, cut into revisions at each "%%EOF". Later definitions win. Objects in
    /// object streams are listed through <paramref name="objectStreamMembers"/>.
    /// </summary>
    public static List<PdfRevision> Reconstruct(ReadOnlyMemory<byte> data, int headerOffset,
        Func<int, PdfStream, IReadOnlyList<int>> objectStreamMembers, CancellationToken ct)
    {
        var span = data.Span;
        var parser = new PdfParser(new PdfLexer(data));
        var objects = new List<(int Number, int Offset, XrefEntry Entry)>();
        var trailers = new List<(int Offset, PdfDictionary Trailer)>();
        var eofs = new List<int>();
        var objectStreams = new List<(int Offset, int Number, PdfStream Stream)>();
        var xrefStreams = new List<(int Offset, int Number)>();

        // The next "obj", "trailer" and "%%EOF" at or after pos, each searched again only once pos has passed it,
        // so the scan stays linear in the file size.
        int nextObj = -2, nextTrailer = -2, nextEof = -2;
        var pos = headerOffset;
        var iterations = 0;
        while (pos < span.Length)
        {
            if ((++iterations & 255) == 0) ct.ThrowIfCancellationRequested();
            if (nextObj != -1 && nextObj < pos) nextObj = NextKeyword(span, pos, "obj"u8);
            if (nextTrailer != -1 && nextTrailer < pos) nextTrailer = NextKeyword(span, pos, "trailer"u8);
            if (nextEof != -1 && nextEof < pos) nextEof = IndexFrom(span, pos, "%%EOF"u8);
            var first = Math.Min(nextObj < 0 ? int.MaxValue : nextObj,
                Math.Min(nextTrailer < 0 ? int.MaxValue : nextTrailer, nextEof < 0 ? int.MaxValue : nextEof));
            if (first == int.MaxValue) break;
            if (first == nextEof)
            {
                eofs.Add((int)RevisionEnd(span, nextEof));
                pos = nextEof + 5;
            }
            else if (first == nextTrailer)
            {
                pos = nextTrailer + 7;
                parser.Lexer.Position = pos;
                try
                {
                    if (parser.ParseObject() is PdfDictionary t)
                    {
                        trailers.Add((nextTrailer, t));
                        pos = (int)t.End;
                    }
                }
                catch (PdfFormatException) { }
            }
            else
            {
                var obj = nextObj;
                pos = obj + 3;
                var header = HeaderStart(span, obj);
                if (header < 0) continue;
                try
                {
                    var (number, generation, value, end) = parser.ParseIndirect(header);
                    objects.Add((number, header, new XrefEntry(XrefEntryKind.InFile, header, generation, 0, 0, -1)));
                    if (objects.Count > MaxEntries) throw new PdfFormatException("Too many objects.");
                    if (value is PdfStream s && s.Dictionary.GetName("Type") is { } type)
                    {
                        if (type == "XRef")
                        {
                            trailers.Add((header, s.Dictionary));
                            xrefStreams.Add((header, number));
                        }
                        else if (type == "ObjStm") objectStreams.Add((header, number, s));
                    }
                    pos = Math.Max(end, pos);
                }
                catch (PdfFormatException e) when (e.Message != "Too many objects.") { }
            }
        }
        if (objects.Count == 0) throw new PdfFormatException("No objects found.");

        // Revision boundaries: each "%%EOF", plus the end of the file when objects follow the last one.
        var ends = eofs.Distinct().Order().ToList();
        if (ends.Count == 0 || ends[^1] <= objects.Max(o => o.Offset)) ends.Add(span.Length);
        int RevisionOf(int offset)
        {
            var i = ends.BinarySearch(offset + 1);
            if (i < 0) i = ~i;
            return Math.Min(i, ends.Count - 1);
        }

        var members = new List<(int Number, int Offset, XrefEntry Entry)>();
        foreach (var (offset, number, stream) in objectStreams)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var list = objectStreamMembers(number, stream);
                for (var i = 0; i < list.Count; i++)
                    members.Add((list[i], offset, new XrefEntry(XrefEntryKind.Compressed, 0, 0, number, i, -1)));
            }
            catch (PdfFormatException) { } // an unreadable object stream contributes nothing
        }

        // File order decides which definition wins; an object stream's members count at the stream's offset.
        var perRevision = ends.Select(_ => new Dictionary<int, XrefEntry>()).ToList();
        foreach (var (number, offset, entry) in objects.Concat(members).OrderBy(o => o.Offset))
        {
            var r = RevisionOf(offset);
            perRevision[r][number] = entry with { Revision = r };
        }
        var containers = ends.Select(_ => new List<int>()).ToList();
        foreach (var (offset, number) in xrefStreams) containers[RevisionOf(offset)].Add(number);
        var trailerOf = new PdfDictionary?[ends.Count];
        foreach (var (offset, trailer) in trailers) trailerOf[RevisionOf(offset)] = trailer; // the last one in a revision

        var revisions = new List<PdfRevision>();
        var current = new PdfDictionary();
        for (var r = 0; r < ends.Count; r++)
        {
            current = trailerOf[r] ?? current;
            revisions.Add(new PdfRevision(r, -1, XrefKind.Reconstructed, current, ends[r], perRevision[r], containers[r]));
        }
        return revisions;
    }

    static int IndexFrom(ReadOnlySpan<byte> span, int from, ReadOnlySpan<byte> what)
    {
        var i = span[from..].IndexOf(what);
        return i < 0 ? -1 : from + i;
    }

    /// <summary>The next occurrence of a keyword standing alone (not part of "endobj" or a longer word).</summary>
    static int NextKeyword(ReadOnlySpan<byte> span, int from, ReadOnlySpan<byte> keyword)
    {
        while (true)
        {
            var i = IndexFrom(span, from, keyword);
            if (i < 0) return -1;
            var end = i + keyword.Length;
            var beforeOk = i == 0 || !PdfLexer.IsRegular(span[i - 1]);
            var afterOk = end >= span.Length || !PdfLexer.IsRegular(span[end]);
            if (beforeOk && afterOk) return i;
            from = i + 1;
        }
    }

    /// <summary>Walks back from "obj" over "N G " and returns where N starts, or -1.</summary>
    static int HeaderStart(ReadOnlySpan<byte> span, int obj)
    {
        var p = obj - 1;
        if (p < 0 || !PdfLexer.IsWhite(span[p])) return -1;
        while (p >= 0 && PdfLexer.IsWhite(span[p])) p--;
        var genEnd = p;
        while (p >= 0 && span[p] >= '0' && span[p] <= '9') p--;
        if (p == genEnd || p < 0 || !PdfLexer.IsWhite(span[p])) return -1;
        while (p >= 0 && PdfLexer.IsWhite(span[p])) p--;
        var numEnd = p;
        while (p >= 0 && span[p] >= '0' && span[p] <= '9') p--;
        if (p == numEnd) return -1;
        if (p >= 0 && PdfLexer.IsRegular(span[p])) return -1;
        return p + 1;
    }
}
