using System.CommandLine;
using System.Text.Json;
using Correlator.Correlation;

namespace Correlator.Cli;

/// <summary><c>correlator bench accuracy</c>: precision, recall and time-to-detect of the engine over a scenario corpus.</summary>
public static class BenchAccuracyCommand
{
    public static Command Create()
    {
        var dir = new Option<DirectoryInfo>("--dir") { Description = "Folder of NAME.ndjson + NAME.expected.json", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("tests", "scenarios")) };
        var settings = new Option<FileInfo?>("--settings") { Description = "Correlation settings (JSON) instead of the defaults" };
        var json = CommonOptions.Json();
        var command = new Command("accuracy", "Precision, recall and time-to-detect over a scenario corpus (the pure engine on each file)") { dir, settings, json };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(dir)!;
            if (!folder.Exists) { Console.Error.WriteLine($"bench accuracy: {folder.FullName} does not exist"); return 2; }
            var s = parse.GetValue(settings) is { } f ? CorrelationSettings.FromJson(File.ReadAllText(f.FullName)) : null;
            var report = Accuracy.RunDirectory(folder.FullName, s);
            if (parse.GetValue(json))
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    report.Precision, report.Recall, report.TruePositives, report.FalsePositives, report.FalseNegatives, report.BenignWithFindings,
                    MedianTimeToDetectSeconds = report.MedianTimeToDetect?.TotalSeconds,
                    Scenarios = report.Scenarios.Select(x => new { x.Name, x.Benign, x.TruePositives, x.FalsePositives, x.FalseNegatives, TimesToDetectSeconds = x.TimesToDetect.Select(t => t.TotalSeconds), EvaluationSeconds = x.Evaluation.TotalSeconds }),
                }, CliJson.Options));
            else Console.WriteLine(Accuracy.Table(report));
            return 0;
        });
        return command;
    }
}
