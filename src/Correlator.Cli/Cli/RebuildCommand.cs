using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Correlator.Replay;
using Microsoft.Extensions.Logging;

namespace Correlator.Cli;

public static class RebuildCommand
{
    public static Option<string> Data() => new("--data")
    {
        Description = "Embedded PostgreSQL data directory (when ConnectionStrings:Marten is not set); the demo's by default",
        DefaultValueFactory = _ => Path.Combine(".correlator", "demo-pg"),
    };

    public static Command Create()
    {
        var restart = new Option<bool>("--restart") { Description = "Start over even if an interrupted rebuild could be resumed" };
        var json = CommonOptions.Json();
        var data = Data();
        var command = new Command("rebuild", "Rebuild every projection from the event store (service stopped; sends no alerts; Ctrl-C safe, run again to resume)")
        {
            restart, json, data,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var logs = CliContext.Logging(LogLevel.Warning);
            var log = logs.CreateLogger("rebuild");
            await using var offline = await OfflineStore.OpenAsync(CliContext.Configuration(), parse.GetValue(data), log, ct);
            try
            {
                var report = await RunWithProgressAsync(new ProjectionRebuild(offline.Store, log), parse.GetValue(restart), ct);
                if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(report, CliJson.Options));
                else Console.WriteLine($"rebuilt {string.Join(", ", report.Rebuilt)}{(report.Skipped.Count > 0 ? $"; skipped (finished before): {string.Join(", ", report.Skipped)}" : "")} through sequence {report.HighWater:N0} in {report.Elapsed.TotalSeconds:N1} s");
                return 0;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("rebuild: interrupted; run `correlator rebuild` again to resume (finished projections are kept)");
                return 130;
            }
        });
        return command;
    }

    public static Task<ProjectionRebuild.Report> RunWithProgressAsync(ProjectionRebuild rebuild, bool restart, CancellationToken ct) =>
        CliConsole.Progress().StartAsync(async ctx =>
        {
            var tasks = new Dictionary<string, (Spectre.Console.ProgressTask Task, Stopwatch Clock)>();
            var progress = CliConsole.Report<RebuildProgress>(p =>
            {
                if (!tasks.TryGetValue(p.Projection, out var t))
                    tasks[p.Projection] = t = (ctx.AddTask(p.Projection, maxValue: Math.Max(1, p.Total)), Stopwatch.StartNew());
                t.Task.MaxValue = Math.Max(1, p.Total);
                t.Task.Value = p.Done;
                var state = p.State == RebuildProgress.Phase.Skipped ? "finished earlier, skipped" : CliConsole.Counts(p.Done, p.Total, "events", t.Clock.Elapsed);
                t.Task.Description = $"{p.Projection} {state}";
                if (p.State is RebuildProgress.Phase.Finished or RebuildProgress.Phase.Skipped) t.Task.StopTask();
            });
            return await rebuild.RunAsync(restart, progress, ct);
        });
}
