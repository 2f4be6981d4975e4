using System.Net.Sockets;
using Correlator.Cli;

namespace Correlator.Tests.Cli;

/// <summary>
/// Distinct exit codes through the real entry point (<see cref="CorrelatorCli.RunAsync(string[], TextWriter?, TextWriter?)"/>):
/// a typo 64, an unknown id 66, no service 69, a refused key 77; each with one line on stderr.
/// </summary>
public sealed class ExitCodeTests
{
    private static async Task<(int Code, string Err)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CorrelatorCli.RunAsync(args, output, error);
        return (code, error.ToString());
    }

    private static string OneLine(string err)
    {
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, err);
        Assert.DoesNotContain("   at ", err);
        return lines[0];
    }

    private static readonly Dictionary<string, (int, string)> Refusals = new()
    {
        ["/api/findings"] = (401, """{"title":"Unauthorized","status":401,"detail":"A valid X-Api-Key header is required."}"""),
        ["/api/updates/u"] = (403, """{"title":"Forbidden","status":403,"detail":"This key may not read."}"""),
    };

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("suspects", "--no-such-option")]
    [InlineData("explain")]
    public async Task A_usage_error_exits_64_with_one_line_pointing_at_help(params string[] args)
    {
        var (code, err) = await Run(args);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--help", OneLine(err));
    }

    [Fact]
    public async Task An_unknown_id_exits_66()
    {
        await using var api = await CannedApi.StartAsync(new Dictionary<string, (int, string)>());
        foreach (var (command, what) in new[] { ("explain", "finding"), ("update", "update"), ("host", "host") })
        {
            var (code, err) = await Run(command, "nothing-1", "--url", api.Url);
            Assert.Equal(ExitCodes.NotFound, code);
            Assert.Equal($"{command}: no {what} 'nothing-1'", OneLine(err));
        }
    }

    [Fact]
    public async Task No_service_at_the_url_exits_69()
    {
        // A port that was free a moment ago: nothing listens there.
        var probe = new TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var (code, err) = await Run("suspects", "--url", $"http://127.0.0.1:{port}");
        Assert.Equal(ExitCodes.Unavailable, code);
        Assert.StartsWith($"suspects: no Correlator answers at http://127.0.0.1:{port}/", OneLine(err));
    }

    [Fact]
    public async Task A_refused_key_exits_77()
    {
        await using var api = await CannedApi.StartAsync(Refusals);

        var (code, err) = await Run("suspects", "--url", api.Url);
        Assert.Equal(ExitCodes.NotAuthorized, code);
        Assert.Contains("401 Unauthorized", OneLine(err));

        var (forbidden, forbiddenErr) = await Run("update", "u", "--url", api.Url);
        Assert.Equal(ExitCodes.NotAuthorized, forbidden);
        Assert.Contains("403 Forbidden", OneLine(forbiddenErr));
    }

    [Fact]
    public async Task A_missing_input_file_exits_66_and_a_malformed_settings_file_65()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"never-{Guid.NewGuid():N}.ndjson");
        var (code, err) = await Run("backtest", missing);
        Assert.Equal(ExitCodes.NotFound, code);
        Assert.Contains("does not exist", OneLine(err));

        Assert.Equal(ExitCodes.BadInput, CommandErrors.ExitCode(new System.Text.Json.JsonException("bad")));
        Assert.Equal(ExitCodes.BadInput, CommandErrors.ExitCode(new InvalidDataException("bad")));
        Assert.Equal(ExitCodes.Configuration, CommandErrors.ExitCode(new ConfigurationProblem("ConnectionStrings:Marten is not configured")));
        Assert.Equal(ExitCodes.Interrupted, CommandErrors.ExitCode(new OperationCanceledException()));
    }
}
