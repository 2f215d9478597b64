using System.Globalization;
using System.Text;

namespace Portal.Core.Signatures.Pdf;

internal enum TokenKind { Eof, Integer, Real, Name, LiteralString, HexString, ArrayOpen, ArrayClose, DictOpen, DictClose, Keyword }

/// <summary>A token and its byte range [Start, End) in the buffer.</summary>
internal readonly record struct Token(TokenKind Kind, int Start, int End, long Integer = 0, double Real = 0);

/// <summary>
/// PDF tokens (ISO 32000-1 §7.2–7.3) over a byte buffer, keeping offsets: the signature checks need the exact bytes
/// of the /Contents hex string and of the /ByteRange array.
/// </summary>
internal sealed class PdfLexer(ReadOnlyMemory<byte> data)
{
    public ReadOnlyMemory<byte> Data { get; } = data;
    public int Position { get; set; }

    public static bool IsWhite(byte b) => b is 0 or 9 or 10 or 12 or 13 or 32;
    public static bool IsDelimiter(byte b) => b is (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']'
        or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';
    public static bool IsRegular(byte b) => !IsWhite(b) && !IsDelimiter(b);

    public void SkipWhitespaceAndComments()
    {
        var span = Data.Span;
        while (Position < span.Length)
        {
            var b = span[Position];
            if (IsWhite(b)) Position++;
            else if (b == '%')
                while (Position < span.Length && span[Position] != '\n' && span[Position] != '\r') Position++;
            else break;
        }
    }

    public Token Next()
    {
        SkipWhitespaceAndComments();
        var span = Data.Span;
        var start = Position;
        if (start >= span.Length) return new Token(TokenKind.Eof, start, start);
        var c = span[start];
        switch (c)
        {
            case (byte)'[': Position++; return new Token(TokenKind.ArrayOpen, start, Position);
            case (byte)']': Position++; return new Token(TokenKind.ArrayClose, start, Position);
            case (byte)'<':
                if (start + 1 < span.Length && span[start + 1] == '<')
                {
                    Position += 2;
                    return new Token(TokenKind.DictOpen, start, Position);
                }
                return HexString(span, start);
            case (byte)'>':
                if (start + 1 < span.Length && span[start + 1] == '>')
                {
                    Position += 2;
                    return new Token(TokenKind.DictClose, start, Position);
                }
                throw Error("stray '>'", start);
            case (byte)'(': return LiteralString(span, start);
            case (byte)')': throw Error("stray ')'", start);
            case (byte)'{' or (byte)'}': throw Error("unexpected brace", start);
            case (byte)'/':
                Position++;
                while (Position < span.Length && IsRegular(span[Position])) Position++;
                return new Token(TokenKind.Name, start, Position);
        }
        while (Position < span.Length && IsRegular(span[Position])) Position++;
        if (c is (byte)'+' or (byte)'-' or (byte)'.' || (c >= '0' && c <= '9')) return Number(span, start, Position);
        return new Token(TokenKind.Keyword, start, Position);
    }

    Token HexString(ReadOnlySpan<byte> span, int start)
    {
        var end = span[(start + 1)..].IndexOf((byte)'>');
        if (end < 0) throw Error("unterminated hex string", start);
        end += start + 1;
        foreach (var b in span[(start + 1)..end])
            if (!IsWhite(b) && HexValue(b) < 0) throw Error("bad character in hex string", start);
        Position = end + 1;
        return new Token(TokenKind.HexString, start, Position);
    }

    Token LiteralString(ReadOnlySpan<byte> span, int start)
    {
        var depth = 0;
        var i = start;
        while (i < span.Length)
        {
            var b = span[i];
            if (b == '\\') i += 2;
            else
            {
                if (b == '(') depth++;
                else if (b == ')' && --depth == 0)
                {
                    Position = i + 1;
                    return new Token(TokenKind.LiteralString, start, Position);
                }
                i++;
            }
        }
        throw Error("unterminated string", start);
    }

    Token Number(ReadOnlySpan<byte> span, int start, int end)
    {
        var text = span[start..end];
        var digits = 0;
        var dots = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var b = text[i];
            if (b >= '0' && b <= '9') digits++;
            else if (b == '.') dots++;
            else if (!(i == 0 && b is (byte)'+' or (byte)'-')) throw Error("malformed number", start);
        }
        if (digits == 0 || dots > 1) throw Error("malformed number", start);
        // Up to 18 digits fit a long; longer integers are kept as reals (never valid offsets or object numbers).
        if (dots == 0 && digits <= 18)
            return new Token(TokenKind.Integer, start, end, long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        var real = double.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return new Token(TokenKind.Real, start, end, Real: real);
    }

    public bool IsKeyword(Token token, ReadOnlySpan<byte> keyword) =>
        token.Kind == TokenKind.Keyword && Data.Span[token.Start..token.End].SequenceEqual(keyword);

    public static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    public string DecodeName(Token token)
    {
        var raw = Data.Span[(token.Start + 1)..token.End];
        if (raw.IndexOf((byte)'#') < 0) return Encoding.Latin1.GetString(raw);
        var sb = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '#' && i + 2 < raw.Length && HexValue(raw[i + 1]) >= 0 && HexValue(raw[i + 2]) >= 0)
            {
                sb.Append((char)(HexValue(raw[i + 1]) * 16 + HexValue(raw[i + 2])));
                i += 2;
            }
            else sb.Append((char)raw[i]);
        }
        return sb.ToString();
    }

    public byte[] DecodeHex(Token token)
    {
        var raw = Data.Span[(token.Start + 1)..(token.End - 1)];
        var result = new byte[(raw.Length + 1) / 2];
        var n = 0;
        var high = -1;
        foreach (var b in raw)
        {
            var v = HexValue(b);
            if (v < 0) continue;
            if (high < 0) high = v;
            else
            {
                result[n++] = (byte)(high * 16 + v);
                high = -1;
            }
        }
        if (high >= 0) result[n++] = (byte)(high * 16); // an odd count means a final 0 (§7.3.4.3)
        return n == result.Length ? result : result[..n];
    }

    public byte[] DecodeLiteral(Token token)
    {
        var raw = Data.Span[(token.Start + 1)..(token.End - 1)];
        var result = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b == '\r')
            {
                // An unescaped end of line in a string is read as a single line feed (§7.3.4.2).
                if (i + 1 < raw.Length && raw[i + 1] == '\n') i++;
                result.Add((byte)'\n');
                continue;
            }
            if (b != '\\' || i + 1 >= raw.Length)
            {
                result.Add(b);
                continue;
            }
            var e = raw[++i];
            switch (e)
            {
                case (byte)'n': result.Add((byte)'\n'); break;
                case (byte)'r': result.Add((byte)'\r'); break;
                case (byte)'t': result.Add((byte)'\t'); break;
                case (byte)'b': result.Add((byte)'\b'); break;
                case (byte)'f': result.Add((byte)'\f'); break;
                case (byte)'\r': if (i + 1 < raw.Length && raw[i + 1] == '\n') i++; break; // line continuation
                case (byte)'\n': break;
                case >= (byte)'0' and <= (byte)'7':
                    var value = e - '0';
                    for (var k = 0; k < 2 && i + 1 < raw.Length && raw[i + 1] >= '0' && raw[i + 1] <= '7'; k++)
                        value = value * 8 + (raw[++i] - '0');
                    result.Add((byte)value);
                    break;
                default: result.Add(e); break; // \( \) \\ and unknown escapes: the character itself
            }
        }
        return [.. result];
    }

    public PdfFormatException Error(string what, int at) => new($"PDF syntax error at byte {at}: {what}.");
}

