using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Portal.Core.Tests.Documents;

/// <summary>
/// poppler-utils, qpdf and zbar-tools as independent oracles for the PDFs Portal makes (UX.md §3.2). A missing tool
/// fails the test with a hint: ./test.sh installs them; tests never skip.
/// </summary>
public static class PdfTools
{
    public static string Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(start)!; }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is not installed ({e.Message}). Run ./test.sh, which installs poppler-utils, qpdf and zbar-tools.");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited with {process.ExitCode}: {error.Result}{output.Result}");
            return output.Result;
        }
    }

    /// <summary>Writes the bytes to a fresh temporary folder, runs <paramref name="use"/> on the file, deletes the folder.</summary>
    public static T WithFile<T>(byte[] pdf, Func<string, T> use)
    {
        var dir = Directory.CreateTempSubdirectory("portal-pdf-").FullName;
        try
        {
            var path = Path.Combine(dir, "document.pdf");
            File.WriteAllBytes(path, pdf);
            return use(path);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    public static string Text(byte[] pdf) =>
        WithFile(pdf, path => Run("pdftotext", "-enc", "UTF-8", path, "-")).Normalize(NormalizationForm.FormC);

    public static string Fonts(byte[] pdf) => WithFile(pdf, path => Run("pdffonts", path));

    public static string Info(byte[] pdf) => WithFile(pdf, path => Run("pdfinfo", path));

    /// <summary>Renders the first page at 150 dpi and reads every QR code on it with zbarimg.</summary>
    public static string[] QrCodes(byte[] pdf) => WithFile(pdf, path =>
    {
        var prefix = Path.Combine(Path.GetDirectoryName(path)!, "page");
        Run("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", path, prefix);
        return Run("zbarimg", "--raw", "-q", prefix + ".png").Split('\n', StringSplitOptions.RemoveEmptyEntries);
    });
}
