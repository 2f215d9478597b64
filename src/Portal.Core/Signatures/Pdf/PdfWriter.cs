using System.Globalization;
using System.Text;

namespace Portal.Core.Signatures.Pdf;

/// <summary>
/// Serialises objects in a plain, unambiguous form, for incremental updates. It writes values, not layout: an object
/// read from a file comes out equal (<see cref="PdfFile.SameValue"/>), not byte-identical. To copy bytes unchanged,
/// use <see cref="PdfIndirectObject.RawValue"/> or <see cref="PdfFile.RawObject"/>.
/// </summary>
public static class PdfWriter
{
    public static byte[] ToBytes(PdfObject value)
    {
        var output = new MemoryStream();
        Write(value, output);
        return output.ToArray();
    }

    /// <summary>"N G obj\n…\nendobj\n" for a non-stream value.</summary>
    public static byte[] IndirectObject(int number, int generation, PdfObject value)
    {
        var output = new MemoryStream();
        Ascii(output, $"{number} {generation} obj\n");
        Write(value, output);
        Ascii(output, "\nendobj\n");
        return output.ToArray();
    }

    /// <summary>"N G obj\n&lt;&lt;…/Length n&gt;&gt;\nstream\n…\nendstream\nendobj\n", with /Length set to the data's length.</summary>
    public static byte[] StreamObject(int number, int generation, PdfDictionary dictionary, ReadOnlySpan<byte> data)
    {
        var output = new MemoryStream();
        Ascii(output, $"{number} {generation} obj\n");
        Write(dictionary.With("Length", new PdfInteger(data.Length)), output);
        Ascii(output, "\nstream\n");
        output.Write(data);
        Ascii(output, "\nendstream\nendobj\n");
        return output.ToArray();
    }

    public static void Write(PdfObject value, Stream output)
    {
        switch (value)
        {
            case PdfNull: Ascii(output, "null"); break;
            case PdfBoolean b: Ascii(output, b.Value ? "true" : "false"); break;
            case PdfInteger i: Ascii(output, i.Value.ToString(CultureInfo.InvariantCulture)); break;
            case PdfReal r:
                Ascii(output, double.IsFinite(r.Value) ? r.Value.ToString("0.##########", CultureInfo.InvariantCulture) : "0");
                break;
            case PdfName n: WriteName(n.Value, output); break;
            case PdfString s: WriteString(s, output); break;
            case PdfReference r: Ascii(output, $"{r.Number} {r.Generation} R"); break;
            case PdfArray a:
                output.WriteByte((byte)'[');
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0) output.WriteByte((byte)' ');
                    Write(a[i], output);
                }
                output.WriteByte((byte)']');
                break;
            case PdfDictionary d:
                Ascii(output, "<<");
                foreach (var (key, v) in d)
                {
                    WriteName(key, output);
                    output.WriteByte((byte)' ');
                    Write(v, output);
                }
                Ascii(output, ">>");
                break;
            case PdfStream:
                throw new InvalidOperationException("A stream needs its data: use PdfWriter.StreamObject.");
        }
    }

    static void WriteName(string name, Stream output)
    {
        output.WriteByte((byte)'/');
        foreach (var c in name)
        {
            var b = (byte)c; // names are Latin-1 (one byte per character)
            if (b is < 0x21 or > 0x7E || b == '#' || PdfLexer.IsDelimiter(b)) Ascii(output, "#" + b.ToString("X2", CultureInfo.InvariantCulture));
            else output.WriteByte(b);
        }
    }

    static void WriteString(PdfString s, Stream output)
    {
        if (s.IsHex)
        {
            output.WriteByte((byte)'<');
            Ascii(output, Convert.ToHexString(s.Bytes));
            output.WriteByte((byte)'>');
            return;
        }
        output.WriteByte((byte)'(');
        foreach (var b in s.Bytes)
        {
            switch (b)
            {
                case (byte)'(' or (byte)')' or (byte)'\\': output.WriteByte((byte)'\\'); output.WriteByte(b); break;
                case (byte)'\r': Ascii(output, "\\r"); break; // a raw CR would be read back as LF
                default: output.WriteByte(b); break;
            }
        }
        output.WriteByte((byte)')');
    }

    static void Ascii(Stream output, string text) => output.Write(Encoding.ASCII.GetBytes(text));
}
