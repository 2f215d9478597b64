using Portal.Core.Signatures.Pdf;
namespace Portal.Core.Tests.Signatures.Pdf;
public class DumpTmp
{
    [Fact]
    public void Dump()
    {
        var sb = new System.Text.StringBuilder();
        foreach (var f in Directory.GetFiles(Path.Combine(Corpus.Directory, "pdf"), "*.pdf", SearchOption.AllDirectories).Order())
        {
            var scan = PdfSignatureScan.Read(File.ReadAllBytes(f));
            sb.AppendLine($"== {Path.GetFileName(f)} revs={scan.RevisionCount} enc={scan.Encrypted} P={scan.DocMdpPermission} fmt={scan.FormatProblem}");
            foreach (var p in scan.Problems) sb.AppendLine($"   doc: {p}");
            foreach (var s in scan.Signatures)
            {
                sb.AppendLine($"   sig {s.FieldName} [{string.Join(",", s.ByteRange ?? [])}] rev={s.Revision} whole={s.CoversWholeFile} ts={s.IsDocumentTimestamp} cert={s.IsCertification} mod={s.ModificationsAfter} M={s.ClaimedTime} len={s.Contents?.Length}");
                foreach (var p in s.StructureProblems) sb.AppendLine($"      problem: {p}");
                foreach (var p in s.ModificationDetails) sb.AppendLine($"      change: {p}");
            }
        }
        File.WriteAllText("/tmp/scan-dump.txt", sb.ToString());
    }
}
