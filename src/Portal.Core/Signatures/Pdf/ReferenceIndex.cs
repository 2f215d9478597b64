namespace Portal.Core.Signatures.Pdf;

/// <summary>
/// Who refers to whom, as seen by one revision: for every object number, each (source object, key path) that holds a
/// reference to it. Source -1 is the trailer (and cross-reference stream dictionaries, which act as trailers).
/// Built by parsing every object of the revision once, only when a change needs its context checked.
/// </summary>
internal sealed class ReferenceIndex
{
    public const int Trailer = -1;

    readonly Dictionary<int, List<(int Source, string Path)>> referrers = [];

    public IReadOnlyList<(int Source, string Path)> Of(int number) =>
        referrers.TryGetValue(number, out var list) ? list : [];

    public static ReferenceIndex Build(PdfFile file, int revision, CancellationToken ct)
    {
        var index = new ReferenceIndex();
        var path = new List<string>();
        index.Walk(file.Trailer(revision), Trailer, path);
        foreach (var n in file.ObjectNumbers(revision))
        {
            ct.ThrowIfCancellationRequested();
            PdfObject? value;
            try
            {
                value = file.GetObjectTransient(n, revision);
            }
            catch (PdfFormatException)
            {
                continue; // an unreadable object refers to nothing we could check
            }
            if (value is PdfStream { Dictionary: var d } && d.GetName("Type") == "XRef") index.Walk(d, Trailer, path);
            else if (value is PdfStream s) index.Walk(s.Dictionary, n, path);
            else if (value is not null) index.Walk(value, n, path);
        }
        return index;
    }

    // Depth is bounded by the parser (PdfParser.MaxDepth), so recursion is safe here.
    void Walk(PdfObject value, int source, List<string> path)
    {
        switch (value)
        {
            case PdfReference r:
                if (!referrers.TryGetValue(r.Number, out var list)) referrers[r.Number] = list = [];
                list.Add((source, string.Concat(path)));
                break;
            case PdfArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    path.Add($"[{i}]");
                    Walk(a[i], source, path);
                    path.RemoveAt(path.Count - 1);
                }
                break;
            case PdfDictionary d:
                foreach (var (key, v) in d)
                {
                    path.Add("/" + key);
                    Walk(v, source, path);
                    path.RemoveAt(path.Count - 1);
                }
                break;
        }
    }
}
