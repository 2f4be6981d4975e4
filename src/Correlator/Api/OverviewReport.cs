using Correlator.Findings;

namespace Correlator.Api;

/// <summary>
/// The answer of <c>GET /api/overview</c>: every finding failing in the window as one lane (failures per minute: crashes
/// and the spans its service regions were degraded; its release, recall, detection and closing), and for each two findings failing at the same time, crashes and degraded
/// services per region while they overlap. Lanes are in <see cref="FindingOrder"/>.
/// </summary>
public sealed record OverviewReport(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<OverviewLane> Lanes, IReadOnlyList<OverviewOverlap> Overlaps)
{
    /// <summary>Per-minute data bounds the window: at most a week.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(7);
    /// <summary>The window when none is given: the findings' failures, an hour either side.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromHours(1);

    /// <summary>
    /// A finding failing from its first failure to its last crash or the engine's last change of it, on to the end of a
    /// degradation of its service regions that began while it was failing (an ongoing one does not count: it reaches the
    /// window's end only because nothing ended it yet), and on to the end of the window while it is open.
    /// </summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Active(FindingView v, IReadOnlyList<MinuteCount> perMinute,
        IReadOnlyList<DegradedSpan> degradations, DateTimeOffset now)
    {
        var end = LastEngineChange(v);
        if (v.Current.Status is Correlation.FindingStatus.Suspected or Correlation.FindingStatus.Confirmed && now > end) end = now;
        if (perMinute.Count > 0 && perMinute[^1].At.AddMinutes(1) > end) end = perMinute[^1].At.AddMinutes(1);
        var start = perMinute.Count > 0 && perMinute[0].At < v.Current.FirstFailureAt ? perMinute[0].At : v.Current.FirstFailureAt;
        foreach (var d in degradations.OrderBy(d => d.From))
            if (!d.Ongoing && d.From >= start && d.From <= end && d.To > end) end = d.To;
        return (start, end < start ? start : end);
    }

    /// <summary>
    /// The event time of the engine's last change of the finding. An SRE's verdict (a <c>feedback:*</c> entry and the
    /// transition at its time) is stamped when it was given, perhaps long after, so it does not count.
    /// </summary>
    public static DateTimeOffset LastEngineChange(FindingView v)
    {
        var verdicts = v.History.Where(h => h.Kind.StartsWith("feedback:", StringComparison.Ordinal)).Select(h => h.At).ToHashSet();
        return v.History.Where(h => !h.Kind.StartsWith("feedback:", StringComparison.Ordinal) && !verdicts.Contains(h.At))
            .Select(h => h.At).DefaultIfEmpty(v.DetectedAt).Max();
    }

    /// <summary>
    /// Builds the overview from the findings, their updates, the signature days around the window and the status
    /// histories of their service regions (pure). A finding is in it when its active span meets the window.
    /// </summary>
    public static OverviewReport Build(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<FindingView> findings,
        IReadOnlyDictionary<string, UpdateImpact> updates, IReadOnlyList<SignatureDay> days, IReadOnlyList<ServiceStatusHistory> services)
    {
        var spans = services
            .GroupBy(h => ServiceKey(h.Service, h.Region), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.SelectMany(h => DegradedSpan.Of(h, from, to)).ToList(), StringComparer.Ordinal);
        var minutes = days
            .SelectMany(d => d.Minutes().Select(m => (d.Signature, m.Minute, m.Region, m.Crashes)))
            .Where(m => m.Minute >= from && m.Minute < to)
            .ToLookup(m => m.Signature, StringComparer.Ordinal);
        var lanes = new List<(OverviewLane Lane, FindingView View, List<(DateTimeOffset Minute, string Region, int Crashes)> Crashes)>();
        foreach (var v in findings)
        {
            var crashes = v.Current.Signatures.Select(s => s.Signature).Distinct(StringComparer.Ordinal)
                .SelectMany(s => minutes[s]).Select(m => (m.Minute, m.Region, m.Crashes)).ToList();
            var perMinute = crashes.GroupBy(c => c.Minute).OrderBy(g => g.Key).Select(g => new MinuteCount(g.Key, g.Sum(c => c.Crashes))).ToList();
            // Its service regions' degradations, the first to degrade first (a rollout shows as a staircase).
            var degradations = v.Current.Services.Select(x => ServiceKey(x.Service, x.Region)).Distinct(StringComparer.Ordinal)
                .SelectMany(k => spans.GetValueOrDefault(k) ?? [])
                .GroupBy(d => ServiceKey(d.Service, d.Region), StringComparer.Ordinal)
                .OrderBy(g => g.Min(d => d.From)).ThenBy(g => g.Key, StringComparer.Ordinal)
                .SelectMany(g => g.OrderBy(d => d.From)).ToList();
            var (start, end) = Active(v, perMinute, degradations, to);
            if (end < from || start >= to) continue;
            var update = updates.GetValueOrDefault(v.Current.UpdateId);
            var f = v.Current;
            var markers = new List<OverviewMarker>();
            if (update?.Releases.Count > 0) markers.Add(new OverviewMarker("release", update.Releases.Min(r => r.ReleasedAt), $"{f.Version} released"));
            if (update?.RecalledAt is { } recalled) markers.Add(new OverviewMarker("recall", recalled, "recalled" + (update.RecallReason is { } why ? ": " + why : "")));
            markers.Add(new OverviewMarker("detection", v.DetectedAt, "finding raised"));
            var closing = v.History.LastOrDefault(h => h.Kind is Correlation.TransitionKind.Resolved or Correlation.TransitionKind.Dismissed);
            if (closing is not null) markers.Add(new OverviewMarker(closing.Kind, closing.At, closing.Reason ?? closing.Kind));
            var regions = crashes.GroupBy(c => c.Region, StringComparer.Ordinal).Select(g => (Region: g.Key, Crashes: g.Sum(c => c.Crashes)))
                .Concat(f.Services.Select(s => (s.Region, Crashes: 0)))
                .GroupBy(r => r.Region, StringComparer.Ordinal)
                .Select(g => new RegionCount(g.Key, g.Sum(r => r.Crashes), f.Services.Where(s => s.Region == g.Key).Select(s => s.Service).Distinct().Order(StringComparer.Ordinal).ToList()))
                .OrderByDescending(r => r.Crashes).ThenBy(r => r.Region, StringComparer.Ordinal).ToList();
            var summary = FindingSummary.From(f, v.DetectedAt, v.UpdatedAt);
            lanes.Add((new OverviewLane(f.FindingId, f.UpdateId, $"{f.Vendor} {f.Product} {f.Version}", f.Status, f.Confidence,
                summary.Crashes, summary.Hosts, summary.ServiceRegions, start, end, perMinute, degradations,
                markers.OrderBy(m => m.At).ToList(), regions), v, crashes));
        }
        var ordered = FindingOrder.Sort(lanes, l => l.Lane.Confidence,
            l => new FindingOrder.Impact(l.Lane.Crashes, l.Lane.Hosts, l.Lane.ServiceRegions), l => l.View.DetectedAt, l => l.Lane.FindingId);

        var overlaps = new List<OverviewOverlap>();
        for (var i = 0; i < ordered.Count; i++)
        for (var j = i + 1; j < ordered.Count; j++)
        {
            var (a, b) = (ordered[i], ordered[j]);
            var start = Max(Max(a.Lane.ActiveFrom, b.Lane.ActiveFrom), from);
            var end = Min(Min(a.Lane.ActiveTo, b.Lane.ActiveTo), to);
            if (end <= start) continue;
            // A service counts where it was degraded while both were failing; one whose status history was not
            // given counts as the finding names it.
            IEnumerable<(string Service, string Region)> Degraded(OverviewLane lane, FindingView view) =>
                view.Current.Services
                    .Where(s => lane.Degradations.Any(d => d.Service == s.Service && d.Region == s.Region && d.From < end && d.To > start)
                        || !spans.ContainsKey(ServiceKey(s.Service, s.Region)))
                    .Select(s => (s.Service, s.Region));
            List<RegionShare> Shares(string region) =>
            [
                ..new[] { a, b }.Select(x => new RegionShare(x.Lane.FindingId,
                    x.Crashes.Where(c => c.Region == region && c.Minute >= start && c.Minute < end).Sum(c => c.Crashes),
                    Degraded(x.Lane, x.View).Where(s => s.Region == region).Select(s => s.Service).Distinct().Order(StringComparer.Ordinal).ToList())),
            ];
            var regions = new[] { a, b }
                .SelectMany(x => x.Crashes.Where(c => c.Minute >= start && c.Minute < end).Select(c => c.Region).Concat(Degraded(x.Lane, x.View).Select(s => s.Region)))
                .Distinct(StringComparer.Ordinal)
                .Select(r => new OverlapRegion(r, Shares(r)))
                .OrderByDescending(r => r.Findings.Sum(s => s.Crashes + s.Services.Count)).ThenBy(r => r.Region, StringComparer.Ordinal)
                .ToList();
            overlaps.Add(new OverviewOverlap([a.Lane.FindingId, b.Lane.FindingId], start, end, regions));
        }
        return new OverviewReport(from, to, ordered.Select(l => l.Lane).ToList(), overlaps);
    }

    /// <summary>How a service region is matched to its status history: <c>{service}@{region}</c>.</summary>
    public static string ServiceKey(string service, string region) => $"{service}@{region}";

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

