using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Correlator.Ingestion.Events;
using Correlator.Scenarios;

namespace Correlator.Correlation;

/// <summary>One scenario's score: culprits found (TP), findings on non-culprits (FP), culprits missed (FN).</summary>
public sealed record ScenarioAccuracy(
    string Name,
    int Facts,
    bool Benign,
    IReadOnlyList<string> TruePositives,
    IReadOnlyList<string> FalsePositives,
    IReadOnlyList<string> FalseNegatives,
    IReadOnlyList<TimeSpan> TimesToDetect,
    TimeSpan Evaluation);

public sealed record AccuracyReport(IReadOnlyList<ScenarioAccuracy> Scenarios)
{
    public int TruePositives => Scenarios.Sum(s => s.TruePositives.Count);
    public int FalsePositives => Scenarios.Sum(s => s.FalsePositives.Count);
    public int FalseNegatives => Scenarios.Sum(s => s.FalseNegatives.Count);
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);
    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);
    public int BenignWithFindings => Scenarios.Count(s => s.Benign && s.FalsePositives.Count > 0);

    public TimeSpan? MedianTimeToDetect
    {
        get
        {
            var all = Scenarios.SelectMany(s => s.TimesToDetect).Order().ToList();
            return all.Count == 0 ? null : all[all.Count / 2];
        }
    }
}

/// <summary>
/// Precision, recall and time-to-detect of the engine over scenarios with known outcomes. The core
/// (<see cref="Score"/>) is pure; <see cref="RunDirectory"/> reads <c>*.ndjson</c> + <c>*.expected.json</c>.
/// </summary>
public static class Accuracy
{
    public static ScenarioAccuracy Score(string name, IReadOnlyList<object> facts, ExpectedOutcome expected, IReadOnlyList<FindingHistory> findings, TimeSpan evaluation = default)
    {
        var culprits = expected.Culprits.Select(c => c.UpdateId).ToHashSet(StringComparer.Ordinal);
        var found = findings.Select(f => f.UpdateId).Distinct(StringComparer.Ordinal).ToList();
        var tp = found.Where(culprits.Contains).Order(StringComparer.Ordinal).ToList();
        var fp = findings.Where(f => !culprits.Contains(f.UpdateId)).Select(f => f.UpdateId).Order(StringComparer.Ordinal).ToList();
        var fn = culprits.Where(c => !found.Contains(c)).Order(StringComparer.Ordinal).ToList();
        var ttd = new List<TimeSpan>();
        foreach (var c in expected.Culprits)
        {
            var f = findings.Where(x => x.UpdateId == c.UpdateId).OrderBy(x => x.DetectedAt).FirstOrDefault();
            if (f is null) continue;
            var first = FirstFailure(facts, c) ?? f.Transitions[0].Finding.FirstFailureAt;
            ttd.Add(f.DetectedAt - first);
        }
        return new ScenarioAccuracy(name, facts.Count, culprits.Count == 0, tp, fp, fn, ttd, evaluation);
    }

    /// <summary>Event time of the culprit's first failure: the earliest crash or degradation with one of its signatures at or after its release.</summary>
    public static DateTimeOffset? FirstFailure(IReadOnlyList<object> facts, ExpectedCulprit culprit)
    {
        var sigs = culprit.Signatures.ToHashSet(StringComparer.Ordinal);
        var released = facts.OfType<UpdateReleased>().Where(r => r.UpdateId == culprit.UpdateId).Select(r => (DateTimeOffset?)r.ReleasedAt).Min();
        DateTimeOffset? first = null;
        foreach (var f in facts)
        {
            var (sig, at) = f switch
            {
                CrashReported c => (Signature.Of(c), c.OccurredAt),
                ServiceStatusObserved s when ServiceHistory.IsDegraded(s.Status.ToLowerInvariant()) => (Signature.OfService(s.Service, s.Region), s.ObservedAt),
                _ => ((string?)null, default(DateTimeOffset)),
            };
            if (sig is null || !sigs.Contains(sig) || (released is { } r && at < r)) continue;
            if (first is null || at < first) first = at;
        }
        return first;
    }

    public static ScenarioAccuracy Run(string name, IReadOnlyList<object> facts, ExpectedOutcome expected, CorrelationSettings? settings = null)
    {
        var sw = Stopwatch.StartNew();
        var findings = CorrelationEngine.Run(facts, settings);
        sw.Stop();
        return Score(name, facts, expected, findings, sw.Elapsed);
    }

    /// <summary>Every <c>name.ndjson</c> with a <c>name.expected.json</c> beside it in <paramref name="directory"/>.</summary>
    public static AccuracyReport RunDirectory(string directory, CorrelationSettings? settings = null)
    {
        var results = new List<ScenarioAccuracy>();
        foreach (var path in Directory.GetFiles(directory, "*.ndjson").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            var expectedPath = Path.Combine(directory, name + ".expected.json");
            if (!File.Exists(expectedPath)) continue;
            var expected = JsonSerializer.Deserialize<ExpectedOutcome>(File.ReadAllText(expectedPath))
                           ?? new ExpectedOutcome([], []);
            expected = expected with { Culprits = expected.Culprits ?? [], NotCulprits = expected.NotCulprits ?? [] };
            results.Add(Run(name, ScenarioFacts.Read(path), expected, settings));
        }
        return new AccuracyReport(results);
    }

    public static string Table(AccuracyReport report)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine($"{"scenario",-40} {"facts",7} {"TP",3} {"FP",3} {"FN",3} {"ttd",9} {"eval ms",8}  notes");
        foreach (var s in report.Scenarios)
        {
            var ttd = s.TimesToDetect.Count == 0 ? "-" : string.Join(",", s.TimesToDetect.Select(t => t.TotalMinutes.ToString("0.0", ci) + "m"));
            var notes = string.Join(" ", s.FalsePositives.Select(x => "FP:" + x).Concat(s.FalseNegatives.Select(x => "FN:" + x)));
            sb.AppendLine($"{s.Name,-40} {s.Facts,7} {s.TruePositives.Count,3} {s.FalsePositives.Count,3} {s.FalseNegatives.Count,3} {ttd,9} {s.Evaluation.TotalMilliseconds,8:0}  {(s.Benign ? "[benign] " : "")}{notes}");
        }
        sb.AppendLine(string.Create(ci, $"precision {report.Precision:0.000}  recall {report.Recall:0.000}  benign-with-findings {report.BenignWithFindings}  median ttd {(report.MedianTimeToDetect is { } m ? m.TotalMinutes.ToString("0.0", ci) + " min" : "-")}"));
        return sb.ToString();
    }
}
