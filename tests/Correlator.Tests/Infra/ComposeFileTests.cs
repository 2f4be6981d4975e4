using System.Diagnostics;
using Correlator.Tests.Support;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Correlator.Tests.Infra;

/// <summary>infra/compose.yaml: checked by <c>docker compose config</c> where the Compose plugin exists (it parses without an engine), and read here either way.</summary>
public class ComposeFileTests
{
    private static readonly string ComposeFile = Path.Combine(Corpus.Directory, "..", "..", "infra", "compose.yaml");

    [DockerComposeFact]
    public void Docker_compose_accepts_the_file()
    {
        var (code, output) = DockerComposeFactAttribute.Run($"compose -f \"{ComposeFile}\" config -q");
        Assert.True(code == 0, output);
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
        if (Run("compose version").Code != 0) Skip = "no `docker compose` on this machine (docker CLI with the Compose plugin)";
    }

    public static (int Code, string Output) Run(string arguments)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("docker", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
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
