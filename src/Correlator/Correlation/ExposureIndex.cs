namespace Correlator.Correlation;

/// <summary>
/// Which known hosts one update exposes and since when (hours), per platform, kept incrementally over the
/// append-only list of hosts known from their crash reports; rebuilt when the update's manifests change.
/// </summary>
public sealed class ExposureIndex(UpdateExposure update)
{
    private readonly Dictionary<string, double> _since = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedTimes> _byPlatform = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Platform, string Group), int> _strata = [];
    private readonly Dictionary<string, KnownHost> _hosts = new(StringComparer.Ordinal);
    private readonly List<double> _byIndex = [];
    private int _scanned;

    public UpdateExposure Update { get; } = update;

    public void CatchUp(IReadOnlyList<KnownHost> hosts)
    {
        for (; _scanned < hosts.Count; _scanned++)
        {
            _byIndex.Add(double.NaN);
            Set(hosts[_scanned], _scanned);
        }
    }

    /// <summary>Re-reads one host (an installation record arrived for it, or its place became known).</summary>
    public void Refresh(KnownHost host, int index)
    {
        if (index >= _scanned) return;
        Set(host, index);
    }

    private void Set(KnownHost h, int index)
    {
        var platform = h.Platform ?? "";
        _byIndex[index] = double.NaN;
        if (_since.Remove(h.HostId, out var old))
        {
            _byPlatform[platform].Remove(old);
            // The strata it was counted in: a host's place may have been learnt since.
            foreach (var g in Strata(_hosts[h.HostId])) _strata[(platform, g)]--;
        }
        if (Update.ExposedSince(h) is not { } at) return;
        var t = ChangeModel.Hours(at);
        _since[h.HostId] = t;
        _byIndex[index] = t;
        _hosts[h.HostId] = h;
        foreach (var g in Strata(h)) _strata[(platform, g)] = _strata.GetValueOrDefault((platform, g)) + 1;
        if (!_byPlatform.TryGetValue(platform, out var times)) _byPlatform[platform] = times = new SortedTimes();
        times.Add(t);
    }

    /// <summary>The sub-groups of the exposed hosts an unknown cause may strike: those in one region, in one fleet.</summary>
    public static IEnumerable<string> Strata(KnownHost h)
    {
        if (h.Region is { } r) yield return $"region {r}";
        if (h.Fleet is { } f) yield return $"fleet {f}";
    }

    /// <summary>Exposed known hosts of a platform in one stratum (<c>region …</c>, <c>fleet …</c>).</summary>
    public int StratumSize(string platform, string stratum) => _strata.GetValueOrDefault((platform, stratum));

    /// <summary>
    /// The fleets (<c>fleet …</c>) of a platform's exposed known hosts; empty when any of them has no fleet, unless the
    /// update targets fleets (a host whose fleet is unknown is exposed to it only as a possible member).
    /// </summary>
    public HashSet<string> Fleets(string platform)
    {
        var fleets = _strata.Where(x => x.Key.Platform == platform && x.Value > 0 && x.Key.Group.StartsWith("fleet ", StringComparison.Ordinal))
            .Select(x => x.Key.Group).ToHashSet(StringComparer.Ordinal);
        var inFleets = fleets.Sum(f => _strata[(platform, f)]);
        var exposed = _byPlatform.GetValueOrDefault(platform)?.Count ?? 0;
        return inFleets == exposed || (Update.TargetsFleets && inFleets > 0) ? fleets : [];
    }

    public bool TryGet(string hostId, out double since) => _since.TryGetValue(hostId, out since);

    /// <summary>When the known host with this index (its place in the list caught up with) was exposed, else NaN.</summary>
    public double Since(int hostIndex) => hostIndex < _byIndex.Count ? _byIndex[hostIndex] : double.NaN;

    public SortedTimes? Platform(string platform) => _byPlatform.GetValueOrDefault(platform);
}
