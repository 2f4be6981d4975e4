namespace Correlator.Scenarios;

/// <summary>Installs an update across hosts over a time span: one installation record per host that reports it.</summary>
public static class Rollout
{
    /// <summary>
    /// Each host (with probability <paramref name="coverage"/>) installs at a uniform time in [from, to);
    /// <paramref name="apply"/> changes its versions. About 2% of hosts never report the installation.
    /// Returns the hosts that installed it and when.
    /// </summary>
    public static Dictionary<Host, DateTimeOffset> Install(ScenarioBuilder b, string updateId, IEnumerable<Host> hosts,
        DateTimeOffset from, DateTimeOffset to, double coverage = 1.0, Action<Host, DateTimeOffset>? apply = null, DateTimeOffset? arrival = null)
    {
        var installed = new Dictionary<Host, DateTimeOffset>();
        foreach (var h in hosts)
        {
            if (b.Chance() >= coverage) continue;
            var at = b.Between(from, to);
            installed[h] = at;
            apply?.Invoke(h, at);
            if (b.InWindow(at) && b.Chance() >= 0.02) b.Install(updateId, h, at, arrival is { } a && a > at ? a : null);
        }
        return installed;
    }
}
