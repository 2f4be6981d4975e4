using System.Collections.Concurrent;
using Correlator.Scenarios;

namespace Correlator.Correlation;

/// <summary>One suite's figures: accuracy, and calibration where the suite has one.</summary>
public sealed record AccuracySuiteResult(string Suite, AccuracyReport Report, CalibrationReport? Calibration);

/// <summary>
/// The suites <c>bench accuracy</c> reports separately: the hand-written corpus (<c>tests/scenarios</c>), the randomized
/// tuning and held-out sets (<see cref="RandomizedSeeds"/>, generated in memory) and the reconstructed incidents
/// (<c>tests/scenarios/incidents</c>). All through the pure engine; calibration (a second pass with a low raise
/// threshold, so that confidences below the usual one are seen too) over the randomized sets.
/// </summary>
public static class AccuracySuites
{
    public const string Corpus = "corpus", Tuning = "tuning", HeldOut = "heldout", Incidents = "incidents";
    public static readonly string[] Names = [Corpus, Tuning, HeldOut, Incidents];

    /// <summary>The raise threshold of the calibration pass: every update whose posterior reaches it becomes a prediction.</summary>
    public const double CalibrationThreshold = 0.1;

    public static string IncidentsDirectory(string corpusDirectory) => Path.Combine(corpusDirectory, "incidents");

    public static AccuracySuiteResult Run(string suite, string corpusDirectory, CorrelationSettings? settings = null, int? limit = null, int parallelism = 1)
    {
        switch (suite)
        {
            case Corpus: return new(suite, Accuracy.RunDirectory(corpusDirectory, settings), null);
            case Incidents:
                var dir = IncidentsDirectory(corpusDirectory);
                if (!Directory.Exists(dir)) throw new InvalidDataException($"{dir} does not exist (the reconstructed incidents)");
                return new(suite, Accuracy.RunDirectory(dir, settings), null);
            case Tuning or HeldOut:
                var seeds = (suite == Tuning ? RandomizedSeeds.Tuning : RandomizedSeeds.HeldOut).Take(limit ?? int.MaxValue).ToList();
                return RunRandomized(suite, seeds, settings, parallelism);
            default: throw new ArgumentException($"unknown suite '{suite}'; known: {string.Join(", ", Names)}, all");
        }
    }

    public static AccuracySuiteResult RunRandomized(string suite, IReadOnlyList<int> seeds, CorrelationSettings? settings = null, int parallelism = 1)
    {
        var results = new ConcurrentDictionary<int, (ScenarioAccuracy Score, List<(double, bool)> Predictions)>();
        var calibration = (settings ?? CorrelationSettings.Default) with { RaiseThreshold = CalibrationThreshold };
        Parallel.ForEach(seeds, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, seed =>
        {
            var scenario = RandomizedScenarios.Generate(seed);
            var facts = Facts(scenario);
            var score = Accuracy.Run(scenario.Name, facts, scenario.Expected, settings);
            results[seed] = (score, Predictions(scenario.Expected, CorrelationEngine.Run(facts, calibration)));
        });
        var ordered = seeds.Select(s => results[s]).ToList();
        return new(suite, new AccuracyReport(ordered.Select(r => r.Score).ToList()),
            CalibrationReport.Of(ordered.SelectMany(r => r.Predictions), CalibrationThreshold));
    }

    /// <summary>A scenario's facts exactly as <see cref="ScenarioFacts.Read"/> would get them from its file.</summary>
    public static IReadOnlyList<object> Facts(Scenario scenario) => ScenarioFacts.Parse(ScenarioWriter.Ndjson(scenario).Split('\n'));

    /// <summary>Every culprit (confidence 0 when never raised) and every other update with a finding, at its highest confidence.</summary>
    public static List<(double Confidence, bool Correct)> Predictions(ExpectedOutcome expected, IReadOnlyList<FindingHistory> findings)
    {
        var best = findings.GroupBy(f => f.UpdateId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.SelectMany(f => f.Transitions).Max(t => t.Finding.Confidence), StringComparer.Ordinal);
        var culprits = expected.Culprits.Select(c => c.UpdateId).Distinct(StringComparer.Ordinal).ToList();
        var list = culprits.Select(c => (best.GetValueOrDefault(c), true)).ToList();
        list.AddRange(best.Where(b => !culprits.Contains(b.Key)).OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => (b.Value, false)));
        return list;
    }
}
