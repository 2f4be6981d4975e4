using Correlator.Correlation;
using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>
/// A feature-flag change targeted at one region breaks it within minutes: the store client that reads the flag
/// crash-loops on the region's POS terminals and the checkout service there degrades. A flag in the same region three
/// hours earlier and a POS client deploy the day before are innocent.
/// </summary>
public static class RegionalFlagFailure
{
    public static Scenario Generate(string name, int seed)
    {
        var b = Ordinary.Begin(seed, Ordinary.At(10, 1, 0), Ordinary.At(10, 3, 12), 0.45);
        const string earlier = "internal/feature-flags/store-sync-batching-2024-10-02";
        BenignUpdates.ConfigChange(b, earlier, "Stores", "feature-flags", Ordinary.At(10, 2, 7, 10), ["westeurope"], ["store-sync"]);
        var deploy = BenignUpdates.InternalDeploy(b, "Stores", "pos-client", "pos-terminals", "2024.10.01.99", Ordinary.At(10, 1, 15, 40));

        const string flag = "internal/feature-flags/checkout-split-tender-2024-10-02";
        var released = Ordinary.At(10, 2, 10, 14);
        b.Release(new UpdateReleased("", flag, "Commerce Platform", "feature-flags", "2024.10.02.1014", released, "config",
            Targets: new UpdateTargets(Regions: ["westeurope"], Services: ["checkout-api"]), Affects: ["checkout-api", "PosClient.exe"]));
        var rolledBack = Ordinary.At(10, 2, 11, 2);
        b.Recall(flag, rolledBack, "Split-tender flow dereferences a null payment token in PosClient.exe; flag turned off.");

        // Terminals poll the flag service every few minutes; the client crashes on the next checkout and restarts into it again.
        var terminals = b.Fleet.InFleet("pos-terminals").Where(h => h.Region == "westeurope").ToList();
        var exposures = terminals.Select(h => (h, released + b.Exponential(TimeSpan.FromMinutes(3)))).ToList();
        var crashes = Outbreak.Crashes(b, exposures, 0.45, r => Outbreak.Minutes(r, 0.3, 6),
            (h, t) => Crashes.WindowsUser(b, h, t, "0xC0000005", "PosClient.exe", "PosClient.exe"),
            r => Outbreak.Geometric(r, 3, 8), r => Outbreak.Minutes(r, 1, 5), until: rolledBack + TimeSpan.FromMinutes(4));
        var degradations = new List<Degradation>
        {
            new("checkout-api", "westeurope", released + TimeSpan.FromMinutes(b.Rng.Next(3, 8)), rolledBack + TimeSpan.FromMinutes(b.Rng.Next(8, 20)),
                "partial_outage", "Elevated 500s on split-tender checkouts in westeurope."),
        };
        b.Culprit(flag, ScenarioBuilder.Significant(crashes).Concat(degradations.Select(d => Signature.OfService(d.Service, d.Region))));
        return Ordinary.Finish(b, name,
            $"At 10:14Z on 2 Oct {flag}, a feature flag targeted at westeurope that names checkout-api and affects PosClient.exe, turns on " +
            $"split tender. Within minutes PosClient.exe crash-loops (0xC0000005) on {crashes.Select(c => c.HostId).Distinct().Count()} POS " +
            "terminals in westeurope and checkout-api there degrades; the flag is turned off at 11:02Z. Innocent: " +
            $"{earlier} (westeurope, three hours earlier) and {deploy} (all POS terminals, the day before). Correct conclusion: {flag} " +
            "is the culprit, found within minutes.", degradations);
    }
}
