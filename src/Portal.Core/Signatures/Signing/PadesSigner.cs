using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Portal.Core.Signatures.Pdf;

namespace Portal.Core.Signatures;

/// <summary>A document Portal must not or cannot sign, with the reason in Vietnamese.</summary>
public sealed class SigningRefusedException(string message) : Exception(message);

public sealed record SignOptions
{
    public string? Reason { get; init; }
    public string? Location { get; init; }
    public string? ContactInfo { get; init; }
    /// <summary>The signature field's name; default "Chữ ký N" with the next free N.</summary>
    public string? FieldName { get; init; }
    /// <summary>RFC 3161 authority for PAdES B-T; null gives B-B.</summary>
    public Uri? TimestampAuthority { get; init; }
    public HttpClient? Http { get; init; }
    /// <summary>Bytes reserved for the CMS (hex doubles it). 16 KiB holds a signature, three certificates and a token.</summary>
    public int ReservedBytes { get; init; } = 16 * 1024;
}

/// <summary>
/// Signs a PDF with PAdES baseline B-B (B-T with a timestamp authority) by incremental update (SIGNATURES.md §11.1):
/// the original bytes are kept as they are and a revision is appended with the signature dictionary, an invisible
/// signature field on page 1, new versions of that page and of the AcroForm (or catalog), and a cross-reference
/// section of the kind the file already uses. Existing signatures therefore stay valid.
/// </summary>
public sealed class PadesSigner(TimeProvider clock)
{
    const int ByteRangeWidth = 40;   // "0 b c d" padded with spaces; 4 × 10 digits fit any file below 10 GB

    public async Task<byte[]> SignAsync(ReadOnlyMemory<byte> pdf, SigningKey key, SignOptions options, CancellationToken ct)
    {
        PdfFile file;
        try { file = PdfFile.Open(pdf, ct); }
        catch (PdfFormatException e) { throw new SigningRefusedException($"Không ký được: tệp PDF bị hỏng ({e.Message})."); }

        var last = file.LastRevision;
        var trailer = last.Trailer;
        if (file.IsEncrypted)
            throw new SigningRefusedException("Không ký được tệp PDF có mật khẩu hoặc được mã hóa. Hãy gửi bản không mã hóa.");
        if (file.RootReference() is not { } rootRef || file.Resolve(rootRef) is not PdfDictionary catalog)
            throw new SigningRefusedException("Không ký được: tệp PDF không có mục lục tài liệu (/Root).");
        if (CertifiedNoChanges(file, catalog))
            throw new SigningRefusedException("Không ký được: tài liệu đã được chứng nhận không cho phép thay đổi (DocMDP P=1), nên thêm chữ ký sẽ làm chữ ký cũ mất hiệu lực.");
        var pages = file.Pages();
        if (pages.Count == 0) throw new SigningRefusedException("Không ký được: tài liệu không có trang nào.");
        var firstPage = pages[0];
        var page = firstPage.Dictionary;

        var size = (int)(trailer.GetInteger("Size") ?? 0);
        var next = size;
        int sigNumber = next++, fieldNumber = next++;
        var fieldRef = new PdfReference(fieldNumber, 0);
        var now = clock.GetUtcNow();

        var output = new MemoryStream(pdf.Length + options.ReservedBytes * 2 + 8192);
        output.Write(pdf.Span);
        if (pdf.Length > 0 && pdf.Span[^1] is not ((byte)'\n' or (byte)'\r')) output.WriteByte((byte)'\n');
        var offsets = new SortedDictionary<int, (long Offset, int Generation)>();

        // The signature dictionary: a fixed-width /ByteRange and a zero-filled /Contents, both filled in afterwards.
        offsets[sigNumber] = (output.Position, 0);
        var sig = new StringBuilder();
        sig.Append(CultureInfo.InvariantCulture, $"{sigNumber} 0 obj\n<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/ByteRange[");
        var byteRangeAt = sig.Length;
        sig.Append(' ', ByteRangeWidth).Append("]/Contents<");
        var contentsAt = sig.Length - 1;
        sig.Append('0', options.ReservedBytes * 2).Append('>');
        sig.Append("/M").Append(Latin1(Date(now)));
        AppendText(sig, "Reason", options.Reason);
        AppendText(sig, "Location", options.Location);
        AppendText(sig, "ContactInfo", options.ContactInfo);
        AppendText(sig, "Name", key.Certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false));
        sig.Append(">>\nendobj\n");
        var sigStart = output.Position;
        output.Write(Encoding.Latin1.GetBytes(sig.ToString()));

