using System.Collections;
using System.Text;

namespace Portal.Core.Signatures.Pdf;

/// <summary>The one exception the PDF reader throws for a malformed or hostile file. Messages are English, for staff.</summary>
public sealed class PdfFormatException(string message) : Exception(message);

/// <summary>
/// A PDF object. <see cref="Start"/> and <see cref="End"/> are the byte offsets of its first byte and one past its
/// last byte in the buffer it was parsed from (the file, or a decoded object stream); -1 for objects built in code.
/// </summary>
public abstract class PdfObject
{
    public long Start { get; internal set; } = -1;
    public long End { get; internal set; } = -1;

    /// <summary>Structural equality: same types and values; references compare by number and generation; streams by
    /// dictionary and encoded bytes (which need the file, see <see cref="PdfFile.SameValue"/>).</summary>
    internal static bool ValueEquals(PdfObject? a, PdfObject? b, Func<PdfStream, PdfStream, bool>? sameStreamData)
    {
        if (a is null || b is null) return a is null && b is null;
        switch (a)
        {
            case PdfNull: return b is PdfNull;
            case PdfBoolean x: return b is PdfBoolean yb && x.Value == yb.Value;
            case PdfInteger x: return b is PdfInteger yi && x.Value == yi.Value;
            case PdfReal x: return b is PdfReal yr && x.Value.Equals(yr.Value);
            case PdfName x: return b is PdfName yn && x.Value == yn.Value;
            case PdfString x: return b is PdfString ys && x.Bytes.AsSpan().SequenceEqual(ys.Bytes);
            case PdfReference x: return b is PdfReference yref && x.Number == yref.Number && x.Generation == yref.Generation;
            case PdfArray x:
                if (b is not PdfArray ya || x.Count != ya.Count) return false;
                for (var i = 0; i < x.Count; i++)
                    if (!ValueEquals(x[i], ya[i], sameStreamData)) return false;
                return true;
            case PdfDictionary x:
                if (b is not PdfDictionary yd || x.Count != yd.Count || x.HasDuplicateKeys != yd.HasDuplicateKeys) return false;
                foreach (var (key, value) in x)
                    if (!yd.TryGet(key, out var other) || !ValueEquals(value, other, sameStreamData)) return false;
                return true;
            case PdfStream x:
                return b is PdfStream yst && ValueEquals(x.Dictionary, yst.Dictionary, sameStreamData)
                    && sameStreamData is not null && sameStreamData(x, yst);
            default: return false;
        }
    }
}

public sealed class PdfNull : PdfObject
{
    public static readonly PdfNull Instance = new();
}

public sealed class PdfBoolean(bool value) : PdfObject
{
    public bool Value { get; } = value;
}

public sealed class PdfInteger(long value) : PdfObject
{
    public long Value { get; } = value;
}

public sealed class PdfReal(double value) : PdfObject
{
    public double Value { get; } = value;
}

/// <summary>A name, without the slash and with #xx escapes decoded; each character is one byte (Latin-1).</summary>
public sealed class PdfName(string value) : PdfObject
{
    public string Value { get; } = value;
    public override string ToString() => "/" + Value;
}

/// <summary>A string's bytes as decoded from the file (escapes resolved); <see cref="IsHex"/> says which form it had.</summary>
public sealed class PdfString(byte[] bytes, bool isHex) : PdfObject
{
    public byte[] Bytes { get; } = bytes;
    public bool IsHex { get; } = isHex;

    public static PdfString Literal(string latin1) => new(Encoding.Latin1.GetBytes(latin1), false);

    /// <summary>The bytes as a PDF text string (UTF-16BE or UTF-8 with a byte order mark, else PDFDocEncoding).</summary>
    public string Text => PdfText.Decode(Bytes);
}

public sealed class PdfReference(int number, int generation) : PdfObject
{
    public int Number { get; } = number;
    public int Generation { get; } = generation;
    public override string ToString() => $"{Number} {Generation} R";
}

public sealed class PdfArray : PdfObject, IReadOnlyList<PdfObject>
{
    readonly List<PdfObject> items;

    public PdfArray(IEnumerable<PdfObject> items) => this.items = [.. items];
    internal PdfArray(List<PdfObject> items, bool take) => this.items = take ? items : [.. items];

