using System.Text;
using Portal.Core.Catalogue;

namespace Portal.Core.Tests.Catalogue;

public class CatalogueImportTests
{
    [Fact]
    public void The_demo_catalogue_is_a_valid_package_of_a_realistic_size()
    {
        var package = CatalogueImport.Parse(File.ReadAllText(Repo.File("db/demo/catalogue.json")));

        Assert.Empty(CatalogueImport.Validate(package));
        Assert.True(package.Procedures.Count >= 200, $"{package.Procedures.Count} procedures");
        Assert.True(package.Agencies.Count >= 15, $"{package.Agencies.Count} agencies");
        Assert.True(package.Fields.Count >= 25, $"{package.Fields.Count} fields");
        Assert.Contains(package.Procedures, p => p.Name == "Cấp bản sao từ sổ gốc");
        Assert.Contains(package.Procedures, p => p.Name == "Đăng ký khai sinh");
        Assert.All(package.Procedures, p => Assert.True(p.Name.IsNormalized(NormalizationForm.FormC), p.Name));
        // Certification: same day, or the next working day after 15:00 (R-F3).
        var certification = package.Procedures.Single(p => p.NationalCode == "2.000815").ProcessingTimes[0];
        Assert.Equal(("same-day", (TimeOnly?)new TimeOnly(15, 0)), (certification.Unit, certification.CutOff));
        // It issues electronic certified copies, the scans going into "Bản sao cần chứng thực"; it is the only one marked.
        var copies = Assert.Single(package.Procedures, p => p.CertifiedCopy);
        Assert.Equal("2.000815", copies.NationalCode);
        Assert.Equal("Bản sao cần chứng thực", copies.Documents[copies.CertifiedCopyLine!.Value - 1].Name);
    }

    [Fact]
    public void A_certified_copy_procedure_needs_a_copy_document_for_the_scans()
    {
        var package = CatalogueImport.Parse(File.ReadAllText(Repo.File("db/demo/catalogue.json")));
        var marked = package.Procedures.Single(p => p.NationalCode == "2.000815");
        var withoutCopy = marked with { Documents = [.. marked.Documents.Where(d => d.Copies == 0)] };
        var broken = package with { Procedures = [.. package.Procedures.Select(p => p == marked ? withoutCopy : p)] };
        Assert.Contains(CatalogueImport.Validate(broken), p => p.Contains("2.000815") && p.Contains("bản quét"));
        Assert.Null((marked with { CertifiedCopy = false }).CertifiedCopyLine);
    }

    [Fact]
    public void Validation_names_each_broken_reference()
    {
        var package = new CatalogueImport.Package(
            [new("000.00.01.H99", "Sở Tư pháp", "province", "000.00.99.H99", null, null, null)],
            [new("ho-tich", "Hộ tịch")],
            [new("1.000001", "Đăng ký khai sinh", "000.00.02.H99", "khong-co", "province", ["direct"],
                [new("online", 0, "weeks", null)], [new("Lệ phí", -1)], [], "Giấy khai sinh", [], "full", 4, [], "", null, "",
                new("Quyết định số 1/QĐ-UBND", new DateOnly(2025, 7, 1)), new DateOnly(2025, 7, 1), 0)]);

        var problems = CatalogueImport.Validate(package);

        Assert.Contains(problems, p => p.Contains("000.00.99.H99"));   // unknown parent
        Assert.Contains(problems, p => p.Contains("000.00.02.H99"));   // unknown agency
        Assert.Contains(problems, p => p.Contains("khong-co"));        // unknown field
        Assert.Contains(problems, p => p.Contains("weeks"));           // unknown unit
        Assert.Contains(problems, p => p.Contains("toàn trình"));      // online level without the online channel
        Assert.Contains(problems, p => p.Contains("không được âm"));   // negative fee
    }

    [Fact]
    public void Broken_json_is_reported_in_Vietnamese()
    {
        var e = Assert.Throws<CatalogueImportException>(() => CatalogueImport.Parse("{\"agencies\": ["));
        Assert.Contains("không đúng định dạng", e.Message);
    }
}
