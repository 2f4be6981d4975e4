using System.CommandLine;
using System.Text.Json;
using Correlator.Backtest;
using Correlator.Correlation;
using Microsoft.Extensions.Logging;

namespace Correlator.Cli;

/// <summary>
/// <c>correlator bench accuracy</c>: precision, recall, time-to-detect and calibration of the engine, per suite: the
/// corpus, the randomized tuning and held-out sets, the reconstructed incidents (see <see cref="AccuracySuites"/>).
/// </summary>
public static class BenchAccuracyCommand
{
    public static Command Create()
    {
        var dir = new Option<DirectoryInfo>("--dir") { Description = "Corpus folder of NAME.ndjson + NAME.expected.json (incidents in its incidents/ subfolder)", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("tests", "scenarios")) };
        var suite = new Option<string>("--suite") { Description = "corpus | tuning | heldout | incidents | all", DefaultValueFactory = _ => AccuracySuites.Corpus };
        suite.AcceptOnlyFromAmong([.. AccuracySuites.Names, "all"]);
        var limit = new Option<int?>("--limit") { Description = "Only the first N seeds of a randomized set" };
        var parallel = new Option<int>("--parallel") { Description = "Scenarios of a randomized set evaluated at once", DefaultValueFactory = _ => 1 };
        var pipeline = new Option<bool>("--pipeline") { Description = "Run the incidents through the real pipeline (Kafka, Marten, projections) instead of the pure engine" };
        var all = new Option<bool>("--all-scenarios") { Description = "List every scenario of a randomized set, not only those with a false positive or negative" };
        var write = new Option<DirectoryInfo?>("--write") { Description = "Also write the randomized set's scenarios (NAME.ndjson + NAME.expected.json, and a README.md of their mechanics) to this folder, to inspect or backtest them" };
        var settings = new Option<FileInfo?>("--settings") { Description = "Correlation settings (JSON) instead of the defaults" };
        var json = CommonOptions.Json();
        var command = new Command("accuracy", "Precision, recall, time-to-detect and calibration over the corpus, the randomized tuning and held-out sets and the reconstructed incidents")
            { dir, suite, limit, parallel, pipeline, all, write, settings, json };
        command.SetAction(async (parse, ct) =>
        {
            var folder = parse.GetValue(dir)!;
            if (!folder.Exists) { Console.Error.WriteLine($"bench accuracy: {folder.FullName} does not exist"); return ExitCodes.NotFound; }
            var chosen = parse.GetValue(suite)!;
            var suites = chosen == "all" ? AccuracySuites.Names : [chosen];
            try
            {
                var s = parse.GetValue(settings) is { } f ? CorrelationSettings.FromJson(File.ReadAllText(f.FullName)) : null;
                var results = new List<AccuracySuiteResult>();
                if (parse.GetValue(write) is { } target)
                {
                    var written = new List<Scenarios.Scenario>();
                    foreach (var name in suites.Where(n => n is AccuracySuites.Tuning or AccuracySuites.HeldOut))
                        foreach (var seed in (name == AccuracySuites.Tuning ? Scenarios.RandomizedSeeds.Tuning : Scenarios.RandomizedSeeds.HeldOut).Take(parse.GetValue(limit) ?? int.MaxValue))
                        {
                            var scenario = Scenarios.RandomizedScenarios.Generate(seed);
                            await Scenarios.ScenarioWriter.WriteAsync(scenario, target.FullName, ct);
                            written.Add(scenario);
                        }
                    // What each scenario's mechanics are (kind, rollout, onset, manifest gaps), to read beside a miss.
                    if (written.Count > 0) await Scenarios.ScenarioWriter.WriteReadmeAsync(written, target.FullName, ct);
                }
                foreach (var name in suites)
                {
                    AccuracySuiteResult result;
                    if (name == AccuracySuites.Incidents && parse.GetValue(pipeline))
                    {
                        using var logs = CliContext.Logging();
                        var report = await PipelineAccuracy.RunDirectoryAsync(AccuracySuites.IncidentsDirectory(folder.FullName), CliContext.Configuration(), logs.CreateLogger("bench"), ct);
                        result = new AccuracySuiteResult(name + " (pipeline)", report, null);
                    }
                    else result = AccuracySuites.Run(name, folder.FullName, s, parse.GetValue(limit), parse.GetValue(parallel));
                    results.Add(result);
                    if (!parse.GetValue(json))
                    {
                        Console.WriteLine($"== {result.Suite}");
                        var randomized = name is AccuracySuites.Tuning or AccuracySuites.HeldOut;
                        Console.WriteLine(Accuracy.Table(result.Report, onlyMisses: randomized && !parse.GetValue(all)));
                        if (result.Calibration is { } c) Console.WriteLine(c.Table());
                    }
                }
                if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(results.Select(Json), CliJson.Options));
                return 0;
            }
            catch (InvalidDataException e)
            {
                Console.Error.WriteLine($"bench accuracy: {e.Message}");
                return ExitCodes.BadInput;
            }
        });
        return command;
    }

    private static object Json(AccuracySuiteResult r)
    {
        var report = r.Report;
        var (bursts, slow) = report.BurstDetections;
        return new
        {
            r.Suite,
            report.Totals,
            WorstMinutesToDetectBursts = report.WorstBurstTimeToDetect?.TotalMinutes,
            BurstsDetected = bursts,
            BurstsDetectedAfterTenMinutes = slow,
            MedianTimeToDetectSeconds = report.MedianTimeToDetect?.TotalSeconds,
            r.Calibration,
            Scenarios = report.Scenarios.Select(x => new
            {
                x.Name, x.Benign, x.TruePositives, x.FalsePositives, x.FalseNegatives,
                TimesToDetectSeconds = x.TimesToDetect.Select(t => t.TotalSeconds),
                Detections = x.Detections.Select(d => new { d.UpdateId, d.FirstFailureAt, d.DetectedAt, d.Burst, d.MinutesToDetect }),
                EvaluationSeconds = x.Evaluation.TotalSeconds,
            }),
        };
    }
}
