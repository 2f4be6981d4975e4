using System.Globalization;
using System.Text;
using System.Text.Json;
using Correlator.Correlation;
using Correlator.Ingestion.Events;
using Correlator.Scenarios;

namespace Correlator.Rollouts;

/// <summary>One culprit of a scenario: its waves, the first at which the gate said stop, and the hosts that spared.</summary>
public sealed record GateBacktestRow(
    string Scenario,
    string UpdateId,
    int Waves,
    int? StopWave,
    DateTimeOffset? StopAt,
    string? StopReason,
    int ExposedHosts,
    int HostsSpared,
    int FailingHostsSpared);

/// <summary>An innocent update the gate said stop for, at the first wave or moment it did.</summary>
public sealed record GateFalseStop(string Scenario, string UpdateId, DateTimeOffset At, string Reason);

public sealed record GateBacktestReport(IReadOnlyList<GateBacktestRow> Culprits, IReadOnlyList<GateFalseStop> FalseStops, int InnocentUpdates, int Scenarios);

/// <summary>
/// Replays the gate over a scenario corpus: for every culprit, its decision just before each wave (knowing only what
/// was known then, findings from the pure engine included); for every innocent update (the expected outcome's
/// <c>notCulprits</c> and every other update that is not a culprit), whether it ever said stop, before each wave and at the end.
/// </summary>
public static class GateBacktest
{
    public static GateBacktestReport RunDirectory(string directory, GateSettings? settings = null, CorrelationSettings? engine = null)
    {
        var culprits = new List<GateBacktestRow>();
        var falseStops = new List<GateFalseStop>();
        var innocent = 0;
        var files = Directory.GetFiles(directory, "*.ndjson").Order(StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var expectedPath = Path.ChangeExtension(file, null) + ".expected.json";
            var expected = File.Exists(expectedPath)
                ? JsonSerializer.Deserialize<ExpectedOutcome>(File.ReadAllText(expectedPath)) ?? new ExpectedOutcome([], [])
                : new ExpectedOutcome([], []);
            var (rows, stops, innocents) = Run(name, ScenarioFacts.Read(file), expected, settings, engine);
            culprits.AddRange(rows);
            falseStops.AddRange(stops);
            innocent += innocents;
        }
        return new GateBacktestReport(culprits, falseStops, innocent, files.Count);
    }

    public static (IReadOnlyList<GateBacktestRow> Culprits, IReadOnlyList<GateFalseStop> FalseStops, int Innocent) Run(
        string scenario, IReadOnlyList<object> facts, ExpectedOutcome expected, GateSettings? settings = null, CorrelationSettings? engine = null)
    {
        var hosts = new Dictionary<string, FleetHost>(StringComparer.Ordinal);
        var releases = new Dictionary<string, List<UpdateReleased>>(StringComparer.Ordinal);
        var recalls = new Dictionary<string, UpdateRecalled>(StringComparer.Ordinal);
        var installs = new Dictionary<string, Dictionary<string, HostExposure>>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fact in facts)
        {
            switch (fact)
            {
                case CrashReported c when seen.Add(c.Id): Host(hosts, c.HostId).Apply(c); break;
                case UpdateInstalled i when seen.Add(i.Id):
                    if (!installs.TryGetValue(i.UpdateId, out var byHost)) installs[i.UpdateId] = byHost = new(StringComparer.Ordinal);
                    if (!byHost.TryGetValue(i.HostId, out var first) || i.InstalledAt < first.At)
                        byHost[i.HostId] = new HostExposure(i.HostId, i.InstalledAt, i.ObservedAt == default ? i.InstalledAt : i.ObservedAt);
                    break;
                case UpdateReleased r when seen.Add(r.Id):
                    if (!releases.TryGetValue(r.UpdateId, out var list)) releases[r.UpdateId] = list = [];
                    list.Add(r);
                    break;
                case UpdateRecalled r when seen.Add(r.Id):
                    if (!recalls.TryGetValue(r.UpdateId, out var old) || r.RecalledAt < old.RecalledAt) recalls[r.UpdateId] = r;
                    break;
            }
        }
        var findings = CorrelationEngine.Run(facts, engine);
        var fleet = hosts.Values.OrderBy(h => h.Id, StringComparer.Ordinal).ToList();
        var end = facts.Select(f => CorrelationEngine.KnownAt(f) ?? DateTimeOffset.MinValue).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        var culpritIds = expected.Culprits.Select(c => c.UpdateId).ToHashSet(StringComparer.Ordinal);

