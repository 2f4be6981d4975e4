using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Correlator.Cli;
using Correlator.Scenarios;
using Correlator.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace Correlator.Tests.Cli;

/// <summary>How the commands fail: one line on stderr, a non-zero exit, the stack trace only with --verbose.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class CommandErrorTests
{
    private static async Task<(int Code, string Err)> Run(RootCommand root, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CorrelatorCli.RunAsync(root, args, output, error);
        return (code, error.ToString());
    }

    /// <summary>A port another process holds: a real listening socket on loopback.</summary>
    private static TcpListener Occupy(out string url)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        return listener;
    }

    private static string OneLine(string err)
    {
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, err);
        Assert.DoesNotContain("   at ", err);
        Assert.DoesNotContain("Unhandled exception", err);
        return lines[0];
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("demo")]
    public async Task A_busy_port_is_named_with_the_way_out_and_nothing_starts(string command)
    {
        using var busy = Occupy(out var url);
        var (code, err) = await Run(CorrelatorCli.Create(), command, "--urls", url, "--data", Path.Combine(Path.GetTempPath(), $"never-{Guid.NewGuid():N}"));

        Assert.Equal(1, code);
        var line = OneLine(err);
        Assert.StartsWith($"correlator {command}: {url} is already in use (port {new Uri(url).Port})", line);
        Assert.Contains("--urls", line);
    }

    [Fact]
    public async Task Demo_no_serve_binds_nothing_so_a_busy_port_does_not_stop_it()
    {
        var services = await TestServices.Instance;
        var dir = Path.Combine(Path.GetTempPath(), $"correlator-demo-test-{Guid.NewGuid():N}");
        var tiny = ScenarioCatalog.Generate("tiny-fleet");
        await ScenarioWriter.WriteAsync(tiny, dir);
        using var busy = Occupy(out var url);
        // PostgreSQL is the tests' one; the broker is the demo's own embedded one, as on a first run.
        var config = () => (IConfiguration)new ConfigurationBuilder()
            .AddInMemoryCollection([new("ConnectionStrings:Marten", services.ConnectionString)]).Build();
        var root = new RootCommand { CorrelatorCli.Verbose, DemoCommand.Create(config) };
        try
        {
            var (code, err) = await Run(root, "demo", "--no-serve", "--urls", url, "--scenario", Path.Combine(dir, tiny.Name + ".ndjson"));
            Assert.True(code == 0, err);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Serve_with_a_bad_webhook_configuration_names_it_in_one_line_and_starts_nothing()
    {
        var settings = (await TestServices.Instance).NewScope().Configuration();
        settings["Alerts:Webhooks:0:Name"] = "ops";
        settings["Alerts:Webhooks:0:Url"] = "/hooks/ce";
        var config = () => (IConfiguration)new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var root = new RootCommand { CorrelatorCli.Verbose, ServeCommand.Create(config) };

        var (code, err) = await Run(root, "serve", "--urls", "http://127.0.0.1:0");

        Assert.Equal(ExitCodes.Configuration, code);
        var line = OneLine(err);
        Assert.StartsWith("correlator serve: ", line);
        Assert.Contains("Alerts:Webhooks:0 (ops): Url must be an absolute http(s) URL", line);
    }

    [Fact]
    public async Task A_failing_command_says_one_line_and_verbose_adds_the_stack_trace()
    {
        var failing = new Command("backtest");
        failing.SetAction((Func<ParseResult, CancellationToken, Task<int>>)((_, _) => throw new InvalidOperationException(
            "the broker delivered 10 of 12 messages to the consumers: it dropped some before they were read.\nsecond line")));
        var root = new RootCommand { CorrelatorCli.Verbose, failing };

        var (code, err) = await Run(root, "backtest");
        Assert.Equal(1, code);
        Assert.Equal("correlator backtest: the broker delivered 10 of 12 messages to the consumers: it dropped some before they were read.", OneLine(err));

        var (verboseCode, verbose) = await Run(root, "backtest", "--verbose");
        Assert.Equal(1, verboseCode);
        Assert.Contains("System.InvalidOperationException", verbose);
        Assert.Contains("   at ", verbose);
    }
}
