using System.IO.Compression;

namespace Portal.Core.Signatures.Pdf;

/// <summary>
/// How many decoded bytes one file may produce in total. A few hundred bytes of FlateDecode can expand to gigabytes;
/// the reader stops at this budget instead.
/// </summary>
internal sealed class DecodeBudget(long bytes)
{
    public const long Default = 64L * 1024 * 1024;
    public long Remaining { get; private set; } = bytes;

    public void Spend(long bytes)
    {
        if (bytes > Remaining) throw new PdfFormatException("Decoded stream data exceeds the reader's limit.");
        Remaining -= bytes;
    }
}

/// <summary>Stream decoding: FlateDecode with PNG predictors is all that xref streams, object streams and /DSS need.</summary>
internal static class StreamFilters
{
    public static byte[] Decode(ReadOnlyMemory<byte> encoded, PdfDictionary dict, Func<PdfObject?, PdfObject?> resolve,
        DecodeBudget budget, CancellationToken ct)
    {
        var filters = resolve(dict.Get("Filter")) switch
        {
            null or PdfNull => [],
            PdfName name => [name.Value],
            PdfArray array => array.Select(f => (resolve(f) as PdfName)?.Value ?? "?").ToList(),
            _ => throw new PdfFormatException("Stream /Filter is not a name or an array."),
        };
        var parms = resolve(dict.Get("DecodeParms"));
        if (filters.Count == 0)
        {
            budget.Spend(encoded.Length);
            return encoded.ToArray();
        }
        if (filters.Count > 1) throw new PdfFormatException("Chained stream filters are not supported.");
        if (filters[0] is not ("FlateDecode" or "Fl")) throw new PdfFormatException($"Stream filter /{filters[0]} is not supported.");
        var decoded = Inflate(encoded, budget, ct);
        var p = (parms is PdfArray pa && pa.Count > 0 ? resolve(pa[0]) : parms) as PdfDictionary;
        return p is null ? decoded : Unpredict(decoded, p, resolve);
    }

    static byte[] Inflate(ReadOnlyMemory<byte> encoded, DecodeBudget budget, CancellationToken ct)
    {
        try
        {
            return Read(new ZLibStream(new ReadOnlyMemoryStream(encoded), CompressionMode.Decompress), budget, ct);
        }
        catch (InvalidDataException)
        {
            // Some writers emit a bad zlib header or checksum; try the raw deflate data once.
            if (encoded.Length < 2) throw new PdfFormatException("FlateDecode data is corrupt.");
            try
            {
                return Read(new DeflateStream(new ReadOnlyMemoryStream(encoded[2..]), CompressionMode.Decompress), budget, ct);
            }
            catch (InvalidDataException)
            {
                throw new PdfFormatException("FlateDecode data is corrupt.");
            }
        }
    }

    static byte[] Read(Stream inflater, DecodeBudget budget, CancellationToken ct)
    {
        using (inflater)
        {
            var output = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int n;
            while ((n = inflater.Read(buffer, 0, buffer.Length)) > 0)
            {
                ct.ThrowIfCancellationRequested();
                budget.Spend(n);
                output.Write(buffer, 0, n);
            }
            return output.ToArray();
        }
    }

    static byte[] Unpredict(byte[] data, PdfDictionary parms, Func<PdfObject?, PdfObject?> resolve)
    {
        long Int(string key, long fallback) => resolve(parms.Get(key)) is PdfInteger i ? i.Value : fallback;
        var predictor = Int("Predictor", 1);
        if (predictor == 1) return data;
        if (predictor < 10) throw new PdfFormatException($"Predictor {predictor} is not supported.");
        var colors = Int("Colors", 1);
        var bits = Int("BitsPerComponent", 8);
        var columns = Int("Columns", 1);
        if (colors is < 1 or > 32 || bits is not (1 or 2 or 4 or 8 or 16) || columns is < 1 or > 1 << 20)
            throw new PdfFormatException("Bad predictor parameters.");
        var rowBytes = (int)((columns * colors * bits + 7) / 8);
        var bpp = (int)Math.Max(1, colors * bits / 8);
        var rows = data.Length / (rowBytes + 1);
        var output = new byte[rows * rowBytes];
        var previous = new byte[rowBytes];
        for (var r = 0; r < rows; r++)
        {
            var src = r * (rowBytes + 1);
            var type = data[src];
            var row = output.AsSpan(r * rowBytes, rowBytes);
            data.AsSpan(src + 1, rowBytes).CopyTo(row);
            for (var i = 0; i < rowBytes; i++)
            {
                int left = i >= bpp ? row[i - bpp] : 0, up = previous[i], upLeft = i >= bpp ? previous[i - bpp] : 0;
                row[i] = type switch
                {
                    0 => row[i],
                    1 => (byte)(row[i] + left),
                    2 => (byte)(row[i] + up),
                    3 => (byte)(row[i] + (left + up) / 2),
                    4 => (byte)(row[i] + Paeth(left, up, upLeft)),
                    _ => throw new PdfFormatException("Bad PNG predictor row type."),
                };
            }
            row.CopyTo(previous);
        }
        return output;
    }

    static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>A read-only stream over memory, so the file's bytes are inflated without a copy.</summary>
    sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> data) : Stream
    {
        int position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, data.Length - position);
            data.Span.Slice(position, n).CopyTo(buffer);
            position += n;
            return n;
        }
    }
}
