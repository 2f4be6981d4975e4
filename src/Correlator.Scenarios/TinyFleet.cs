using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>A dozen hosts of a small fleet; most of them crash after an update: a strong effect in tiny counts.</summary>
public static class TinyFleet
{
    public static readonly FleetSpec Pharmacy = new("pharmacy-dispensers", "windows", 12,
        [("win11", 1)], [("eastus", 1)], ["DispenseStation.exe", "explorer.exe"], Falcon: 1, IntelRst: 0.5);

    public static Scenario Generate(string name, int seed)
    {
        var b = new ScenarioBuilder(seed, Ordinary.At(9, 16, 0), Ordinary.At(9, 18, 0));
        b.Fleet = Fleet.Build(b.Rng, [.. StandardFleets.All, Pharmacy], 0.4, 1);
        BenignUpdates.Everyday(b);
        // Sizes scale with the fleet; the dispensers stay twelve.
        var hosts = b.Fleet.InFleet(Pharmacy.Name).ToList();
        Ordinary.Equip(hosts, "ccardrdr.sys", "3.0.0.8");
        const string updateId = "contoso/card-reader-driver/3.0.1";
        b.Release(new UpdateReleased("", updateId, "Contoso Devices", "Card reader driver", "3.0.1", Ordinary.At(9, 16, 15), "driver", ["windows"],
            new UpdateTargets(Fleets: [Pharmacy.Name]), [new Artifact("ccardrdr.sys", "3.0.1.2")]));
        var installed = Rollout.Install(b, updateId, hosts, Ordinary.At(9, 16, 15), Ordinary.At(9, 16, 17), 1.0, (h, at) => h.Change(at, "ccardrdr.sys", "3.0.1.2"));
        var crashes = Outbreak.Crashes(b, installed.Select(kv => (kv.Key, kv.Value)), 0.8,
            r => TimeSpan.FromMinutes(10 + r.NextDouble() * 240), (h, t) => Crashes.WindowsKernel(b, h, t, "0xD1", "ccardrdr.sys", "usbccgp.sys"),
            r => Outbreak.Geometric(r, 1.6, 4), r => Outbreak.Minutes(r, 20, 300));
        b.Culprit(updateId, ScenarioBuilder.Significant(crashes));
        return Ordinary.Finish(b, name,
            $"The pharmacy-dispensers fleet has 12 hosts. The card reader driver 3.0.1 installs on all of them on 16 Sep and " +
            $"{crashes.Select(c => c.HostId).Distinct().Count()} crash with 0xD1 in ccardrdr.sys ({crashes.Count} crashes), a signature never seen before. " +
            $"Correct conclusion: {updateId} is the culprit although the counts are tiny next to the rest of the {b.Fleet.Hosts.Count}-host fleet.");
    }
}
