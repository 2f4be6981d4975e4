using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Correlator.Rollouts;

namespace Correlator.Cli;

/// <summary><c>correlator bench gate</c>: the rollout gate replayed over a scenario corpus (stop wave, hosts spared, false stops).</summary>
public static class BenchGateCommand
{
    public static Command Create()
    {
        var dir = new Option<DirectoryInfo>("--dir") { Description = "Folder of NAME.ndjson + NAME.expected.json", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("tests", "scenarios")) };
        var testOnly = new Option<bool>("--test-only") { Description = "Ignore findings and recalls: what the rate test alone would have stopped" };
        var strata = new Option<string?>("--strata") { Description = "What the test holds equal, comma separated: platform, fleet, region (default all three)" };
        var json = CommonOptions.Json();
        var command = new Command("gate", "The rollout gate before each wave of every corpus scenario: where it stops culprits, how many hosts that spares, false stops") { dir, testOnly, strata, json };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(dir)!;
            if (!folder.Exists) { Console.Error.WriteLine($"bench gate: {folder.FullName} does not exist"); return ExitCodes.NotFound; }
            var watch = Stopwatch.StartNew();
            var settings = GateSettings.Default;
            if (parse.GetValue(testOnly)) settings = settings with { StopOnFindings = false, StopOnRecall = false };
            if (parse.GetValue(strata) is { } s) settings = settings with { Strata = s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
            var report = GateBacktest.RunDirectory(folder.FullName, settings);
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(report, CliJson.Options));
            else
            {
                Console.Write(GateBacktest.Table(report));
                Console.WriteLine($"{watch.Elapsed.TotalSeconds:0.0} s");
            }
            return 0;
        });
        return command;
    }
}