/// <summary>
/// One finding on the timeline: failing from <see cref="ActiveFrom"/> to <see cref="ActiveTo"/>, its crashes per minute
/// (all its signatures, in the window), the spans in which its service regions were degraded (in the window; the
/// service region to degrade first comes first), markers (<c>release</c>, <c>recall</c>, <c>detection</c>,
/// <c>resolved</c>/<c>dismissed</c>) and where it failed.
/// </summary>
public sealed record OverviewLane(
    string FindingId,
    string UpdateId,
    string Label,
    string Status,
    double Confidence,
    int Crashes,
    int Hosts,
    int ServiceRegions,
    DateTimeOffset ActiveFrom,
    DateTimeOffset ActiveTo,
    IReadOnlyList<MinuteCount> PerMinute,
    IReadOnlyList<DegradedSpan> Degradations,
    IReadOnlyList<OverviewMarker> Markers,
    IReadOnlyList<RegionCount> Regions);

public sealed record OverviewMarker(string Kind, DateTimeOffset At, string Label);

/// <summary>A region's crashes in the window and the services degraded there.</summary>
public sealed record RegionCount(string Region, int Crashes, IReadOnlyList<string> Services);

/// <summary>Two findings failing at the same time, <see cref="From"/> to <see cref="To"/>, and what each did per region then.</summary>
public sealed record OverviewOverlap(IReadOnlyList<string> FindingIds, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<OverlapRegion> Regions);

public sealed record OverlapRegion(string Region, IReadOnlyList<RegionShare> Findings);

public sealed record RegionShare(string FindingId, int Crashes, IReadOnlyList<string> Services);