        // The field and its widget in one object, invisible (zero rectangle), printed and locked.
        var fields = Fields(file, catalog);
        var name = options.FieldName ?? NextFieldName(file, fields);
        var field = new PdfDictionary()
            .With("Type", new PdfName("Annot")).With("Subtype", new PdfName("Widget")).With("FT", new PdfName("Sig"))
            .With("T", Text(name)).With("V", new PdfReference(sigNumber, 0)).With("F", new PdfInteger(132))
            .With("Rect", new PdfArray([new PdfInteger(0), new PdfInteger(0), new PdfInteger(0), new PdfInteger(0)]))
            .With("P", new PdfReference(firstPage.Number, firstPage.Generation));
        WriteObject(output, offsets, fieldNumber, 0, field);

        // Page 1 with the widget appended to its annotations (an indirect /Annots array becomes direct here).
        var annots = file.Resolve(page.Get("Annots")) is PdfArray existing ? existing.ToList() : [];
        annots.Add(fieldRef);
        WriteObject(output, offsets, firstPage.Number, firstPage.Generation, page.With("Annots", new PdfArray(annots)));

        // The AcroForm: a new version of its own object when it is indirect, else a new catalog carrying it.
        var formValue = catalog.Get("AcroForm");
        var form = file.Resolve(formValue) as PdfDictionary ?? new PdfDictionary();
        form = form.With("Fields", new PdfArray([.. fields, fieldRef])).With("SigFlags", new PdfInteger(3));
        if (formValue is PdfReference formRef) WriteObject(output, offsets, formRef.Number, formRef.Generation, form);
        else WriteObject(output, offsets, rootRef.Number, rootRef.Generation, catalog.With("AcroForm", form));

        WriteXref(output, offsets, last, trailer, ref next);

