using System.CommandLine;
using System.Diagnostics;
using Correlator.Hosting;
using Correlator.Replay;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Correlator.Cli;

public static class ExportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Scenario file to write (NDJSON, contract format)" };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Only messages known at or after this time (RFC 3339)" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Only messages known at or before this time (RFC 3339)" };
        var data = RebuildCommand.Data();
        var command = new Command("export", "Write the stored input history (accepted and refused messages) as a scenario file, in knowledge-time order") { file, from, to, data };
        command.SetAction(async (parse, ct) =>
        {
            using var logs = CliContext.Logging(LogLevel.Warning);
            await using var offline = await OfflineStore.OpenAsync(CliContext.Configuration(), parse.GetValue(data), logs.CreateLogger("export"), ct);
            var path = parse.GetValue(file)!;
            var total = await HistoryExport.CountAsync(offline.Store, ct);
            var clock = Stopwatch.StartNew();
            var report = await CliConsole.Progress().StartAsync(async ctx =>
            {
                var task = ctx.AddTask("export", maxValue: Math.Max(1, total));
                var progress = CliConsole.Report<long>(n =>
                {
                    task.Value = n;
                    task.Description = "export " + CliConsole.Counts(n, total, "lines", clock.Elapsed);
                });
                await using var output = new FileStream(path.FullName, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                var r = await HistoryExport.ExportAsync(offline.Store, output, offline.Get<IOptions<KafkaOptions>>().Value.Topics,
                    parse.GetValue(from), parse.GetValue(to), progress, ct);
                task.Value = task.MaxValue;
                return r;
            });
            Console.WriteLine($"wrote {report.Lines:N0} lines to {path.FullName}: {report.Messages:N0} messages, {report.Rejected:N0} refused" +
                (report.InexactRejected > 0 ? $" ({report.InexactRejected:N0} refused ones were not UTF-8 and are written with replacement characters)" : ""));
            return 0;
        });
        return command;
    }
}
