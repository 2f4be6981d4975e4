using System.Globalization;
using Correlator.Correlation;
using Correlator.Ingestion.Events;

namespace Correlator.Rollouts;

/// <summary>
/// The rollout gate for one update: go, hold or stop at any knowledge time, and the decision before each wave. Pure:
/// it reads the update's manifests, recall and findings and the fleet's hosts it is given; nothing else.
/// <list type="number">
/// <item><b>stop</b> when the update is recalled, when a finding (not dismissed) names it, or when its exposed hosts fail
/// significantly more than unexposed hosts of the same platform, fleet and region (<see cref="HazardRatioMixture"/>);</item>
/// <item><b>hold</b> while fewer than <see cref="GateSettings.MinExposedHosts"/> hosts or
/// <see cref="GateSettings.MinExposedHostHours"/> host-hours are exposed;</item>
/// <item><b>go</b> otherwise.</item>
/// </list>
/// </summary>
public sealed class RolloutGate(
    string updateId,
    IReadOnlyList<UpdateReleased> releases,
    DateTimeOffset? recalledAt,
    string? recallReason,
    IReadOnlyList<GateFinding> findings,
    IReadOnlyList<FleetHost> described,
    IReadOnlyList<HostExposure> installs,
    GateSettings? settings = null)
{
    private readonly GateSettings _settings = settings ?? GateSettings.Default;
    // Hosts that installed the update without ever reporting a crash are exposed all the same, with no attributes.
    private readonly IReadOnlyList<FleetHost> hosts = WithInstallers(described, installs);

    private static IReadOnlyList<FleetHost> WithInstallers(IReadOnlyList<FleetHost> described, IReadOnlyList<HostExposure> installs)
    {
        var known = described.Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
        var extra = installs.Select(i => i.HostId).Where(known.Add).Select(id => new FleetHost { Id = id });
        return [.. described, .. extra];
    }
    public const string TestName = "mixture SPRT on the exposed/unexposed hazard ratio (Cox partial likelihood, stratified by platform, fleet and region)";

    public string UpdateId => updateId;
    public IReadOnlyList<FleetHost> Hosts => hosts;
    public IReadOnlyList<UpdateReleased> Releases => releases;

    /// <summary>The latest knowledge time in the inputs: "now" for a store that is caught up.</summary>
    public DateTimeOffset Latest()
    {
        var latest = DateTimeOffset.MinValue;
        foreach (var r in releases) latest = Max(latest, Known(r));
        if (recalledAt is { } rc) latest = Max(latest, rc);
        foreach (var f in findings) latest = Max(latest, f.DetectedAt);
        foreach (var h in hosts)
            if (h.Failures.Count > 0) latest = Max(latest, h.Failures.Max(f => f.Known));
        foreach (var i in installs) latest = Max(latest, i.Known);
        return latest;
    }

    /// <summary>The update as known at <paramref name="asOf"/>: its manifests and installation records known by then.</summary>
    public UpdateExposure ExposureAsOf(DateTimeOffset asOf)
    {
        var u = new UpdateExposure(updateId);
        foreach (var r in releases) if (Known(r) <= asOf) u.AddRelease(r);
        foreach (var i in installs)
            if (i.Known <= asOf && i.At <= asOf) u.AddInstall(new UpdateInstalled("", updateId, i.HostId, i.At));
        return u;
    }

    /// <summary>When each host was exposed as known at <paramref name="asOf"/> (null: not exposed by then).</summary>
    public Dictionary<string, DateTimeOffset> ExposedHosts(DateTimeOffset asOf) => ExposedHosts(ExposureAsOf(asOf), asOf);

    private Dictionary<string, DateTimeOffset> ExposedHosts(UpdateExposure u, DateTimeOffset asOf)
    {
        var exposed = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var h in hosts)
            if (u.ExposedSince(h.AsKnown()) is { } e && e <= asOf) exposed[h.Id] = e;
        return exposed;
    }

    public GateDecision Decide(DateTimeOffset asOf)
    {
        var u = ExposureAsOf(asOf);
        var exposed = ExposedHosts(u, asOf);
        var c = Contrast(u, exposed, asOf);
        var reasons = new List<string>();
        var active = findings.Where(f => _settings.StopOnFindings && f.DetectedAt <= asOf && (f.DismissedAt is null || f.DismissedAt > asOf))
            .OrderByDescending(f => f.Confidence).ThenBy(f => f.FindingId, StringComparer.Ordinal).ToList();
        var recalled = _settings.StopOnRecall && recalledAt is { } r && r <= asOf ? recalledAt : null;
        var lr = Math.Exp(Math.Min(700, c.MaxLogRatio));
        var pAlwaysValid = Math.Min(1, 1 / lr);
        var evidence = new GateEvidence(TestName, _settings.Alpha, _settings.StopThreshold, Round(lr), pAlwaysValid, c.Informative,
            c.ExposedFailures, c.UnexposedFailures, Round(c.ExposedHours), Round(c.UnexposedHours), c.Strata, c.Comparable,
            u.InstallBased ? "installations" : "targets", u.ExposureStart == DateTimeOffset.MaxValue ? null : u.ExposureStart, recalled,
            active.Select(f => f.FindingId).ToList());
        var rateText = $"{c.ExposedFailures} fresh failure(s) in {N(c.ExposedHours)} exposed host-hours ({Rate(c.ExposedRate)}/host-hour) against " +
            $"{c.UnexposedFailures} in {N(c.UnexposedHours)} unexposed host-hours ({Rate(c.BaselineRate)}/host-hour)";

        string decision;
        double confidence;
        if (recalled is not null)
        {
            decision = GateDecisions.Stop;
            confidence = 1;
            reasons.Add($"the update was recalled at {When(recalled.Value)}{(recallReason is null ? "" : ": " + recallReason)}");
        }
        else if (active.Count > 0)
        {
            decision = GateDecisions.Stop;
            confidence = Math.Max(active[0].Confidence, 1 - pAlwaysValid);
        }
        else if (lr >= _settings.StopThreshold)
        {
            decision = GateDecisions.Stop;
            confidence = 1 - pAlwaysValid;
        }
        else if (exposed.Count < _settings.MinExposedHosts || c.ExposedHours < _settings.MinExposedHostHours)
        {
            decision = GateDecisions.Hold;
            confidence = Math.Round(Math.Min(1, Math.Min((double)exposed.Count / _settings.MinExposedHosts, c.ExposedHours / _settings.MinExposedHostHours)), 3);
            reasons.Add(exposed.Count == 0
                ? "no host is exposed yet: too little exposure to tell"
                : $"only {exposed.Count} exposed host(s) and {N(c.ExposedHours)} exposed host-hours (the gate needs {_settings.MinExposedHosts} and {N(_settings.MinExposedHostHours)}): too little exposure to tell");
        }
        else
        {
            decision = GateDecisions.Go;
            confidence = Math.Round(Math.Clamp(1 - lr / _settings.StopThreshold, 0, 1), 3);
        }
        foreach (var f in active) reasons.Add($"finding {f.FindingId} names the update (confidence {f.Confidence.ToString("0.00", CultureInfo.InvariantCulture)}): {f.Explanation}");
        if (c.Comparable == 0 && exposed.Count > 0)
            reasons.Add("no unexposed host shares a platform, fleet and region with an exposed one, so exposed and unexposed failure rates cannot be compared: the gate relies on findings");
        else if (exposed.Count > 0)
            reasons.Add(lr >= _settings.StopThreshold
                ? $"exposed hosts fail significantly more than unexposed ones: {rateText}; likelihood ratio {N(lr)} ≥ {N(_settings.StopThreshold)} (always-valid p {P(pAlwaysValid)})"
                : $"{rateText}; likelihood ratio {N(lr)} < {N(_settings.StopThreshold)} needed to stop");
        return new GateDecision(updateId, decision, Math.Round(confidence, 4), reasons, exposed.Count, c.FailingExposed,
            Round(c.BaselineRate), Round(c.ExposedRate), evidence, asOf);
    }

    /// <summary>
    /// The rollout's waves as known at <paramref name="asOf"/> (see <see cref="RolloutWaves"/>), each with the hosts it
    /// exposed and the gate's decision a second before it started.
    /// </summary>
    public IReadOnlyList<GateWave> Waves(DateTimeOffset asOf)
    {
        var u = ExposureAsOf(asOf);
        var exposed = ExposedHosts(u, asOf);
        var starts = RolloutWaves.Of(releases.Where(r => Known(r) <= asOf).ToList(), exposed.Values.ToList(), u);
        var failedAfter = hosts.Where(h => exposed.ContainsKey(h.Id))
            .Where(h => h.Failures.Any(f => f.At >= exposed[h.Id] && f.At <= asOf && f.Known <= asOf)).Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
        var waves = new List<GateWave>();
        for (var k = 0; k < starts.Count; k++)
        {
            var from = starts[k].StartsAt;
            var to = k + 1 < starts.Count ? starts[k + 1].StartsAt : DateTimeOffset.MaxValue;
            var inWave = exposed.Where(e => e.Value >= from && e.Value < to).Select(e => e.Key).ToList();
            var before = exposed.Count(e => e.Value < from);
            var gate = Decide(from.AddSeconds(-1));
            waves.Add(new GateWave(k + 1, from, starts[k].Percent, inWave.Count, inWave.Count(failedAfter.Contains), before,
                gate.Decision, gate.Confidence, gate.Reasons.FirstOrDefault() ?? ""));
        }
        return waves;
    }

    public GateReport Report(DateTimeOffset asOf) => GateReport.From(Decide(asOf), Waves(asOf));

    private sealed record ContrastResult(
        double MaxLogRatio, int Informative, int ExposedFailures, int UnexposedFailures, int FailingExposed,
        double ExposedHours, double UnexposedHours, int Strata, int Comparable)
    {
        public double ExposedRate => ExposedHours > 0 ? ExposedFailures / ExposedHours : 0;
        public double BaselineRate => UnexposedHours > 0 ? UnexposedFailures / UnexposedHours : 0;
    }

    private sealed record Subject(FleetHost Host, DateTimeOffset? ExposedAt, DateTimeOffset[] Failures, string Stratum);

    private ContrastResult Contrast(UpdateExposure u, Dictionary<string, DateTimeOffset> exposed, DateTimeOffset asOf)
    {
        if (u.ExposureStart == DateTimeOffset.MaxValue || u.ExposureStart > asOf) return new(0, 0, 0, 0, 0, 0, 0, 0, 0);
        var start = u.ExposureStart;
        var from = start - TimeSpan.FromHours(_settings.LookbackHours);
        var fresh = TimeSpan.FromHours(_settings.FreshAfterHours);
        var subjects = new List<Subject>();
        foreach (var h in hosts)
        {
            DateTimeOffset? e = exposed.TryGetValue(h.Id, out var at) ? at : null;
            // The hosts the update could reach: exposed ones and, unexposed, those of a platform it covers (a host known
            // only from installations of other updates has no platform; it stays in, in a stratum of its own).
            if (e is null && h.Described && !u.CoversPlatform(h.Platform!)) continue;
            var times = h.Failures.Where(f => f.Known <= asOf && f.At <= asOf).Select(f => f.At).ToArray();
            subjects.Add(new Subject(h, e, times, StratumOf(h)));
        }

        int exposedFailures = 0, unexposedFailures = 0, failingExposed = 0;
        double exposedHours = 0, unexposedHours = 0;
        var events = new List<(DateTimeOffset At, Subject S, bool Exposed)>();
        foreach (var s in subjects)
        {
            var end = s.ExposedAt ?? asOf;
            unexposedHours += Math.Max(0, (end - from).TotalHours);
            if (s.ExposedAt is { } e)
            {
                exposedHours += Math.Max(0, (asOf - e).TotalHours);
                if (s.Failures.Any(f => f >= e)) failingExposed++;
            }
            for (var i = 0; i < s.Failures.Length; i++)
            {
                var t = s.Failures[i];
                if (t < from || (i > 0 && t - s.Failures[i - 1] < fresh)) continue;
                var isExposed = s.ExposedAt is { } x && x <= t;
                if (isExposed) exposedFailures++; else unexposedFailures++;
                if (t >= start) events.Add((t, s, isExposed));
            }
        }

        var strata = subjects.GroupBy(s => s.Stratum).ToDictionary(g => g.Key, g => g.ToList());
        var comparable = strata.Count(g => g.Value.Any(s => s.ExposedAt is not null) && g.Value.Any(s => s.ExposedAt is null || s.ExposedAt > start));
        var failures = new List<HazardRatioMixture.Failure>();
        foreach (var (at, subject, isExposed) in events.OrderBy(e => e.At))
        {
            int n1 = 0, n0 = 0;
            foreach (var s in strata[subject.Stratum])
            {
                if (!AtRisk(s, at, fresh)) continue;
                if (s.ExposedAt is { } e && e <= at) n1++; else n0++;
            }
            failures.Add(new HazardRatioMixture.Failure(n1, n0, isExposed));
        }
        var (max, _, informative) = HazardRatioMixture.Run(failures);
        return new(max, informative, exposedFailures, unexposedFailures, failingExposed, exposedHours, unexposedHours, strata.Count, comparable);
    }

    private string StratumOf(FleetHost h) => string.Join('|', _settings.Strata.Select(s => s switch
    {
        "platform" => h.Platform ?? "?",
        "fleet" => h.Fleet ?? "?",
        "region" => h.Region ?? "?",
        _ => "",
    }));

    /// <summary>At risk at <paramref name="t"/>: no failure in the fresh-failure window before it (a failure at t itself is the event).</summary>
    private static bool AtRisk(Subject s, DateTimeOffset t, TimeSpan fresh)
    {
        int lo = 0, hi = s.Failures.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (s.Failures[mid] < t) lo = mid + 1; else hi = mid;
        }
        var i = lo;
        return i == 0 || t - s.Failures[i - 1] >= fresh;
    }

    internal static DateTimeOffset Known(UpdateReleased r) => r.ObservedAt == default ? r.ReleasedAt : r.ObservedAt;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    private static double Round(double v) => double.IsFinite(v) ? Math.Round(v, v != 0 && Math.Abs(v) < 0.01 ? 8 : 3) : v;
    private static string N(double v) => v.ToString(v >= 100 ? "N0" : "0.##", CultureInfo.InvariantCulture);
    private static string Rate(double v) => v.ToString(v < 0.01 ? "0.###e0" : "0.###", CultureInfo.InvariantCulture);
    private static string P(double p) => p.ToString(p < 0.001 ? "0.0e0" : "0.###", CultureInfo.InvariantCulture);
    private static string When(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);
}
