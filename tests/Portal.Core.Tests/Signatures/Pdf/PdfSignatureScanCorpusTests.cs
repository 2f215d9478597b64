using System.Text.Json;
using Portal.Core.Signatures;
using Portal.Core.Signatures.Pdf;

using Portal.Core.Tests.Signatures;

namespace Portal.Core.Tests.Signatures.Pdf;

/// <summary>Every signed file of the pyHanko corpus against what its manifest says (SIGNATURES.md §10.1).</summary>
public class PdfSignatureScanCorpusTests
{
    [Theory]
    [MemberData(nameof(Corpus.SignedFiles), MemberType = typeof(Corpus))]
    public void The_scan_agrees_with_the_manifest(string file)
    {
        using var manifest = Corpus.Manifest();
        var entry = Corpus.Entry(manifest, file);
        var expected = entry.GetProperty("signatures").EnumerateArray().ToList();

        var scan = PdfSignatureScan.Read(Corpus.Read(file));

        Assert.True(scan.IsPdf);
        Assert.Null(scan.FormatProblem);
        Assert.Equal(expected.Count, scan.Signatures.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var want = expected[i];
            var got = scan.Signatures[i];
            var observed = want.GetProperty("observed");
            var why = $"{file} signature {i}: problems [{string.Join(" | ", got.StructureProblems)}], changes {got.ModificationsAfter} [{string.Join(" | ", got.ModificationDetails)}]";

            Assert.Equal(observed.GetProperty("byte_range").EnumerateArray().Select(x => x.GetInt64()), got.ByteRange!);
            if (observed.TryGetProperty("field_name", out var name)) Assert.Equal(name.GetString(), got.FieldName);
            Assert.Equal(observed.GetProperty("kind").GetString() == "document_timestamp", got.IsDocumentTimestamp);
            Assert.Equal(observed.GetProperty("subfilter").GetString(), got.SubFilter);

            switch (Text(want, "coverage"))
            {
                case "entire_file":
                    Assert.True(got.CoversWholeFile, why);
                    Assert.Empty(got.StructureProblems);
                    break;
                case "entire_revision":
                    Assert.True(got.CoversWholeRevision && !got.CoversWholeFile, why);
                    Assert.Empty(got.StructureProblems);
                    break;
                case "contiguous_block_from_start" or "unclear":
                    Assert.NotEmpty(got.StructureProblems);
                    break;
            }

            switch (Text(want, "modification_level"))
            {
                case "none" or "lta_updates": Assert.True(got.ModificationsAfter == ModificationLevel.None, why); break;
                case "form_filling": Assert.True(got.ModificationsAfter == ModificationLevel.FormFilling, why); break;
                case "annotations": Assert.True(got.ModificationsAfter == ModificationLevel.Annotations, why); break;
                case "other": Assert.True(got.ModificationsAfter == ModificationLevel.Other, why); break;
                case "at_most_form_filling": Assert.True(got.ModificationsAfter <= ModificationLevel.FormFilling, why); break;
            }
        }
    }

    static string? Text(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    [Fact]
    public void The_unsigned_placeholder_is_not_a_clean_signature()
    {
        var scan = PdfSignatureScan.Read(Corpus.Read("pdf/coverage-anomalies/base.pdf"));
        var signature = Assert.Single(scan.Signatures);
        Assert.Contains(signature.StructureProblems, p => p.Contains("byte 0"));
    }

    [Theory]
    [InlineData("pdf/minimal.pdf")]
    [InlineData("pdf/minimal-with-field.pdf")]
    [InlineData("pdf/minimal-two-fields.pdf")]
    public void Unsigned_baselines_have_no_signatures(string file)
    {
        var scan = PdfSignatureScan.Read(Corpus.Read(file));
        Assert.True(scan.IsPdf);
        Assert.Null(scan.FormatProblem);
        Assert.Empty(scan.Signatures);
        Assert.Empty(scan.Problems);
        Assert.Null(scan.DocMdpPermission);
    }

    [Fact]
    public void Other_files_in_the_manifest_are_the_ones_these_tests_cover()
    {
        using var manifest = Corpus.Manifest();
        var others = manifest.RootElement.GetProperty("other_files").EnumerateArray().Select(f => f.GetProperty("file").GetString()).Order();
        Assert.Equal(["pdf/coverage-anomalies/base.pdf", "pdf/minimal-two-fields.pdf", "pdf/minimal-with-field.pdf", "pdf/minimal.pdf"], others);
    }

    [Fact]
    public void The_certification_signature_reports_its_docmdp_permission()
    {
        var scan = PdfSignatureScan.Read(Corpus.Read("pdf/certified-with-indirect-refs-in-dir.pdf"));
        Assert.Equal(1, scan.DocMdpPermission);
        Assert.True(Assert.Single(scan.Signatures).IsCertification);
    }

    [Fact]
    public void The_pades_lta_file_exposes_its_dss_and_document_timestamp()
    {
        var scan = PdfSignatureScan.Read(Corpus.Read("pdf/pades-lta-dss-indirect-arrs-test.pdf"));
        Assert.Equal(5, scan.DssCertificates.Count);
        Assert.Single(scan.DssCrls);
        Assert.Single(scan.DssOcsps);
        Assert.All(scan.DssCertificates, c => Assert.Equal(0x30, c[0])); // DER SEQUENCE
        Assert.True(scan.Signatures[1].IsDocumentTimestamp);
        Assert.Equal(new DateTimeOffset(2020, 11, 1, 1, 0, 0, TimeSpan.FromHours(1)), scan.Signatures[0].ClaimedTime);
        Assert.Empty(scan.Problems);
    }

    [Fact]
    public void The_encrypted_file_is_flagged_and_its_signature_found()
    {
        var scan = PdfSignatureScan.Read(Corpus.Read("pdf/signed-encrypted-pubkey-with-catalog-ref.pdf"));
        Assert.True(scan.Encrypted);
        var signature = Assert.Single(scan.Signatures);
        Assert.Null(signature.FieldName);
        Assert.True(signature.CoversWholeFile);
        Assert.Equal(2, scan.DocMdpPermission);
    }
}
