using System.CommandLine;
using Correlator.Hosting;
using Correlator.Scenarios;
using Microsoft.Extensions.Logging;

namespace Correlator.Cli;

public static class IngestCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Scenario file (NDJSON: value or rawValue lines)" };
        var group = new Option<string?>("--group") { Description = "Produce no faster than this consumer group commits (default: Kafka:GroupId)" };
        var noWait = new Option<bool>("--no-wait") { Description = "Produce as fast as the broker takes it, without waiting for a consumer group" };
        var command = new Command("ingest", "Produce a scenario file to the configured Kafka (Kafka:BootstrapServers), paced by the consumer group") { file, group, noWait };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists) { Console.Error.WriteLine($"ingest: {path.FullName} does not exist"); return ExitCodes.NotFound; }
            var config = CliContext.Configuration();
            var kafka = config.GetSection(KafkaOptions.Section).Get<KafkaOptions>() ?? new KafkaOptions();
            if (string.IsNullOrWhiteSpace(kafka.BootstrapServers))
            {
                // An embedded broker lives only as long as this process: there is nobody to read what we would produce.
                Console.Error.WriteLine("ingest: Kafka:BootstrapServers (env Kafka__BootstrapServers) is not set. " +
                                        "Point it at a running broker (e.g. the one `./correlator demo` prints), or use `./correlator backtest FILE` for a self-contained run.");
                return ExitCodes.Configuration;
            }
            using var logs = CliContext.Logging();
            var log = logs.CreateLogger("ingest");
            // Paced by default: the embedded broker (`demo`) keeps only ~5 MB per partition and drops older messages, read or not.
            using var pace = parse.GetValue(noWait) ? null : new ConsumerPace(kafka.BootstrapServers, parse.GetValue(group) ?? kafka.GroupId, kafka.Client);
            var result = await new ScenarioProducer(kafka, pace)
                .ProduceAsync(path.FullName, new Progress<int>(n => log.LogInformation("{Count} messages produced", n)), ct,
                    waiting: w => Console.Error.WriteLine($"ingest: {w} (--group names the consuming group, --no-wait stops waiting)"));
            Console.WriteLine($"{result.Messages} messages produced to {kafka.BootstrapServers}");
            return 0;
        });
        return command;
    }
}
