using System.Diagnostics;
using System.Text.Json;
using Correlator.Tests.Support;

namespace Correlator.Tests.Hosting;

/// <summary>
/// `correlator serve` in its own process, as an operator runs it: console lines are dated in UTC by default, and
/// `--log-format json` or the setting Logging:Console:FormatterName=json make every line a JSON object.
/// </summary>
[Collection(IntegrationCollection.Name)]
public class LogFormatTests
{
    [Theory]
    [InlineData("option")]
    [InlineData("setting")]
    public async Task Json_logs_are_one_json_object_per_line(string how)
    {
        var lines = await ServeUntilListeningAsync(how == "option" ? ["--log-format", "json"] : [],
            how == "setting" ? new() { ["Logging__Console__FormatterName"] = "json" } : []);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var entry = JsonDocument.Parse(line);
            Assert.True(entry.RootElement.TryGetProperty("Timestamp", out var timestamp), line);
            Assert.EndsWith("Z", timestamp.GetString());
            Assert.True(entry.RootElement.TryGetProperty("LogLevel", out _), line);
        }
        Assert.Contains(lines, l => l.Contains("Correlator on"));
    }

    [Fact]
    public async Task Simple_logs_start_with_a_utc_iso_timestamp()
    {
        var lines = await ServeUntilListeningAsync([], []);
        Assert.NotEmpty(lines);
        foreach (var line in lines) Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (info|warn|fail|crit|dbug|trce): ", line);
    }

    [Fact]
    public async Task An_unknown_log_format_is_a_usage_error()
    {
        var error = new StringWriter();
        Assert.Equal(Correlator.Cli.ExitCodes.Usage, await Correlator.Cli.CorrelatorCli.RunAsync(["suspects", "--log-format", "xml"], new StringWriter(), error));
        Assert.Contains("'xml'", error.ToString());
    }

    [Fact]
    public void An_unknown_formatter_in_configuration_is_a_configuration_error()
    {
        var e = Assert.Throws<Correlator.Cli.ConfigurationProblem>(() => Correlator.Cli.CliContext.FormatOf("xml"));
        Assert.Contains("Logging:Console:FormatterName", e.Message);
        Assert.Equal(Correlator.Cli.ExitCodes.Configuration, Correlator.Cli.CommandErrors.ExitCode(e));
        Assert.Equal("json", Correlator.Cli.CliContext.FormatOf(" JSON "));
        Assert.Equal("simple", Correlator.Cli.CliContext.FormatOf(null));
    }

    /// <summary>The service's stderr lines until it says where it listens, then it is stopped.</summary>
    private static async Task<List<string>> ServeUntilListeningAsync(string[] extraArgs, Dictionary<string, string> env)
    {
        var scope = (await TestServices.Instance).NewScope();
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "correlator.dll"), "serve", "--urls", "http://127.0.0.1:0" }.Concat(extraArgs))
            psi.ArgumentList.Add(a);
        foreach (var (key, value) in scope.Configuration()) psi.Environment[key.Replace(":", "__")] = value;
        foreach (var (key, value) in env) psi.Environment[key] = value;
        var lines = new List<string>();
        var listening = new TaskCompletionSource();
        using var process = new Process { StartInfo = psi };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) { listening.TrySetResult(); return; }
            lock (lines) lines.Add(e.Data);
            if (e.Data.Contains("Correlator on")) listening.TrySetResult();
        };
        process.OutputDataReceived += (_, _) => { };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        lock (lines) return [.. lines];
    }
}
