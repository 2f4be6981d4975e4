using Correlator.Tests.Support;

namespace Correlator.Tests.Infra;

/// <summary>
/// infra/Dockerfile without a Docker engine: what it copies exists in the repository and is not ignored, the page's
/// assets come from a Node stage and the .NET stage builds with -p:PageAssetsPrebuilt=true (so it needs no npm).
/// </summary>
public class DockerfileTests
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(Corpus.Directory, "..", ".."));
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(Root, "infra", "Dockerfile"));

    [Fact]
    public void Every_file_the_dockerfile_copies_from_the_context_exists_and_is_not_ignored()
    {
        var ignored = File.ReadAllLines(Path.Combine(Root, ".dockerignore"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Replace("**/", "").TrimEnd('/')).ToList();
        var copies = Lines.Where(l => l.StartsWith("COPY ") && !l.Contains("--from=")).ToList();
        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        foreach (var source in copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1])
        {
            var path = Path.Combine(Root, source.TrimEnd('/'));
            Assert.True(File.Exists(path) || Directory.Exists(path), $"{copy}: {source} is not in the repository");
            Assert.DoesNotContain(ignored, i => source.TrimEnd('/').Split('/').Contains(i));
        }
    }

    [Fact]
    public void The_page_is_built_in_a_node_stage_and_the_dotnet_stage_takes_it_prebuilt()
    {
        Assert.Contains("FROM node:22-bookworm-slim AS page", Lines);
        Assert.Contains(Lines, l => l.StartsWith("RUN npm ci"));
        Assert.Contains("COPY --from=page /web/ src/Correlator/Web/", Lines);
        var publish = Assert.Single(Lines, l => l.StartsWith("RUN dotnet publish"));
        Assert.Contains("-p:PageAssetsPrebuilt=true", publish);
        var csproj = File.ReadAllText(Path.Combine(Root, "src", "Correlator", "Correlator.csproj"));
        Assert.Contains("Condition=\"'$(PageAssetsPrebuilt)' != 'true'\"", csproj);
    }

    [Fact]
    public void The_context_leaves_out_build_output_dependencies_and_history()
    {
        var ignore = File.ReadAllLines(Path.Combine(Root, ".dockerignore"));
        foreach (var entry in new[] { "**/bin/", "**/obj/", "**/node_modules/", "artifacts/", ".git/" }) Assert.Contains(entry, ignore);
    }
}
