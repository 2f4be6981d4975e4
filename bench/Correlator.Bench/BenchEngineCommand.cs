using System.CommandLine;
using System.Text.Json;
using Correlator.Bench;
using Correlator.Correlation;
using Correlator.Hosting;
using Correlator.Replay;

namespace Correlator.Cli;

/// <summary><c>correlator bench engine</c>: the correlation engine at fleet scale on a generated continuous history.</summary>
public static class BenchEngineCommand
{
    public static Command Create()
    {
        var hosts = new Option<int>("--hosts") { Description = "Fleet size", DefaultValueFactory = _ => 10_000 };
        var days = new Option<int>("--days") { Description = "Days of history (the burst is on the last one)", DefaultValueFactory = _ => 14 };
        var full = new Option<bool>("--unwindowed") { Description = "Keep every fact in memory (the engine before windowing), for comparison" };
        var json = CommonOptions.Json();
        var command = new Command("engine", "The correlation engine on a generated fleet history: facts/s, RSS per day, burst detection delay and lag")
        {
            hosts, days, full, json,
        };
        command.SetAction((parse, ct) =>
        {
            var history = new FleetHistory(parse.GetValue(hosts), parse.GetValue(days));
            var r = EngineBenchmark.Run(history, CorrelationSettings.Default, !parse.GetValue(full),
                CliConsole.Report<(int Day, long Facts)>(p => Console.Error.WriteLine($"day {p.Day}: {p.Facts:N0} facts")));
            if (parse.GetValue(json)) { Console.WriteLine(JsonSerializer.Serialize(r, CliJson.Options)); return Task.FromResult(0); }
            Console.WriteLine($"engine  {r.Hosts:N0} hosts × {r.Days} days: {r.Facts:N0} facts in {r.Seconds:N1} s = {r.FactsPerSecond:N0} facts/s " +
                              $"(ingest rate {r.IngestPerSecond:N1}/s average, {r.PeakIngestPerSecond:N1}/s in the burst's peak minute); " +
                              $"{(r.Windowed ? "windowed" : "unwindowed")}, {r.Evicted:N0} crash times/observations evicted, {r.LateFacts:N0} late facts");
            Console.WriteLine($"burst   third failure known {r.ThirdFailureAt:u}, detected {r.DetectedAt:u} ({r.DetectionLagSeconds:N0} s of event time), " +
                              $"{r.WallLagSeconds:N2} s wall-clock after its page was fed; {r.Findings} findings");
            if (r.Restart is { } x)
                Console.WriteLine($"restart checkpoint at {x.CheckpointAt:u}: {x.CheckpointBytes / 1048576.0:N1} MiB written in {x.WriteSeconds:N2} s; " +
                                  $"caught up {x.CaughtUpSeconds:N2} s after start (read {x.ReadSeconds:N2} s + {x.FactsReplayed:N0} facts of the next hour " +
                                  $"in {x.ReplaySeconds:N2} s) against {x.FullReplaySeconds:N1} s for a full replay; " +
                                  (x.SameFindings ? "same findings" : "FINDINGS DIFFER"));
            Console.WriteLine("| day | facts | facts/s | RSS MiB | heap MiB | facts held | bytes/fact held |");
            Console.WriteLine("|----:|------:|--------:|--------:|---------:|-----------:|----------------:|");
            foreach (var d in r.Curve)
                Console.WriteLine($"| {d.Index} | {d.Facts:N0} | {d.FactsPerSecond:N0} | {d.RssBytes / 1048576.0:N0} | {d.HeapBytes / 1048576.0:N0} | {d.FactsHeld:N0} | {(d.FactsHeld == 0 ? 0 : d.HeapBytes / d.FactsHeld):N0} |");
            Console.Error.WriteLine($"load average: {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a")} on {Environment.ProcessorCount} cores");
            return Task.FromResult(0);
        });
        return command;
    }
}