        RolloutGate Gate(string updateId) => new(updateId, releases.GetValueOrDefault(updateId) ?? [],
            recalls.GetValueOrDefault(updateId) is { } r ? r.ObservedAt == default ? r.RecalledAt : Max(r.ObservedAt, r.RecalledAt) : null,
            recalls.GetValueOrDefault(updateId)?.Reason,
            findings.Where(f => f.UpdateId == updateId).Select(GateFindingOf).ToList(), fleet,
            installs.GetValueOrDefault(updateId)?.Values.OrderBy(i => i.HostId, StringComparer.Ordinal).ToList() ?? [], settings);

        var rows = new List<GateBacktestRow>();
        foreach (var culprit in expected.Culprits)
        {
            var gate = Gate(culprit.UpdateId);
            var waves = gate.Waves(end);
            var stop = waves.FirstOrDefault(w => w.Decision == GateDecisions.Stop);
            var exposed = waves.Sum(w => w.NewlyExposed);
            rows.Add(new GateBacktestRow(scenario, culprit.UpdateId, waves.Count, stop?.Wave, stop?.StartsAt, stop?.Reason, exposed,
                stop is null ? 0 : waves.Where(w => w.Wave >= stop.Wave).Sum(w => w.NewlyExposed),
                stop is null ? 0 : waves.Where(w => w.Wave >= stop.Wave).Sum(w => w.NewlyExposedFailing)));
        }
        var stops = new List<GateFalseStop>();
        var innocent = releases.Keys.Where(id => !culpritIds.Contains(id)).Order(StringComparer.Ordinal).ToList();
        foreach (var updateId in innocent)
        {
            var gate = Gate(updateId);
            var waves = gate.Waves(end);
            var stop = waves.FirstOrDefault(w => w.Decision == GateDecisions.Stop);
            if (stop is not null) { stops.Add(new GateFalseStop(scenario, updateId, stop.StartsAt, stop.Reason)); continue; }
            var last = gate.Decide(end);
            if (last.Decision == GateDecisions.Stop) stops.Add(new GateFalseStop(scenario, updateId, end, string.Join(" ", last.Reasons)));
        }
        return (rows, stops, innocent.Count);
    }

    public static GateFinding GateFindingOf(FindingHistory f) => new(f.FindingId, f.DetectedAt,
        f.Transitions.FirstOrDefault(t => t.Kind == TransitionKind.Dismissed)?.At, f.Current.Confidence, f.Current.Explanation);

    public static string Table(GateBacktestReport report)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| scenario | culprit | waves | stop wave | stopped at | stopped by | exposed hosts | hosts spared | failing hosts spared |");
        sb.AppendLine("|---|---|---:|---:|---|---|---:|---:|---:|");
        foreach (var r in report.Culprits)
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Scenario} | {r.UpdateId} | {r.Waves} | {(r.StopWave is { } w ? $"{w} of {r.Waves}" : "none")} | " +
                $"{(r.StopAt is { } at ? at.UtcDateTime.ToString("MM-dd HH:mm'Z'", CultureInfo.InvariantCulture) : "-")} | {StoppedBy(r.StopReason)} | {r.ExposedHosts} | {r.HostsSpared} | {r.FailingHostsSpared} |");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"False stops: {report.FalseStops.Count} of {report.InnocentUpdates} innocent updates in {report.Scenarios} scenarios.");
        foreach (var f in report.FalseStops) sb.AppendLine(CultureInfo.InvariantCulture, $"  {f.Scenario} {f.UpdateId} at {f.At:u}: {f.Reason}");
        return sb.ToString();
    }

    /// <summary>What made the gate stop: a recall, a finding, or the rate test.</summary>
    public static string StoppedBy(string? reason) => reason switch
    {
        null => "-",
        _ when reason.StartsWith("the update was recalled", StringComparison.Ordinal) => "recall",
        _ when reason.StartsWith("finding ", StringComparison.Ordinal) => "finding",
        _ => "rate test",
    };

    private static FleetHost Host(Dictionary<string, FleetHost> hosts, string id)
    {
        if (!hosts.TryGetValue(id, out var h)) hosts[id] = h = new FleetHost { Id = id };
        return h;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
