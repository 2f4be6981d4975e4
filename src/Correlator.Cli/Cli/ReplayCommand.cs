using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Correlator.Correlation;
using Correlator.Replay;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Correlator.Cli;

public static class ReplayCommand
{
    public static Command Create()
    {
        var from = new Option<DateTimeOffset>("--from") { Description = "Start of the window (RFC 3339)", Required = true };
        var to = new Option<DateTimeOffset>("--to") { Description = "End of the window (RFC 3339)", Required = true };
        var settingsFile = new Option<FileInfo?>("--settings") { Description = "Correlation settings JSON (CorrelationSettings); the service's own when absent" };
        var json = CommonOptions.Json();
        var data = RebuildCommand.Data();
        var command = new Command("replay", "Re-evaluate stored history with other correlation settings, apart from the live findings, and show how the findings differ")
        {
            from, to, settingsFile, json, data,
        };
        command.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(settingsFile);
            if (file is { Exists: false }) { Console.Error.WriteLine($"replay: {file.FullName} does not exist"); return ExitCodes.NotFound; }
            using var logs = CliContext.Logging(LogLevel.Warning);
            var config = CliContext.Configuration();
            await using var offline = await OfflineStore.OpenAsync(config, parse.GetValue(data), logs.CreateLogger("replay"), ct);
            var settings = file is null ? offline.Get<CorrelationSettings>() : CorrelationSettings.FromJson(await File.ReadAllTextAsync(file.FullName, ct));
            await using var replays = HistoryReplay.OpenStore(offline.ConnectionString, offline.Store.Options.DatabaseSchemaName);
            var clock = Stopwatch.StartNew();
            var run = await CliConsole.Progress().Columns(new TaskDescriptionColumn(), new ElapsedTimeColumn(), new SpinnerColumn()).StartAsync(async ctx =>
            {
                var task = ctx.AddTask("reading facts");
                task.IsIndeterminate = true;
                var progress = CliConsole.Report<long>(n => task.Description = $"read {n:N0} facts {(clock.Elapsed.TotalSeconds > 0 ? n / clock.Elapsed.TotalSeconds : 0):N0}/s");
                var r = await HistoryReplay.RunAsync(offline.Store, replays, settings, parse.GetValue(from), parse.GetValue(to), progress, ct);
                task.Description = $"read {r.FactsRead:N0} facts, replayed {r.FactsUsed:N0}";
                task.StopTask();
                return r;
            });
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(run, CliJson.Options));
            else Print(run, HistoryReplay.SchemaFor(offline.Store.Options.DatabaseSchemaName));
            return 0;
        });
        return command;
    }

    private static void Print(ReplayRun run, string schema)
    {
        var console = AnsiConsole.Console;
        console.MarkupLineInterpolated($"replay {run.Id} ({schema}): {run.From:u} to {run.To:u}, {run.Findings.Count} findings replayed, {run.Differences.Count} differ from live, {run.Unchanged} unchanged");
        if (run.Differences.Count == 0) return;
        var table = new Table().AddColumns("change", "update", "live", "replay", "detection", "confidence");
        foreach (var d in run.Differences)
            table.AddRow(
                Markup.Escape(string.Join(", ", d.Changes)),
                Markup.Escape(d.UpdateId),
                Markup.Escape(Side(d.Live)),
                Markup.Escape(Side(d.Replay)),
                d.DetectionShift is { } s && s != TimeSpan.Zero ? (s < TimeSpan.Zero ? "-" : "+") + s.Duration().ToString(@"d\.hh\:mm\:ss") : "",
                d.ConfidenceDelta is { } c && Math.Abs(c) >= 1e-6 ? c.ToString("+0.0000;-0.0000") : "");
        console.Write(table);
    }

    private static string Side(FindingDiff.Side? s) => s is null ? "-" : $"{s.FindingId} {s.Status} {s.Confidence:0.0000} @ {s.DetectedAt:yyyy-MM-dd HH:mm:ss}";
}
