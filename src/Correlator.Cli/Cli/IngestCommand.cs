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
        var command = new Command("ingest", "Produce a scenario file to the configured Kafka (Kafka:BootstrapServers)") { file };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists) { Console.Error.WriteLine($"ingest: {path.FullName} does not exist"); return 2; }
            var config = CliContext.Configuration();
            var kafka = config.GetSection(KafkaOptions.Section).Get<KafkaOptions>() ?? new KafkaOptions();
            if (string.IsNullOrWhiteSpace(kafka.BootstrapServers))
            {
                // An embedded broker lives only as long as this process: there is nobody to read what we would produce.
                Console.Error.WriteLine("ingest: Kafka:BootstrapServers (env Kafka__BootstrapServers) is not set. " +
                                        "Point it at a running broker (e.g. the one `./correlator demo` prints), or use `./correlator backtest FILE` for a self-contained run.");
                return 2;
            }
            using var logs = CliContext.Logging();
            var log = logs.CreateLogger("ingest");
            var result = await new ScenarioProducer(kafka)
                .ProduceAsync(path.FullName, new Progress<int>(n => log.LogInformation("{Count} messages produced", n)), ct);
            Console.WriteLine($"{result.Messages} messages produced to {kafka.BootstrapServers}");
            return 0;
        });
        return command;
    }
}
