namespace Portal.Core.Tests;

public static class Repo
{
    // The repository root: the nearest folder above the test binaries that holds Portal.sln.
    public static string Root { get; } = Find();

    public static string File(string relative) => Path.Combine(Root, relative);

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) return dir.FullName;
        throw new InvalidOperationException("Portal.sln not found above " + AppContext.BaseDirectory);
    }
}
