namespace Correlator.Correlation;

/// <summary>
/// How many known hosts an update exposes, per platform and per region/fleet: the denominators of the
/// exposure contrast and the reference of the heterogeneity test. Kept incrementally over the append-only
/// list of hosts that have reported crashes; rebuilt when the update's manifest changes.
/// </summary>
public sealed class ExposedPopulation(UpdateExposure update)
{
    private int _scanned;
    private readonly Dictionary<string, int> _exposedByPlatform = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Dim, string Platform, string Value), int> _strata = [];

    public UpdateExposure Update { get; } = update;

    public void CatchUp(IReadOnlyList<KnownHost> crashHosts)
    {
        if (Update.InstallBased) return;
        for (; _scanned < crashHosts.Count; _scanned++)
        {
            var h = crashHosts[_scanned];
            if (Update.ExposedSince(h) is null) continue;
            var p = h.Platform ?? "";
            _exposedByPlatform[p] = _exposedByPlatform.GetValueOrDefault(p) + 1;
            if (h.Region is { } r) Bump(("region", p, r));
            if (h.Fleet is { } f) Bump(("fleet", p, f));
        }
    }

    private void Bump((string, string, string) key) => _strata[key] = _strata.GetValueOrDefault(key) + 1;

    /// <summary>Share of known hosts of that platform the update exposes.</summary>
    public double ExposedFraction(string platform, int knownOfPlatform, int installOnlyHosts)
    {
        if (Update.InstallBased)
        {
            var denom = knownOfPlatform + installOnlyHosts;
            return denom == 0 ? 1 : Math.Min(1, (double)Update.Installs.Count / denom);
        }
        return knownOfPlatform == 0 ? 1 : Math.Min(1, (double)_exposedByPlatform.GetValueOrDefault(platform) / knownOfPlatform);
    }

    /// <summary>Exposed known hosts per value of <paramref name="dim"/> (<c>region</c> or <c>fleet</c>).</summary>
    public Dictionary<string, int> Strata(string dim, string platform, IReadOnlyDictionary<string, KnownHost> hosts)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        if (Update.InstallBased)
        {
            foreach (var id in Update.Installs.Keys)
            {
                if (!hosts.TryGetValue(id, out var h) || h.Platform != platform) continue;
                var v = dim == "region" ? h.Region : h.Fleet;
                if (v is not null) result[v] = result.GetValueOrDefault(v) + 1;
            }
            return result;
        }
        foreach (var ((d, p, v), n) in _strata)
            if (d == dim && p == platform) result[v] = n;
        return result;
    }
}
