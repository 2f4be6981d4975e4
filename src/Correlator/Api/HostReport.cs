namespace Correlator.Api;

/// <summary>The answer of <c>GET /api/hosts/{hostId}</c>: a host's crashes and installations, merged in event time.</summary>
public sealed record HostReport(
    string HostId,
    string? Platform,
    string? Region,
    string? Fleet,
    string? OsVersion,
    int Crashes,
    int Installations,
    IReadOnlyList<HostEvent> Timeline)
{
    public static HostReport From(HostTimeline h) => new(
        h.HostId, h.Platform, h.Region, h.Fleet, h.OsVersion, h.Crashes.Count, h.Installations.Count,
        h.Crashes.Select(c => new HostEvent(c.OccurredAt, "crash", c.Signature, null, c.Module))
            .Concat(h.Installations.Select(i => new HostEvent(i.InstalledAt, "installation", null, i.UpdateId, null)))
            .OrderBy(e => e.At).ThenBy(e => e.Kind, StringComparer.Ordinal)
            .ToList());
}

/// <summary><c>crash</c> (with its signature and faulting module) or <c>installation</c> (with the update).</summary>
public sealed record HostEvent(DateTimeOffset At, string Kind, string? Signature, string? UpdateId, string? Module);
