namespace Correlator.Correlation;

/// <summary>
/// Hosts whose reports never named their region or fleet. A missing place is unknown, not "elsewhere": such a host
/// may belong to any group of that dimension, for an update's targets (<see cref="UpdateExposure"/>) and for an
/// unknown local cause alike, so a push to one fleet and "something in that fleet" both keep its failures.
/// </summary>
internal sealed class UnplacedHosts
{
    private readonly Dictionary<(string Platform, string? Region, string? Fleet), int> _counts = [];
    private readonly Dictionary<string, (string? Region, string? Fleet)> _groups = new(StringComparer.Ordinal);

    /// <summary>The groups an unknown local cause may strike: every host, a region, a fleet, a fleet in a region.</summary>
    public IEnumerable<string> GroupsOf(KnownHost h)
    {
        yield return Named("all hosts", null, null);
        if (h.Region is { } r) yield return Named($"region {r}", r, null);
        if (h.Fleet is { } f) yield return Named($"fleet {f}", null, f);
        if (h.Region is not null && h.Fleet is not null) yield return Named($"fleet {h.Fleet} in region {h.Region}", h.Region, h.Fleet);
    }

    private string Named(string name, string? region, string? fleet)
    {
        _groups.TryAdd(name, (region, fleet));
        return name;
    }

    public void Count(KnownHost h, int delta)
    {
        if (h.Platform is null || (h.Region is not null && h.Fleet is not null)) return;
        _counts[(h.Platform, h.Region, h.Fleet)] = _counts.GetValueOrDefault((h.Platform, h.Region, h.Fleet)) + delta;
    }

    /// <summary>Whether a host that is not a known member of the group may be in it (it lacks a dimension the group names).</summary>
    public bool MayJoin(string group, string? region, string? fleet) =>
        _groups.TryGetValue(group, out var g) && Admits(g, region, fleet);

    private static bool Admits((string? Region, string? Fleet) g, string? region, string? fleet) =>
        (g.Region is null || region is null || string.Equals(g.Region, region, StringComparison.Ordinal)) &&
        (g.Fleet is null || fleet is null || string.Equals(g.Fleet, fleet, StringComparison.Ordinal)) &&
        ((g.Region is not null && region is null) || (g.Fleet is not null && fleet is null));

    /// <summary>Hosts of a platform that may be in the group beyond its known members.</summary>
    public int Extra(string platform, string group)
    {
        if (!_groups.TryGetValue(group, out var g) || (g.Region is null && g.Fleet is null)) return 0;
        var n = 0;
        foreach (var ((p, region, fleet), count) in _counts)
            if (p == platform && Admits(g, region, fleet)) n += count;
        return n;
    }
}
