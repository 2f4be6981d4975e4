using Correlator.Correlation;
using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>
/// A gateway configuration rolled out region by region (a second and third <c>release</c> widen its targets); each region's
/// services degrade minutes after the wave reaches it. No crashes at all.
/// </summary>
public static class ConfigRolloutRegions
{
    public static Scenario Generate(string name, int seed)
    {
        var b = Ordinary.Begin(seed, Ordinary.At(9, 3, 0), Ordinary.At(9, 5, 0), 0.35);
        const string updateId = "internal/edge-gateway/config-2024-09-03";
        string[] services = ["checkout-api", "payments-api"];
        var waves = new (string Region, DateTimeOffset At)[]
        {
            ("westeurope", Ordinary.At(9, 3, 9)), ("eastus", Ordinary.At(9, 3, 13, 30)), ("centralus", Ordinary.At(9, 3, 16)),
        };
        var regions = new List<string>();
        foreach (var (region, at) in waves)
        {
            regions.Add(region);
            b.Release(new UpdateReleased("", updateId, "Platform Engineering", "edge-gateway", "2024-09-03.1", waves[0].At, "config",
                Targets: new UpdateTargets(Regions: [.. regions], Services: services), Affects: ["edge-gateway", .. services],
                Rollout: [.. waves.TakeWhile(w => w.At <= at).Select(w => new RolloutWave(w.At, 100.0 * regions.Count / 4))]), at);
        }
        var rolledBack = Ordinary.At(9, 3, 19, 20);
        b.Recall(updateId, rolledBack, "Connection-pool limits too low for production traffic; rolled back in all regions.");
        var degradations = new List<Degradation>();
        foreach (var (region, at) in waves)
            foreach (var service in services.Where(s => ServiceStatusFeed.Standard().Any(x => x.Service == s && x.Region == region)))
            {
                var from = at + TimeSpan.FromMinutes(b.Rng.Next(4, 16));
                degradations.Add(new Degradation(service, region, from, rolledBack + TimeSpan.FromMinutes(b.Rng.Next(10, 40)),
                    service == "checkout-api" ? "partial_outage" : "degraded", $"Elevated 503s and connection resets from edge-gateway in {region}."));
            }
        BenignUpdates.ConfigChange(b, "internal/feature-flags/checkout-new-cart-2024-09-03", "Commerce Platform", "feature-flags", Ordinary.At(9, 3, 8, 40),
            ["westeurope", "eastus", "centralus", "southeastasia"], ["checkout-api"]);
        b.Culprit(updateId, degradations.Select(d => Signature.OfService(d.Service, d.Region)));
        return Ordinary.Finish(b, name,
            "An edge-gateway configuration rolls out to westeurope at 09:00Z on 3 Sep, then eastus (13:30Z) and centralus (16:00Z): each wave " +
            "is a second release of the same updateId widening targets.regions. checkout-api and payments-api degrade in each region " +
            "minutes after its wave and recover after the rollback at 19:20Z; southeastasia, never reached, stays healthy. No crashes are involved. " +
            $"Correct conclusion: {updateId} is the culprit for the service signatures in the three regions; the global feature-flag change " +
            "20 minutes before the first wave is not.", degradations);
    }
}