/// <summary>
/// Parses PDF objects from a lexer. Depth is capped (a file of ten thousand '[' must fail, not overflow the stack);
/// a stream's /Length is trusted only when "endstream" follows it, else the data end is searched for.
/// </summary>
internal sealed class PdfParser(PdfLexer lexer, Func<PdfReference, long?>? resolveLength = null)
{
    public const int MaxDepth = 200;

    public PdfLexer Lexer { get; } = lexer;

    public PdfObject ParseObject() => Parse(Lexer.Next(), 0);

    PdfObject Parse(Token token, int depth)
    {
        if (depth > MaxDepth) throw Lexer.Error("objects nested too deeply", token.Start);
        switch (token.Kind)
        {
            case TokenKind.Integer:
                return MaybeReference(token);
            case TokenKind.Real:
                return new PdfReal(token.Real) { Start = token.Start, End = token.End };
            case TokenKind.Name:
                return new PdfName(Lexer.DecodeName(token)) { Start = token.Start, End = token.End };
            case TokenKind.LiteralString:
                return new PdfString(Lexer.DecodeLiteral(token), false) { Start = token.Start, End = token.End };
            case TokenKind.HexString:
                return new PdfString(Lexer.DecodeHex(token), true) { Start = token.Start, End = token.End };
            case TokenKind.ArrayOpen:
            {
                var items = new List<PdfObject>();
                while (true)
                {
                    var next = Lexer.Next();
                    if (next.Kind == TokenKind.ArrayClose)
                        return new PdfArray(items, take: true) { Start = token.Start, End = next.End };
                    if (next.Kind == TokenKind.Eof) throw Lexer.Error("unterminated array", token.Start);
                    items.Add(Parse(next, depth + 1));
                }
            }
            case TokenKind.DictOpen:
            {
                var dict = new PdfDictionary();
                while (true)
                {
                    var key = Lexer.Next();
                    if (key.Kind == TokenKind.DictClose)
                    {
                        dict.Start = token.Start;
                        dict.End = key.End;
                        return dict;
                    }
                    if (key.Kind == TokenKind.Eof) throw Lexer.Error("unterminated dictionary", token.Start);
                    if (key.Kind != TokenKind.Name) throw Lexer.Error("dictionary key is not a name", key.Start);
                    var value = Lexer.Next();
                    if (value.Kind == TokenKind.DictClose) // "/Key >>": a missing value reads as null
                    {
                        dict.Add(Lexer.DecodeName(key), PdfNull.Instance);
                        dict.Start = token.Start;
                        dict.End = value.End;
                        return dict;
                    }
                    dict.Add(Lexer.DecodeName(key), Parse(value, depth + 1));
                }
            }
            case TokenKind.Keyword:
                if (Lexer.IsKeyword(token, "null"u8)) return new PdfNull { Start = token.Start, End = token.End };
                if (Lexer.IsKeyword(token, "true"u8)) return new PdfBoolean(true) { Start = token.Start, End = token.End };
                if (Lexer.IsKeyword(token, "false"u8)) return new PdfBoolean(false) { Start = token.Start, End = token.End };
                throw Lexer.Error("unexpected keyword", token.Start);
            case TokenKind.Eof:
                throw Lexer.Error("unexpected end of data", token.Start);
            default:
                throw Lexer.Error("unexpected token", token.Start);
        }
    }

