using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>
/// A regional outage with no update behind it. A feature-flag change targeted that region and named one of the services
/// that go down, but a day and a half earlier; a configuration change minutes before the outage went to another region.
/// </summary>
public static class RegionalOutageAfterFlag
{
    public static Scenario Generate(string name, int seed)
    {
        var b = Ordinary.Begin(seed, Ordinary.At(10, 14, 0), Ordinary.At(10, 17, 0), 0.45);
        const string flag = "internal/feature-flags/payments-retry-2024-10-15";
        var flagAt = Ordinary.At(10, 15, 8, 5);
        BenignUpdates.ConfigChange(b, flag, "Payments", "feature-flags", flagAt, ["eastus"], ["payments-api"]);
        const string elsewhere = "microsoft/azure-frontdoor/config-2024-10-16-weu";
        var outage = Ordinary.At(10, 16, 14, 22);
        BenignUpdates.ConfigChange(b, elsewhere, "Microsoft", "Azure Front Door", outage - TimeSpan.FromMinutes(19), ["westeurope"], ["Azure Front Door"]);

        var recovered = Ordinary.At(10, 16, 19, 40);
        var degradations = new List<Degradation>();
        foreach (var service in new[] { "Azure Storage", "Azure Virtual Machines", "Azure SQL Database", "Azure App Service", "Microsoft 365", "payments-api", "checkout-api", "store-sync" })
            degradations.Add(new Degradation(service, "eastus", outage + TimeSpan.FromMinutes(b.Rng.Next(0, 16)), recovered + TimeSpan.FromMinutes(b.Rng.Next(0, 90)),
                service is "payments-api" or "checkout-api" ? "major_outage" : "partial_outage",
                "A cooling failure in one availability zone in East US took storage and compute scale units offline."));
        var vms = b.Fleet.Hosts.Where(h => h.CloudVm && h.Region == "eastus").Select(h => (h, outage)).ToList();
        Outbreak.Crashes(b, vms.Where(x => x.h.IsWindows), 0.3, r => Outbreak.Minutes(r, 2, 150),
            (h, t) => Crashes.WindowsKernel(b, h, t, b.PickWeighted([("0x7A", 0.65), ("0xEF", 0.35)]), b.PickWeighted([("storport.sys", 0.6), ("ntoskrnl.exe", 0.4)])),
            until: recovered);
        Outbreak.Crashes(b, vms.Where(x => !x.h.IsWindows), 0.15, r => Outbreak.Minutes(r, 2, 150),
            (h, t) => Crashes.LinuxKernel(b, h, t, Crashes.PanicText(b.Rng, "INFO: task kworker/u64:{cpu}:{pid} blocked for more than 120 seconds."),
                h.Modules.ContainsKey("xfs") ? "xfs" : "ext4"),
            until: recovered);
        return Ordinary.Finish(b, name,
            $"At 14:22Z on 16 Oct a cooling failure in East US takes Azure and internal services there down (payments-api and checkout-api " +
            $"hard down) and crashes VMs in eastus (0x7A/0xEF on Windows, hung-task panics on Linux). {flag}, a feature flag targeted at " +
            $"eastus that names payments-api, was released at 08:05Z on 15 Oct, 30 hours earlier, and nothing went wrong in between; " +
            $"{elsewhere} went to westeurope 19 minutes before the outage. No update is behind the failure. Correct conclusion: no " +
            "culprits: a configuration change in full effect for a day and a half before a sudden regional outage is no likelier its " +
            "cause than the outage itself, and a change to another region cannot explain failures in this one.", degradations);
    }
}
