using Correlator.Correlation;
using Correlator.Ingestion.Events;

namespace Correlator.Rollouts;

/// <summary>
/// Read model of one host (id = hostId) for the rollout gate and the blast radius: what its crash reports say it is
/// (platform, region, fleet, OS build, loaded modules of its latest report) and when it failed with what signature.
/// Every time is kept twice: event time (<c>At</c>) and knowledge time (<c>Known</c>, the Kafka record time), so the
/// gate can be asked what it would have said at any earlier moment. Installations are not here: the gate reads the
/// one update's from <c>UpdateImpact</c>. Stored as rows (<see cref="FleetHostProjection"/>), held as this object in
/// memory by the gate; <see cref="Apply"/> builds the same object from events for the pure backtests.
/// </summary>
public sealed class FleetHost
{
    /// <summary>Crashes kept per host: the newest win (a host in a boot loop for weeks is one failure episode anyway).</summary>
    public const int MaxFailures = 500;

    public string Id { get; set; } = "";
    public string? Platform { get; set; }
    public string? Region { get; set; }
    public string? Fleet { get; set; }
    public string? OsVersion { get; set; }
    public DateTimeOffset? LatestReportAt { get; set; }
    /// <summary>Loaded modules (lower-cased name → version) of the latest crash report.</summary>
    public Dictionary<string, string?> Modules { get; set; } = [];
    /// <summary>Crashes in event-time order.</summary>
    public List<HostFailure> Failures { get; set; } = [];

    /// <summary>Whether a crash report ever described this host (otherwise only installations name it).</summary>
    public bool Described => Platform is not null;

    public void Apply(CrashReported e)
    {
        Id = e.HostId;
        var known = e.ObservedAt == default ? e.OccurredAt : e.ObservedAt;
        var failure = new HostFailure(e.OccurredAt, known, Signature.Of(e));
        var at = Failures.Count == 0 || Failures[^1].At <= e.OccurredAt ? Failures.Count : Failures.FindIndex(f => f.At > e.OccurredAt);
        Failures.Insert(at, failure);
        if (Failures.Count > MaxFailures) Failures.RemoveAt(0);
        Platform ??= e.Platform.ToLowerInvariant();
        if (LatestReportAt is null || e.OccurredAt >= LatestReportAt)
        {
            LatestReportAt = e.OccurredAt;
            Region = Blank(e.Region) ?? Region;
            Fleet = Blank(e.Fleet) ?? Fleet;
            OsVersion = Blank(e.OsVersion) ?? OsVersion;
            if (e.Modules is { Count: > 0 } modules)
            {
                Modules.Clear();
                foreach (var m in modules.Take(256)) Modules[m.Name.Trim().ToLowerInvariant()] = m.Version;
            }
        }
    }

    /// <summary>The host as the projection stores it, from its rows (failures in any order).</summary>
    public static FleetHost FromRow(FleetHostRow row, IEnumerable<HostFailure> failures)
    {
        var h = new FleetHost
        {
            Id = row.HostId, Platform = row.Platform, Region = row.Region, Fleet = row.Fleet, OsVersion = row.OsVersion,
            LatestReportAt = row.At,
            Modules = row.ModulesJson is null ? [] : System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string?>>(row.ModulesJson) ?? [],
        };
        h.Failures.AddRange(failures.OrderBy(f => f.At));
        if (h.Failures.Count > MaxFailures) h.Failures.RemoveRange(0, h.Failures.Count - MaxFailures);
        return h;
    }

    public KnownHost AsKnown() => new(Id, Platform, Region, Fleet, OsVersion);

    internal static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>One crash report as a <c>fleet_hosts</c> row: the attributes it says its host has, normalised as <see cref="FleetHost.Apply"/> does.</summary>
public sealed record FleetHostRow(string HostId, string? Platform, string? Region, string? Fleet, string? OsVersion, DateTimeOffset At, DateTimeOffset Known, string? ModulesJson)
{
    public static FleetHostRow Of(CrashReported e)
    {
        var known = e.ObservedAt == default ? e.OccurredAt : e.ObservedAt;
        string? modules = null;
        if (e.Modules is { Count: > 0 } list)
        {
            var d = new Dictionary<string, string?>();
            foreach (var m in list.Take(256)) d[m.Name.Trim().ToLowerInvariant()] = m.Version;
            modules = System.Text.Json.JsonSerializer.Serialize(d);
        }
        return new(e.HostId, e.Platform.ToLowerInvariant(), FleetHost.Blank(e.Region), FleetHost.Blank(e.Fleet), FleetHost.Blank(e.OsVersion),
            e.OccurredAt.ToUniversalTime(), known.ToUniversalTime(), modules);
    }
}

public sealed record HostFailure(DateTimeOffset At, DateTimeOffset Known, string Signature);

/// <summary>A host's installation of the update a gate is about: its first installation time, and when that was known.</summary>
public sealed record HostExposure(string HostId, DateTimeOffset At, DateTimeOffset Known);
