using Correlator.Correlation;
using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>
/// A configuration rolled out region by region, each wave a release widening its targets; the services it names
/// degrade minutes after each wave reaches their region and recover after a rollback hours later. No crashes. The
/// degraded services' status source publishes transitions only (one partial_outage, one operational per region);
/// a random share of the other sources too. Randomized over the seed: services, waves, gaps, delays, durations.
/// </summary>
public static class TransitionOnlyRollout
{
    public static Scenario Generate(string name, int seed)
    {
        var b = Ordinary.Begin(seed, Ordinary.At(10, 1, 0), Ordinary.At(10, 3, 0), 0.3);
        var rng = b.Rng;
        var all = ServiceStatusFeed.Standard();
        var named = all.Select(s => s.Service).Distinct().Where(s => !s.StartsWith("Microsoft", StringComparison.Ordinal))
            .OrderBy(_ => rng.Next()).Take(rng.Next(1, 3)).ToArray();
        var regions = ServiceStatusFeed.Regions.Where(r => all.Any(s => named.Contains(s.Service) && s.Region == r))
            .OrderBy(_ => rng.Next()).ToList();
        var waveCount = Math.Min(regions.Count, rng.Next(2, 5));
        var updateId = $"internal/edge-config/{seed}";
        var t = Ordinary.At(10, 1, 6) + TimeSpan.FromMinutes(rng.Next(0, 240));
        var waves = new List<(string Region, DateTimeOffset At)>();
        for (var i = 0; i < waveCount; i++)
        {
            waves.Add((regions[i], t));
            t += TimeSpan.FromMinutes(rng.Next(30, 240));
        }
        var reached = new List<string>();
        foreach (var (region, at) in waves)
        {
            reached.Add(region);
            b.Release(new UpdateReleased("", updateId, "Platform Engineering", "edge-config", $"{seed}.1", waves[0].At, "config",
                Targets: new UpdateTargets(Regions: [.. reached], Services: named), Affects: named,
                Rollout: [.. waves.TakeWhile(w => w.At <= at).Select(w => new RolloutWave(w.At, 100.0 * reached.Count / regions.Count))]), at);
        }
        var rollback = waves[^1].At + TimeSpan.FromMinutes(rng.Next(60, 300));
        b.Recall(updateId, rollback, "Rolled back in all regions.");
        var degradations = new List<Degradation>();
        foreach (var (region, at) in waves)
            foreach (var service in named.Where(s => all.Any(x => x.Service == s && x.Region == region)))
                degradations.Add(new Degradation(service, region, at + TimeSpan.FromMinutes(rng.Next(2, 20)),
                    rollback + TimeSpan.FromMinutes(rng.Next(5, 40)), rng.NextDouble() < 0.7 ? "partial_outage" : "degraded",
                    $"Elevated errors for {service} in {region}."));
        BenignUpdates.ConfigChange(b, $"internal/feature-flags/{seed}", "Commerce Platform", "feature-flags",
            waves[0].At - TimeSpan.FromMinutes(rng.Next(20, 180)), [.. ServiceStatusFeed.Regions], [b.Pick(named)]);
        b.Culprit(updateId, degradations.Select(d => Signature.OfService(d.Service, d.Region)));

        var transitions = all.Where(s => named.Contains(s.Service) || rng.NextDouble() < 0.4).ToList();
        BackgroundNoise.Add(b);
        ServiceStatusFeed.Add(b, all.Except(transitions).ToList(), degradations);
        TransitionStatusFeed.Add(b, transitions, degradations);
        return b.Build(name,
            $"{updateId} (config) rolls out to {string.Join(", ", waves.Select(w => $"{w.Region} at {w.At:HH:mm}Z"))}; " +
            $"{string.Join(", ", named)} degrade minutes after each wave and recover after the rollback at {rollback:HH:mm}Z. " +
            "Their status source publishes transitions only. No crashes. Correct conclusion: the config is the culprit.");
    }
}