        // ByteRange: everything but the /Contents hex string, "<" and ">" included in the gap.
        var bytes = output.ToArray();
        long b = sigStart + Encoding.Latin1.GetByteCount(sig.ToString(0, contentsAt));
        long c = b + options.ReservedBytes * 2 + 2;
        long d = bytes.Length - c;
        var range = $"0 {b} {c} {d}".PadRight(ByteRangeWidth);
        Encoding.ASCII.GetBytes(range).CopyTo(bytes, sigStart + Encoding.Latin1.GetByteCount(sig.ToString(0, byteRangeAt)));

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(bytes, 0, (int)b);
        sha.AppendData(bytes, (int)c, (int)d);
        var cms = await CadesSignature.BuildAsync(sha.GetHashAndReset(), key, options.TimestampAuthority, options.Http, ct);
        if (cms.Length > options.ReservedBytes)
            throw new InvalidOperationException($"The signature ({cms.Length} bytes) does not fit the {options.ReservedBytes} bytes reserved; raise ReservedBytes.");
        Encoding.ASCII.GetBytes(Convert.ToHexString(cms)).CopyTo(bytes, b + 1);
        return bytes;
    }

    static void AppendText(StringBuilder output, string key, string? text)
    {
        if (string.IsNullOrEmpty(text)) return;
        output.Append('/').Append(key).Append(Latin1(Text(text)));
    }

    static string Latin1(PdfObject value) => Encoding.Latin1.GetString(PdfWriter.ToBytes(value));

    /// <summary>A text string as UTF-16BE with a byte order mark, so Vietnamese survives in every reader.</summary>
    static PdfString Text(string text) => new([0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(text)], true);

    /// <summary>A PDF date, "D:YYYYMMDDHHmmSS+07'00'" in Vietnam time.</summary>
    static PdfString Date(DateTimeOffset instant) =>
        PdfString.Literal(instant.ToOffset(TimeSpan.FromHours(7)).ToString("'D:'yyyyMMddHHmmss'+07''00'''", CultureInfo.InvariantCulture));

    static void WriteObject(MemoryStream output, SortedDictionary<int, (long Offset, int Generation)> offsets, int number, int generation, PdfObject value)
    {
        offsets[number] = (output.Position, generation);
        output.Write(PdfWriter.IndirectObject(number, generation, value));
    }

    /// <summary>A certification signature with DocMDP P=1 forbids every change, including a new signature (§3.10 rule 31).</summary>
    static bool CertifiedNoChanges(PdfFile file, PdfDictionary catalog) =>
        file.ResolveDictionary(catalog.Get("Perms")) is { } perms
        && PdfSignatureScan.DocMdpTransformP(file, file.ResolveDictionary(perms.Get("DocMDP"))) == 1;

    static List<PdfObject> Fields(PdfFile file, PdfDictionary catalog) =>
        file.Resolve(catalog.Get("AcroForm")) is PdfDictionary form && file.Resolve(form.Get("Fields")) is PdfArray fields ? [.. fields] : [];

    static string NextFieldName(PdfFile file, List<PdfObject> fields)
    {
        var names = fields.Select(f => file.Resolve(f) is PdfDictionary d && d.Get("T") is PdfString t ? t.Text : null).ToHashSet();
        var n = 1;
        while (names.Contains($"Chữ ký {n}")) n++;
        return $"Chữ ký {n}";
    }

    /// <summary>A cross-reference section of the kind the file uses (§11.1 step 3), covering only the appended objects.</summary>
    static void WriteXref(MemoryStream output, SortedDictionary<int, (long Offset, int Generation)> offsets, PdfRevision last, PdfDictionary trailer, ref int next)
    {
        var id0 = trailer.Get("ID") is PdfArray { Count: 2 } id && id[0] is PdfString first ? first : new PdfString(RandomNumberGenerator.GetBytes(16), true);
        var newTrailer = new PdfDictionary()
            .With("Size", new PdfInteger(next))
            .With("Root", trailer.Get("Root")!)
            .With("Prev", new PdfInteger(last.XrefOffset))
            .With("ID", new PdfArray([id0, new PdfString(RandomNumberGenerator.GetBytes(16), true)]));
        if (trailer.Get("Info") is { } info) newTrailer = newTrailer.With("Info", info);

        if (last.XrefKind == XrefKind.Stream)
        {
            var xrefNumber = next++;
            offsets[xrefNumber] = (output.Position, 0);
            // /W [1 4 2]: type, offset, generation; uncompressed, which every reader accepts.
            var data = new MemoryStream();
            var index = new List<PdfObject>();
            foreach (var run in Runs(offsets.Keys))
            {
                index.Add(new PdfInteger(run.Start));
                index.Add(new PdfInteger(run.Count));
                for (var n = run.Start; n < run.Start + run.Count; n++)
                {
                    var (o, g) = offsets[n];
                    data.Write([1, (byte)(o >> 24), (byte)(o >> 16), (byte)(o >> 8), (byte)o, (byte)(g >> 8), (byte)g]);
                }
            }
            var dict = newTrailer.With("Size", new PdfInteger(next)).With("Type", new PdfName("XRef"))
                .With("W", new PdfArray([new PdfInteger(1), new PdfInteger(4), new PdfInteger(2)]))
                .With("Index", new PdfArray(index));
            output.Write(PdfWriter.StreamObject(xrefNumber, 0, dict, data.ToArray()));
            output.Write(Encoding.Latin1.GetBytes($"startxref\n{offsets[xrefNumber].Offset}\n%%EOF\n"));
            return;
        }

        var xrefAt = output.Position;
        var table = new StringBuilder("xref\n");
        foreach (var run in Runs(offsets.Keys))
        {
            table.Append(run.Start).Append(' ').Append(run.Count).Append('\n');
            for (var n = run.Start; n < run.Start + run.Count; n++)
                table.Append(offsets[n].Offset.ToString("0000000000", CultureInfo.InvariantCulture)).Append(' ')
                    .Append(offsets[n].Generation.ToString("00000", CultureInfo.InvariantCulture)).Append(" n\r\n");
        }
        table.Append("trailer\n").Append(Latin1(newTrailer));
        table.Append(CultureInfo.InvariantCulture, $"\nstartxref\n{xrefAt}\n%%EOF\n");
        output.Write(Encoding.Latin1.GetBytes(table.ToString()));
    }

    static IEnumerable<(int Start, int Count)> Runs(IEnumerable<int> sorted)
    {
        int? start = null, previous = null;
        foreach (var n in sorted)
        {
            if (start is null) start = n;
            else if (n != previous + 1)
            {
                yield return (start.Value, previous!.Value - start.Value + 1);
                start = n;
            }
            previous = n;
        }
        if (start is not null) yield return (start.Value, previous!.Value - start.Value + 1);
    }
}