    PdfObject MaybeReference(Token number)
    {
        var save = Lexer.Position;
        if (number.Integer is >= 0 and <= int.MaxValue)
        {
            var generation = Lexer.Next();
            if (generation.Kind == TokenKind.Integer && generation.Integer is >= 0 and <= int.MaxValue)
            {
                var r = Lexer.Next();
                if (Lexer.IsKeyword(r, "R"u8))
                    return new PdfReference((int)number.Integer, (int)generation.Integer) { Start = number.Start, End = r.End };
            }
        }
        Lexer.Position = save;
        return new PdfInteger(number.Integer) { Start = number.Start, End = number.End };
    }

    /// <summary>Reads <c>N G obj … endobj</c> at <paramref name="offset"/>. Streams are allowed only in the file itself.</summary>
    public (int Number, int Generation, PdfObject Value, int End) ParseIndirect(int offset, bool allowStream = true)
    {
        Lexer.Position = offset;
        var n = Lexer.Next();
        var g = Lexer.Next();
        var obj = Lexer.Next();
        if (n.Kind != TokenKind.Integer || g.Kind != TokenKind.Integer || !Lexer.IsKeyword(obj, "obj"u8)
            || n.Integer is < 0 or > int.MaxValue || g.Integer is < 0 or > int.MaxValue)
            throw Lexer.Error("expected 'N G obj'", offset);
        var first = Lexer.Next();
        PdfObject value;
        if (Lexer.IsKeyword(first, "endobj"u8)) return ((int)n.Integer, (int)g.Integer, PdfNull.Instance, first.End);
        value = Parse(first, 0);
        var after = Lexer.Position;
        var next = Lexer.Next();
        if (value is PdfDictionary dict && Lexer.IsKeyword(next, "stream"u8))
        {
            if (!allowStream) throw Lexer.Error("stream inside an object stream", next.Start);
            value = ReadStream(dict, next.End);
            after = Lexer.Position;
            next = Lexer.Next();
        }
        if (Lexer.IsKeyword(next, "endobj"u8)) after = next.End;
        Lexer.Position = after;
        return ((int)n.Integer, (int)g.Integer, value, after);
    }

