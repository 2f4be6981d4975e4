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
    TimeSpan Evaluation)
{
    /// <summary>Per detected culprit: its first failure, detection, time to detect, and whether it was a burst.</summary>
    public IReadOnlyList<CulpritDetection> Detections { get; init; } = [];
}

/// <summary>
/// When a culprit's first failure happened (event time), when it was detected (knowledge time of the raise), and
/// whether it was a burst: at least three of its failures within ten minutes of the first.
/// </summary>
public sealed record CulpritDetection(string UpdateId, DateTimeOffset FirstFailureAt, DateTimeOffset DetectedAt, bool Burst)
{
    public TimeSpan TimeToDetect => DetectedAt - FirstFailureAt;
    public double MinutesToDetect => Math.Round(TimeToDetect.TotalMinutes, 2);
}

/// <summary>The totals of an <see cref="AccuracyReport"/>, flat for JSON (times in minutes).</summary>
public sealed record AccuracyTotals(
    int Scenarios,
    int TruePositives,
    int FalsePositives,
    int FalseNegatives,
    double Precision,
    double Recall,
    int BenignScenarios,
    int BenignWithFindings,
    double? MedianMinutesToDetect,
    double? WorstMinutesToDetect,
    double? MedianMinutesToDetectBursts);

public sealed record AccuracyReport(IReadOnlyList<ScenarioAccuracy> Scenarios)
{
    public AccuracyTotals Totals => new(Scenarios.Count, TruePositives, FalsePositives, FalseNegatives, Math.Round(Precision, 4),
        Math.Round(Recall, 4), Scenarios.Count(s => s.Benign), BenignWithFindings, MedianTimeToDetect?.TotalMinutes,
        WorstTimeToDetect?.TotalMinutes, MedianBurstTimeToDetect?.TotalMinutes);

    public TimeSpan? WorstTimeToDetect => Scenarios.SelectMany(s => s.TimesToDetect).Select(t => (TimeSpan?)t).Max();

    /// <summary>Median time to detect over culprits whose failures came as a burst (see <see cref="CulpritDetection"/>).</summary>
    public TimeSpan? MedianBurstTimeToDetect
    {
        get
        {
            var all = Scenarios.SelectMany(s => s.Detections).Where(d => d.Burst).Select(d => d.TimeToDetect).Order().ToList();
            return all.Count == 0 ? null : all[all.Count / 2];
        }
    }

    /// <summary>The slowest detection of a culprit whose first three failures came within ten minutes.</summary>
    public TimeSpan? WorstBurstTimeToDetect =>
        Scenarios.SelectMany(s => s.Detections).Where(d => d.Burst).Select(d => (TimeSpan?)d.TimeToDetect).Max();

    /// <summary>Detected burst culprits, and how many of them took more than ten minutes.</summary>
    public (int Bursts, int OverTenMinutes) BurstDetections
    {
        get
        {
            var bursts = Scenarios.SelectMany(s => s.Detections).Where(d => d.Burst).ToList();
            return (bursts.Count, bursts.Count(d => d.TimeToDetect > TimeSpan.FromMinutes(10)));
        }
    }

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
    /// <summary>
    /// Scores findings obtained any way (the real pipeline included) against an expected outcome. Without
    /// <paramref name="facts"/>, a culprit's first failure is its finding's <c>firstFailureAt</c> and bursts are not told.
    /// </summary>
    public static ScenarioAccuracy Score(IReadOnlyList<FindingHistory> findings, ExpectedOutcome expected, string name = "scenario",
        IReadOnlyList<object>? facts = null, TimeSpan evaluation = default) =>
        Score(name, facts ?? [], expected, findings, evaluation);

    public static ScenarioAccuracy Score(string name, IReadOnlyList<object> facts, ExpectedOutcome expected, IReadOnlyList<FindingHistory> findings, TimeSpan evaluation = default)
    {
        expected = expected with { Culprits = expected.Culprits ?? [], NotCulprits = expected.NotCulprits ?? [] };
        var culprits = expected.Culprits.Select(c => c.UpdateId).ToHashSet(StringComparer.Ordinal);
        var found = findings.Select(f => f.UpdateId).Distinct(StringComparer.Ordinal).ToList();
        var tp = found.Where(culprits.Contains).Order(StringComparer.Ordinal).ToList();
        var fp = findings.Where(f => !culprits.Contains(f.UpdateId)).Select(f => f.UpdateId).Order(StringComparer.Ordinal).ToList();
        var fn = culprits.Where(c => !found.Contains(c)).Order(StringComparer.Ordinal).ToList();
        var detections = new List<CulpritDetection>();
        foreach (var c in expected.Culprits)
        {
            var mine = findings.Where(x => x.UpdateId == c.UpdateId).OrderBy(x => x.DetectedAt).ToList();
            if (mine.Count == 0) continue;
            // Without the culprit's signatures (optional in the contract), the failures are those of the signatures and
            // service regions its findings explain.
            var signatures = c.Signatures ?? mine.SelectMany(ExplainedSignatures).Distinct(StringComparer.Ordinal).ToList();
            var failures = Failures(facts, c.UpdateId, signatures);
            var first = c.FirstFailureAt ?? (failures.Count > 0 ? failures[0] : mine.SelectMany(f => f.Transitions).Min(t => t.Finding.FirstFailureAt));
            var burst = c.Burst ?? (failures.Count >= 3 && failures[2] - failures[0] <= TimeSpan.FromMinutes(10));
            detections.Add(new CulpritDetection(c.UpdateId, first, mine[0].DetectedAt, burst));
        }
        return new ScenarioAccuracy(name, facts.Count, culprits.Count == 0, tp, fp, fn, detections.Select(d => d.TimeToDetect).ToList(), evaluation)
            { Detections = detections };
    }

