using System.CommandLine;
using System.Text.Json;
using Correlator.Backtest;
using Correlator.Hosting;
using Microsoft.Extensions.Logging;

namespace Correlator.Cli;

public static class BacktestCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Scenario file (NDJSON, contract format)" };
        var json = CommonOptions.Json();
        var expected = new Option<FileInfo?>("--expected") { Description = "Expected outcome (contract format): adds precision, recall and time-to-detect" };
        var command = new Command("backtest", "Run a scenario through the real pipeline (Kafka → Marten → projections) and report") { file, json, expected };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists) { parse.InvocationConfiguration.Error.WriteLine($"backtest: {path.FullName} does not exist"); return ExitCodes.NotFound; }
            using var logs = CliContext.Logging();
            var log = logs.CreateLogger("backtest");
            var config = CliContext.Configuration();
            await using var infra = await Infrastructure.StartAsync(config, log, durable: false, ct: ct);
            var run = $"bt{DateTime.UtcNow:yyyyMMddHHmmss}{Random.Shared.Next(1000):000}";
            var settings = infra.AsConfiguration().Concat(
            [
                new("Store:Schema", run),
                new("Kafka:GroupId", run),
            ]);
            var expectedFile = parse.GetValue(expected);
            if (expectedFile is { Exists: false }) { parse.InvocationConfiguration.Error.WriteLine($"backtest: {expectedFile.FullName} does not exist"); return ExitCodes.NotFound; }
            BacktestReport report;
            try
            {
                report = await BacktestRun.RunAsync(path.FullName, settings, log, expectedFile?.FullName, ct: ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                Console.Error.WriteLine("backtest: interrupted");
                return ExitCodes.Interrupted;
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                Console.Error.WriteLine($"backtest: {e.Message}");
                return ExitCodes.Failure;
            }
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(report, CliJson.Options));
            else
                Console.WriteLine($"messages {report.Messages}  accepted {report.Accepted}  duplicates {report.Duplicates}  rejected {report.Rejected}  findings {report.Findings.Count}");
            return 0;
        });
        return command;
    }
}
