using Microsoft.Playwright;

namespace Correlator.Tests.Support;

/// <summary>Debian's headless Chromium for the page tests, and where their screenshots go.</summary>
public static class PageBrowser
{
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>artifacts/screenshots at the repository root (git-ignored).</summary>
    public static readonly string Artifacts = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Correlator.sln"))) return dir.FullName;
        return AppContext.BaseDirectory;
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        Directory.CreateDirectory(Artifacts);
        return playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }
}