    public int Count => items.Count;
    public PdfObject this[int index] => items[index];
    public IEnumerator<PdfObject> GetEnumerator() => items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// A dictionary, keys in file order. When a key is repeated the last value wins (as most readers do) and
/// <see cref="HasDuplicateKeys"/> is set, because readers disagree on that and a signature dictionary must not have it.
/// </summary>
public sealed class PdfDictionary : PdfObject, IEnumerable<KeyValuePair<string, PdfObject>>
{
    readonly List<KeyValuePair<string, PdfObject>> entries;
    Dictionary<string, int>? index; // only for large dictionaries, so a hostile one with 100 000 keys stays linear

    public PdfDictionary(IEnumerable<KeyValuePair<string, PdfObject>> entries)
    {
        this.entries = [];
        foreach (var (key, value) in entries) Add(key, value);
    }

    public PdfDictionary() => entries = [];

    internal void Add(string key, PdfObject value)
    {
        var at = IndexOf(key);
        if (at >= 0)
        {
            entries[at] = new(key, value);
            HasDuplicateKeys = true;
            return;
        }
        entries.Add(new(key, value));
        if (index is not null) index[key] = entries.Count - 1;
        else if (entries.Count > 16)
        {
            index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < entries.Count; i++) index[entries[i].Key] = i;
        }
    }

    int IndexOf(string key)
    {
        if (index is not null) return index.TryGetValue(key, out var i) ? i : -1;
        for (var i = 0; i < entries.Count; i++)
            if (entries[i].Key == key) return i;
        return -1;
    }

    public bool HasDuplicateKeys { get; private set; }
    public int Count => entries.Count;
    public IEnumerable<string> Keys => entries.Select(e => e.Key);
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGet(string key, out PdfObject value)
    {
        var at = IndexOf(key);
        value = at >= 0 ? entries[at].Value : PdfNull.Instance;
        return at >= 0;
    }

    /// <summary>The value as written (a reference is not followed); null when absent.</summary>
    public PdfObject? Get(string key) => TryGet(key, out var value) ? value : null;

    public string? GetName(string key) => Get(key) is PdfName name ? name.Value : null;
    public long? GetInteger(string key) => Get(key) is PdfInteger value ? value.Value : null;

    /// <summary>A copy with <paramref name="key"/> set (replaced in place, or appended).</summary>
    public PdfDictionary With(string key, PdfObject value)
    {
        var copy = new PdfDictionary(entries);
        copy.Add(key, value);
        return copy;
    }

    /// <summary>A copy without <paramref name="key"/>.</summary>
    public PdfDictionary Without(string key) => new(entries.Where(e => e.Key != key));

    public IEnumerator<KeyValuePair<string, PdfObject>> GetEnumerator() => entries.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// A stream: its dictionary and where its encoded data lies in the file (streams never live in object streams).
/// <see cref="DataStart"/> and <see cref="DataLength"/> are file offsets; the data is read through <see cref="PdfFile"/>.
/// </summary>
public sealed class PdfStream(PdfDictionary dictionary, long dataStart, long dataLength) : PdfObject
{
    public PdfDictionary Dictionary { get; } = dictionary;
    public long DataStart { get; } = dataStart;
    public long DataLength { get; } = dataLength;

    /// <summary>True when /Length did not point at "endstream" and the data end was found by searching.</summary>
    public bool LengthRepaired { get; internal init; }
}

/// <summary>An indirect object as read at one location: <c>N G obj … endobj</c> in the file, or an entry of an object stream.</summary>
public sealed class PdfIndirectObject
{
    internal PdfIndirectObject(int number, int generation, PdfObject value, XrefEntry location, long headerOffset, long endOffset,
        ReadOnlyMemory<byte> rawValue)
    {
        RawValue = rawValue;
        Number = number;
        Generation = generation;
        Value = value;
        Location = location;
        HeaderOffset = headerOffset;
        EndOffset = endOffset;
    }

    public int Number { get; }
    public int Generation { get; }
    public PdfObject Value { get; }
    public XrefEntry Location { get; }

    /// <summary>File offset of "N G obj", or -1 when the object is in an object stream.</summary>
    public long HeaderOffset { get; }

    /// <summary>File offset just after "endobj" (or after the value when "endobj" is missing); -1 in an object stream.</summary>
    public long EndOffset { get; }

    public bool InObjectStream => Location.Kind == XrefEntryKind.Compressed;

    /// <summary>The value's bytes as written (for a stream, its dictionary through "endstream").</summary>
    public ReadOnlyMemory<byte> RawValue { get; }
}
