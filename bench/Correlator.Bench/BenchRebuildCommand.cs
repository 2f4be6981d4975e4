using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Correlator.Cli;
using Correlator.Hosting;
using Microsoft.Extensions.Logging;

namespace Correlator.Replay;

/// <summary><c>correlator bench rebuild</c>: generate a large history in a fresh schema, time a full projection rebuild.</summary>
public static class BenchRebuildCommand
{
    public static Command Create()
    {
        var events = new Option<long>("--events") { Description = "Events to generate", DefaultValueFactory = _ => 1_000_000 };
        var history = new Option<RebuildBenchmark.History>("--history")
        {
            Description = "mixed: the July 2024 scenario's events repeated over new hosts and days, 1% finding transitions; findings: finding transitions only (worst case for the findings views)",
            DefaultValueFactory = _ => RebuildBenchmark.History.Mixed,
        };
        var batch = new Option<int?>("--projection-batch-size") { Description = "Override the projections' daemon batch size (events per page)" };
        var flush = new Option<int?>("--rebuild-flush-threshold") { Description = "Override the projections' RebuildFlushThreshold (dirty aggregates kept in memory during a rebuild; 0 writes every page)" };
        var parallelism = new Option<int?>("--parallelism") { Description = "Projections rebuilt at once (default: one per two cores)" };
        var json = CommonOptions.Json();
        var command = new Command("rebuild", "Generate a history (bulk COPY) and time a full rebuild of the projections: events/s and peak RSS")
        {
            events, history, batch, flush, parallelism, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var logs = CliContext.Logging(LogLevel.Warning);
            var log = logs.CreateLogger("bench");
            var config = CliContext.Configuration();
            // A throw-away PostgreSQL (no fsync) unless one is configured; a fresh schema either way.
            await using var infra = await Infrastructure.StartAsync(config, log, dataDirectory: null, durable: false, ct: ct);
            var schema = $"bench{DateTime.UtcNow:yyyyMMddHHmmss}";
            var settings = config.AsEnumerable().Concat(infra.AsConfiguration()).Append(new("Store:Schema", schema));
            await using var app = CorrelatorHost.Build(settings, logLevel: LogLevel.Warning);
            var store = app.Services.GetRequiredService<Marten.IDocumentStore>();
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            var n = parse.GetValue(events);

            var clock = Stopwatch.StartNew();
            var result = await CliConsole.Progress().StartAsync(async ctx =>
            {
                var generate = ctx.AddTask("generate", maxValue: n);
                var rebuildTasks = new Dictionary<string, Spectre.Console.ProgressTask>();
                var rebuildClock = new Stopwatch();
                var generated = CliConsole.Report<long>(done =>
                {
                    generate.Value = done;
                    generate.Description = "generate " + CliConsole.Counts(done, n, "events", clock.Elapsed);
                });
                var rebuilt = CliConsole.Report<RebuildProgress>(p =>
                {
                    rebuildClock.Start();
                    if (!rebuildTasks.TryGetValue(p.Projection, out var task)) rebuildTasks[p.Projection] = task = ctx.AddTask(p.Projection, maxValue: Math.Max(1, p.Total));
                    task.Value = p.Done;
                    task.Description = $"rebuild {p.Projection} " + CliConsole.Counts(p.Done, p.Total, "events", rebuildClock.Elapsed);
                });
                return await RebuildBenchmark.RunAsync(store, n, parse.GetValue(history), log, parse.GetValue(batch), parse.GetValue(flush), generated, rebuilt, ct, parse.GetValue(parallelism));
            });

            Console.Error.WriteLine($"load average: {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a")} on {Environment.ProcessorCount} cores");
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(result, CliJson.Options));
            else
            {
                Console.WriteLine($"history   {result.History}: {result.Events:N0} events ({string.Join(", ", result.EventTypes.OrderByDescending(t => t.Value).Select(t => $"{t.Key} {t.Value:N0}"))}), {result.Findings:N0} findings, generated in {result.GenerateSeconds:N1} s ({result.GenerateEventsPerSecond:N0} events/s)");
                Console.WriteLine($"rebuild   {string.Join(", ", result.ProjectionSeconds.Select(p => $"{p.Key} {p.Value:N1} s"))}: {result.RebuildSeconds:N1} s, {result.RebuildEventsPerSecond:N0} events/s (target >= 100,000); reading and deserializing alone: {result.ReadOnlyEventsPerSecond:N0} events/s");
                Console.WriteLine($"CPU       service {result.RebuildServiceCpuSeconds:N1} s (JIT {result.RebuildJitSeconds:N1} s, {result.RebuildJitMethods:N0} methods), local PostgreSQL {result.RebuildPostgresCpuSeconds:N1} s, of {result.RebuildSeconds * Environment.ProcessorCount:N1} core-seconds");
                Console.WriteLine($"peak RSS  {result.PeakRssBytes / 1048576.0:N0} MiB during the rebuild (target < 1,024 MiB; {result.PeakRssBeforeBytes / 1048576.0:N0} MiB peak while generating)");
            }
            return 0;
        });
        return command;
    }
}
