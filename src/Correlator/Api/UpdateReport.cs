using Correlator.Ingestion.Events;

namespace Correlator.Api;

/// <summary>The answer of <c>GET /api/updates/{updateId}</c>: what the update is, who got it, what failed after it.</summary>
public sealed record UpdateReport(
    string UpdateId,
    MergedRelease? Release,
    UpdateRecall? Recall,
    UpdateExposureReport Exposure,
    FailureWindow Failures,
    IReadOnlyList<UpdateFinding> Findings)
{
    /// <summary>Failures are shown from an hour before the release to a day after it.</summary>
    public static readonly TimeSpan Before = TimeSpan.FromHours(1), After = TimeSpan.FromHours(24);
    public const int MaxHosts = 500;

    public static (DateTimeOffset From, DateTimeOffset To) WindowOf(UpdateImpact u)
    {
        var start = u.Releases.Count > 0 ? u.Releases.Min(r => r.ReleasedAt)
            : u.Installations.Count > 0 ? u.Installations.Values.Min()
            : u.RecalledAt ?? DateTimeOffset.UnixEpoch;
        return (start - Before, start + After);
    }

    public static UpdateReport From(UpdateImpact u, IReadOnlyList<SignatureDay> days, IReadOnlyList<UpdateFinding> findings)
    {
        var (from, to) = WindowOf(u);
        var installs = u.Installations.Select(i => new UpdateInstallation(i.Key, i.Value))
            .OrderBy(i => i.InstalledAt).ThenBy(i => i.HostId, StringComparer.Ordinal).ToList();
        var exposure = new UpdateExposureReport(
            installs.Count > 0 ? "installations" : "targets",
            installs.Count,
            installs.FirstOrDefault()?.InstalledAt,
            installs.LastOrDefault()?.InstalledAt,
            installs.Take(MaxHosts).ToList(),
            installs.GroupBy(i => Correlation.TimeBuckets.Minute(i.InstalledAt)).Select(g => new MinuteCount(g.Key, g.Count())).ToList());
        var series = days
            .SelectMany(d => d.Minutes().Select(m => (m.Minute, d.Signature, m.Region, m.Crashes)))
            .Where(m => m.Minute >= from && m.Minute < to)
            .GroupBy(x => (x.Signature, x.Region))
            .Select(g => new FailureSeries(g.Key.Signature, g.Key.Region, g.Sum(x => x.Crashes),
                g.OrderBy(x => x.Minute).Select(x => new MinuteCount(x.Minute, x.Crashes)).ToList()))
            .OrderByDescending(s => s.Crashes).ThenBy(s => s.Signature, StringComparer.Ordinal).ThenBy(s => s.Region, StringComparer.Ordinal)
            .ToList();
        return new UpdateReport(
            u.Id,
            MergedRelease.From(u.Releases),
            u.RecalledAt is { } r ? new UpdateRecall(r, u.RecallReason) : null,
            exposure,
            new FailureWindow(from, to, series),
            findings.OrderByDescending(f => f.Confidence).ThenBy(f => f.FindingId, StringComparer.Ordinal).ToList());
    }
}

public sealed record UpdateRecall(DateTimeOffset RecalledAt, string? Reason);

/// <summary>
/// <c>installations</c>: the hosts that reported installing it. <c>targets</c>: no host reported an installation, so it
/// exposes every host its manifest targets (platforms, regions, fleets, OS versions, modules it affects).
/// </summary>
public sealed record UpdateExposureReport(
    string Basis,
    int InstalledHosts,
    DateTimeOffset? FirstInstalledAt,
    DateTimeOffset? LastInstalledAt,
    IReadOnlyList<UpdateInstallation> Hosts,
    IReadOnlyList<MinuteCount> InstallationsPerMinute);

public sealed record FailureWindow(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<FailureSeries> Series);

public sealed record FailureSeries(string Signature, string Region, int Crashes, IReadOnlyList<MinuteCount> PerMinute);

public sealed record MinuteCount(DateTimeOffset At, int Count);

/// <summary>A release and its amendments as one: the earliest start, every target, artifact and wave.</summary>
public sealed record MergedRelease(
    string Vendor,
    string Product,
    string Version,
    string? Kind,
    DateTimeOffset ReleasedAt,
    int Manifests,
    IReadOnlyList<string> Platforms,
    UpdateTargets Targets,
    IReadOnlyList<Artifact> Artifacts,
    IReadOnlyList<string> Affects,
    IReadOnlyList<RolloutWave> Rollout,
    string? Supersedes)
{
    public static MergedRelease? From(IReadOnlyList<UpdateReleased> releases)
    {
        if (releases.Count == 0) return null;
        var first = releases.OrderBy(r => r.ReleasedAt).First();
        var latest = releases[^1];
        static List<string> Union(IEnumerable<IReadOnlyList<string>?> lists) =>
            lists.Where(l => l is not null).SelectMany(l => l!).Distinct(StringComparer.Ordinal).ToList();
        return new MergedRelease(
            latest.Vendor, latest.Product, latest.Version, releases.Select(r => r.Kind).LastOrDefault(k => k is not null),
            first.ReleasedAt, releases.Count,
            Union(releases.Select(r => r.Platforms)),
            new UpdateTargets(
                Union(releases.Select(r => r.Targets?.Regions)), Union(releases.Select(r => r.Targets?.Services)),
                Union(releases.Select(r => r.Targets?.Fleets)), Union(releases.Select(r => r.Targets?.OsVersions))),
            releases.SelectMany(r => r.Artifacts ?? []).DistinctBy(a => a.Name.ToLowerInvariant()).ToList(),
            Union(releases.Select(r => r.Affects)),
            releases.SelectMany(r => r.Rollout ?? []).Distinct().OrderBy(w => w.StartsAt).ToList(),
            releases.Select(r => r.Supersedes).LastOrDefault(s => s is not null));
    }
}
