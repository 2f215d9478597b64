namespace Portal.Core.Tests;

public static class Repo
{
    // The repository root: the nearest folder above the test binaries that holds Portal.sln.
    public static string Root { get; } = Find();

    public static string File(string relative) => Path.Combine(Root, relative);

    /// <summary>
    /// The pyHanko signature corpus: ../shared/corpus/pyhanko beside the repository when present (it may have grown
    /// since it was copied), else the copy in tests/corpus/pyhanko (MIT, see its LICENSE) so a bare clone can test.
    /// </summary>
    public static string Corpus { get; } = Directory.Exists(Path.Combine(Root, "..", "shared", "corpus", "pyhanko", "pdf"))
        ? Path.GetFullPath(Path.Combine(Root, "..", "shared", "corpus", "pyhanko"))
        : Path.Combine(Root, "tests", "corpus", "pyhanko");

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) return dir.FullName;
        throw new InvalidOperationException("Portal.sln not found above " + AppContext.BaseDirectory);
    }
}
