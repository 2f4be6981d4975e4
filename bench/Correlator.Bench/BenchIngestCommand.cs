using System.CommandLine;
using System.Text.Json;
using Correlator.Bench;
using Correlator.Hosting;
using Microsoft.Extensions.Logging;

namespace Correlator.Cli;

/// <summary><c>correlator bench ingest</c>: the end-to-end ingestion rate against a binary COPY.</summary>
public static class BenchIngestCommand
{
    public static Command Create()
    {
        var messages = new Option<int>("--messages") { Description = "How many crash reports", DefaultValueFactory = _ => 100_000 };
        var batch = new Option<int>("--batch-size") { Description = "Messages per store transaction", DefaultValueFactory = _ => 2000 };
        var refused = new Option<int>("--store-refused") { Description = "Messages, spread evenly, that the store refuses (each bisects its batch)", DefaultValueFactory = _ => 0 };
        var json = CommonOptions.Json();
        var command = new Command("ingest", "End-to-end ingestion rate (consume → validate → append → commit) against a binary COPY of equivalent rows") { messages, batch, refused, json };
        command.SetAction(async (parse, ct) =>
        {
            using var logs = CliContext.Logging();
            var log = logs.CreateLogger("bench");
            await using var infra = await Infrastructure.StartAsync(CliContext.Configuration(), log, durable: false, ct: ct);
            var r = await IngestBenchmark.RunAsync(infra, parse.GetValue(messages), parse.GetValue(batch), log, ct, parse.GetValue(refused));
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(r, CliJson.Options));
            else
            {
                Console.WriteLine($"ingest: {r.Messages} messages in {r.IngestSeconds:0.00} s = {r.IngestPerSecond:0} msg/s (batches {r.Batches} of ≤{r.BatchSize}, {r.Partitions} partitions, {r.Cores} cores)");
                Console.WriteLine($"        validate {r.ValidateSeconds:0.00} s, store {r.StoreSeconds:0.00} s ({r.StoreMillisecondsPerBatch:0} ms a batch), commit {r.CommitSeconds:0.00} s");
                Console.WriteLine($"        in the store's transactions: {string.Join(", ", r.StageSeconds.Select(s => $"{s.Key} {s.Value:0.00} s"))}");
                Console.WriteLine($"        CPU while ingesting: this process {r.ServiceCpuSeconds:0.0} s, PostgreSQL {r.PostgresCpuSeconds:0.0} s ({1e6 * (r.ServiceCpuSeconds + r.PostgresCpuSeconds) / r.Messages:0} µs a message)");
                if (r.StoreRefused > 0) Console.WriteLine($"        {r.StoreRefused} store-refused messages, {r.Isolated} isolated by bisection and dead-lettered");
                Console.WriteLine($"COPY:   {r.Messages} rows in {r.CopySeconds:0.00} s = {r.CopyPerSecond:0} rows/s");
                Console.WriteLine($"ratio:  {r.Ratio:0.00}");
                Console.WriteLine($"COPY into a table of mt_events' shape (its indexes and stream foreign key): {r.CopyIntoEventsTablePerSecond:0} rows/s, ratio {r.IngestPerSecond / r.CopyIntoEventsTablePerSecond:0.00}; without the foreign key {r.CopyIntoEventsTableWithoutForeignKeyPerSecond:0} rows/s");
                Console.WriteLine($"schema validation alone, every core: {r.ValidateOnlyPerSecond:0} msg/s, so the ratio cannot exceed {r.RatioCeiling:0.00} here");
            }
            return 0;
        });
        return command;
    }
}
