using System.CommandLine;
using Correlator.Hosting;
using Microsoft.Extensions.Logging;

namespace Correlator.Cli;

public static class DemoCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "PostgreSQL data directory kept between runs (embedded mode)", DefaultValueFactory = _ => Path.Combine(".correlator", "demo-pg") };
        var noServe = new Option<bool>("--no-serve") { Description = "Start everything, print the addresses and exit" };
        var command = new Command("demo", "Run Correlator on embedded PostgreSQL and an embedded Kafka-protocol broker") { data, noServe };
        command.SetAction(async (parse, ct) =>
        {
            using var logs = CliContext.Logging();
            var log = logs.CreateLogger("demo");
            var config = CliContext.Configuration();
            await using var infra = await Infrastructure.StartAsync(config, log, parse.GetValue(data), durable: true, ct);
            var kafka = config.GetSection(KafkaOptions.Section).Get<KafkaOptions>() ?? new KafkaOptions();
            Console.WriteLine($"PostgreSQL: {Redact(infra.ConnectionString)}");
            Console.WriteLine($"Kafka:      {infra.BootstrapServers}");
            Console.WriteLine($"Topics:     {string.Join(", ", kafka.Topics.All)}");
            if (parse.GetValue(noServe)) return 0;
            Console.WriteLine("Running; Ctrl-C to stop.");
            try { await Task.Delay(Timeout.Infinite, ct); } catch (OperationCanceledException) { }
            return 0;
        });
        return command;
    }

    private static string Redact(string cs) =>
        string.Join(';', cs.Split(';').Where(p => !p.StartsWith("Password", StringComparison.OrdinalIgnoreCase)));
}