    /// <summary>Event time of the culprit's first failure: the earliest crash or degradation with one of its signatures at or after its release.</summary>
    public static DateTimeOffset? FirstFailure(IReadOnlyList<object> facts, ExpectedCulprit culprit) =>
        Failures(facts, culprit) is { Count: > 0 } f ? f[0] : null;

    /// <summary>Event times, ascending, of the crashes and degraded observations with the culprit's signatures at or after its release.</summary>
    public static List<DateTimeOffset> Failures(IReadOnlyList<object> facts, ExpectedCulprit culprit) =>
        Failures(facts, culprit.UpdateId, culprit.Signatures ?? []);

    /// <summary>The signatures and service regions (as service signatures) a finding explained at any point of its life.</summary>
    public static IEnumerable<string> ExplainedSignatures(FindingHistory finding) =>
        finding.Transitions.SelectMany(t => t.Finding.Signatures.Select(s => s.Signature)
            .Concat(t.Finding.Services.Select(s => Signature.OfService(s.Service, s.Region))));

    public static List<DateTimeOffset> Failures(IReadOnlyList<object> facts, string updateId, IEnumerable<string> signatures)
    {
        var sigs = signatures.ToHashSet(StringComparer.Ordinal);
        var released = facts.OfType<UpdateReleased>().Where(r => r.UpdateId == updateId).Select(r => (DateTimeOffset?)r.ReleasedAt).Min();
        var times = new List<DateTimeOffset>();
        foreach (var f in facts)
        {
            var (sig, at) = f switch
            {
                CrashReported c => (Signature.Of(c), c.OccurredAt),
                ServiceStatusObserved s when ServiceHistory.IsDegraded(s.Status.ToLowerInvariant()) => (Signature.OfService(s.Service, s.Region), s.ObservedAt),
                _ => ((string?)null, default(DateTimeOffset)),
            };
            if (sig is null || !sigs.Contains(sig) || (released is { } r && at < r)) continue;
            times.Add(at);
        }
        times.Sort();
        return times;
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
            var expected = ExpectedOutcomeFile.Read(expectedPath);
            results.Add(Run(name, ScenarioFacts.Read(path), expected, settings));
        }
        return new AccuracyReport(results);
    }

    public static string Table(AccuracyReport report) => Table(report, onlyMisses: false);

    /// <summary>The per-scenario table (only scenarios with a false positive or negative when <paramref name="onlyMisses"/>) and the totals.</summary>
    public static string Table(AccuracyReport report, bool onlyMisses)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine($"{"scenario",-40} {"facts",7} {"TP",3} {"FP",3} {"FN",3} {"ttd",9} {"eval ms",8}  notes");
        foreach (var s in report.Scenarios.Where(s => !onlyMisses || s.FalsePositives.Count + s.FalseNegatives.Count > 0))
        {
            var ttd = s.Detections.Count == 0 ? "-" : string.Join(",", s.Detections.Select(d => d.TimeToDetect.TotalMinutes.ToString("0.0", ci) + (d.Burst ? "m*" : "m")));
            var notes = string.Join(" ", s.FalsePositives.Select(x => "FP:" + x).Concat(s.FalseNegatives.Select(x => "FN:" + x)));
            sb.AppendLine($"{s.Name,-40} {s.Facts,7} {s.TruePositives.Count,3} {s.FalsePositives.Count,3} {s.FalseNegatives.Count,3} {ttd,9} {s.Evaluation.TotalMilliseconds,8:0}  {(s.Benign ? "[benign] " : "")}{notes}");
        }
        static string Min(TimeSpan? t) => t is { } m ? m.TotalMinutes.ToString("0.0", CultureInfo.InvariantCulture) + " min" : "-";
        sb.AppendLine(string.Create(ci, $"precision {report.Precision:0.000}  recall {report.Recall:0.000}  benign-with-findings {report.BenignWithFindings}  median ttd {Min(report.MedianTimeToDetect)}  worst ttd {Min(report.WorstTimeToDetect)}  median ttd bursts {Min(report.MedianBurstTimeToDetect)}"));
        var (bursts, slow) = report.BurstDetections;
        sb.AppendLine(string.Create(ci, $"scenarios {report.Scenarios.Count} (benign {report.Scenarios.Count(s => s.Benign)})  TP {report.TruePositives}  FP {report.FalsePositives}  FN {report.FalseNegatives}  worst ttd bursts {Min(report.WorstBurstTimeToDetect)}  bursts detected after > 10 min {slow}/{bursts}"));
        return sb.ToString();
    }
}