    PdfStream ReadStream(PdfDictionary dict, int afterKeyword)
    {
        var span = Lexer.Data.Span;
        var p = afterKeyword;
        // "stream" is followed by CRLF or LF (§7.3.8.1); a lone CR is accepted, as most readers do.
        if (p < span.Length && span[p] == '\r') p++;
        if (p < span.Length && span[p] == '\n') p++;
        var dataStart = p;

        long? length = dict.Get("Length") switch
        {
            PdfInteger i => i.Value,
            PdfReference r when resolveLength is not null => resolveLength(r),
            _ => null,
        };
        if (length is { } l && l >= 0 && l <= span.Length - dataStart && EndstreamAt(span, dataStart + (int)l) is { } endKeyword)
        {
            Lexer.Position = endKeyword;
            return new PdfStream(dict, dataStart, l) { Start = dict.Start, End = endKeyword };
        }

        var found = span[dataStart..].IndexOf("endstream"u8);
        if (found < 0) throw Lexer.Error("stream without 'endstream'", dataStart);
        var dataEnd = dataStart + found;
        if (dataEnd > dataStart && span[dataEnd - 1] == '\n') dataEnd--;
        if (dataEnd > dataStart && span[dataEnd - 1] == '\r') dataEnd--;
        Lexer.Position = dataStart + found + "endstream".Length;
        return new PdfStream(dict, dataStart, dataEnd - dataStart) { Start = dict.Start, End = Lexer.Position, LengthRepaired = true };
    }

    /// <summary>The offset after "endstream" when only an end of line separates it from <paramref name="at"/>.</summary>
    static int? EndstreamAt(ReadOnlySpan<byte> span, int at)
    {
        var p = at;
        for (var k = 0; k < 2 && p < span.Length && (span[p] == '\r' || span[p] == '\n'); k++) p++;
        if (span.Length - p >= 9 && span.Slice(p, 9).SequenceEqual("endstream"u8)) return p + 9;
        return null;
    }
}

/// <summary>Parses one object from bytes (no streams): for tests and for callers that build objects from text.</summary>
public static class PdfSyntax
{
    public static PdfObject Parse(ReadOnlyMemory<byte> bytes) => new PdfParser(new PdfLexer(bytes)).ParseObject();

    public static PdfObject Parse(string latin1) => Parse(System.Text.Encoding.Latin1.GetBytes(latin1));
}
