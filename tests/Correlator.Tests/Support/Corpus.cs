namespace Correlator.Tests.Support;

/// <summary>The public scenario corpus in tests/scenarios.</summary>
public static class Corpus
{
    public static string Directory { get; } = Find();

    public static string Path(string file) => System.IO.Path.Combine(Directory, file);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "scenarios");
            if (System.IO.Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tests/scenarios not found above " + AppContext.BaseDirectory);
    }
}
