using System.Diagnostics;
using Correlator.Tests.Support;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Correlator.Tests.Infra;

/// <summary>
/// infra/compose.yaml: checked by Compose v1 (<c>docker-compose config</c>, which .ci/run installs), against the Compose
/// Specification's schema that Compose v2 validates with (everywhere), and by Compose v2 itself (<c>docker compose
/// config</c>, where the plugin exists); all parse without an engine. And read here either way.
/// </summary>
public class ComposeFileTests
{
    private static readonly string Infra = Path.Combine(Corpus.Directory, "..", "..", "infra");
    private static readonly string ComposeFile = Path.Combine(Infra, "compose.yaml");

    [Fact]
    public void Docker_compose_v1_accepts_the_file()
    {
        var (code, output) = DockerComposeFactAttribute.Run("docker-compose", $"-f \"{ComposeFile}\" config -q");
        Assert.True(code == 0, code == -1 ? $"docker-compose (v1, Debian package docker-compose 1.29.x, installed by .ci/run) did not run: {output}" : output);
    }

    /// <summary>
    /// What Compose v2 checks first, wherever its plugin is missing (here and in CI): the file against the Compose
    /// Specification's JSON schema (tools/compose, pinned). The checker names what is wrong in a bad file.
    /// </summary>
    [Fact]
    public void The_file_is_valid_under_the_compose_specification_schema_that_compose_v2_validates_against()
    {
        var (code, output) = CheckCompose(ComposeFile);
        Assert.True(code == 0, output);
        Assert.Equal("valid", output.Trim());

        var bad = Path.Combine(Path.GetTempPath(), $"compose-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(bad, "services:\n  a:\n    image: postgres:15\n    depend_on: [b]\n    healthcheck: { interval: five seconds }\n");
        try
        {
            var (badCode, problems) = CheckCompose(bad);
            Assert.Equal(1, badCode);
            Assert.Contains("/services/a: must NOT have additional properties (depend_on)", problems);
            Assert.Contains("/services/a/healthcheck/interval: must match format \"duration\"", problems);
        }
        finally
        {
            File.Delete(bad);
        }
    }

    private static (int Code, string Output) CheckCompose(string file)
    {
        var tools = Path.GetFullPath(Path.Combine(Infra, "..", "tools", "compose"));
        var (code, output) = DockerComposeFactAttribute.Run("node", $"\"{Path.Combine(tools, "check-compose.js")}\" \"{file}\"");
        Assert.True(code != -1, $"node did not run (the build restores tools/compose with npm): {output}");
        return (code, output);
    }

    [DockerComposeFact]
    public void Docker_compose_v2_accepts_the_file_and_names_the_project_from_infra_env()
    {
        var (code, output) = DockerComposeFactAttribute.Run("docker", $"compose -f \"{ComposeFile}\" config");
        Assert.True(code == 0, output);
        Assert.Contains("name: correlator", output);
    }

    [Fact]
    public void The_project_name_is_in_infra_env_not_a_top_level_name()
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(ComposeFile)) yaml.Load(new MergingParser(new Parser(reader)));
        Assert.False(((YamlMappingNode)yaml.Documents[0].RootNode).Children.ContainsKey("name"), "Compose v1 rejects a top-level name:");
        Assert.Contains("COMPOSE_PROJECT_NAME=correlator", File.ReadAllLines(Path.Combine(Infra, ".env")));
    }

    [Fact]
    public void Two_service_nodes_share_one_configuration_and_run_the_daemon_HotCold()
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(ComposeFile)) yaml.Load(new MergingParser(new Parser(reader)));
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
        var nodes = services.Children
            .Where(s => ((YamlMappingNode)s.Value).Children.ContainsKey("build")) // built from infra/Dockerfile: the service
            .ToDictionary(s => s.Key.ToString(), s => (YamlMappingNode)s.Value);
        Assert.Equal(2, nodes.Count);
        var environments = nodes.Values.Select(n => ((YamlMappingNode)n["environment"]).Children.ToDictionary(e => e.Key.ToString(), e => e.Value.ToString())).ToList();
        Assert.Equal(environments[0], environments[1]);
        Assert.Equal("HotCold", environments[0]["Store__Daemon"]);
        Assert.Equal("correlator", environments[0]["Kafka__GroupId"]);
        Assert.Contains("Host=postgres", environments[0]["ConnectionStrings__Marten"]);
        var ports = nodes.Values.Select(n => ((YamlSequenceNode)n["ports"]).Children[0].ToString().Split(':')[0]).ToList();
        Assert.Equal(ports.Count, ports.Distinct().Count());
    }
}

/// <summary>Skips (with the reason) where the docker CLI or its Compose plugin is missing.</summary>
public sealed class DockerComposeFactAttribute : FactAttribute
{
    public DockerComposeFactAttribute()
    {
        if (Run("docker", "compose version").Code != 0) Skip = "no `docker compose` on this machine (docker CLI with the Compose plugin)";
    }

    public static (int Code, string Output) Run(string program, string arguments)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = p.StandardOutput.ReadToEndAsync();
            var error = p.StandardError.ReadToEnd();
            if (!p.WaitForExit(30_000)) { p.Kill(); return (-1, "timed out"); }
            return (p.ExitCode, output.Result + error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
