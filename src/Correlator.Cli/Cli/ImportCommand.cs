using System.CommandLine;
using System.Diagnostics;
using Correlator.Hosting;
using Correlator.Ingestion;
using Correlator.Replay;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Correlator.Cli;

public static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Scenario file (an export, or any scenario)" };
        var data = RebuildCommand.Data();
        var command = new Command("import", "Append a scenario file to the event store through the ingestion writer (idempotent; findings follow when the service runs)") { file, data };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists) { Console.Error.WriteLine($"import: {path.FullName} does not exist"); return ExitCodes.NotFound; }
            using var logs = CliContext.Logging(LogLevel.Warning);
            await using var offline = await OfflineStore.OpenAsync(CliContext.Configuration(), parse.GetValue(data), logs.CreateLogger("import"), ct);
            var import = new HistoryImport(offline.Store, offline.Get<MessageValidator>(), offline.Get<IOptions<IngestionOptions>>().Value,
                offline.Get<IOptions<KafkaOptions>>().Value.Topics, TimeProvider.System);
            long total = 0;
            foreach (var line in File.ReadLines(path.FullName)) if (!string.IsNullOrWhiteSpace(line)) total++;
            var clock = Stopwatch.StartNew();
            var report = await CliConsole.Progress().StartAsync(async ctx =>
            {
                var task = ctx.AddTask("import", maxValue: Math.Max(1, total));
                var progress = CliConsole.Report<long>(n =>
                {
                    task.Value = n;
                    task.Description = "import " + CliConsole.Counts(n, total, "lines", clock.Elapsed);
                });
                return await import.ImportAsync(path.FullName, progress, ct);
            });
            Console.WriteLine($"read {report.Lines:N0} lines: {report.Accepted:N0} accepted, {report.Duplicates:N0} already stored, {report.Rejected:N0} refused; watermark {report.Watermark:u}");
            return 0;
        });
        return command;
    }
}
