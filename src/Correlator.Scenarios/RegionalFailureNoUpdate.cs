using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>A regional power failure: services and VMs in one region fail, with no update behind it; a harmless update went everywhere shortly before.</summary>
public static class RegionalFailureNoUpdate
{
    public static Scenario Generate(string name, int seed)
    {
        var b = Ordinary.Begin(seed, Ordinary.At(9, 23, 0), Ordinary.At(9, 25, 0), 0.45);
        const string harmless = "microsoft/azure-vm-agent/2.7.41491.1130";
        b.Release(new UpdateReleased("", harmless, "Microsoft", "Azure VM Agent", "2.7.41491.1130", Ordinary.At(9, 23, 14), "agent", ["windows", "linux"],
            new UpdateTargets(Regions: [.. ServiceStatusFeed.Regions]), [new Artifact("WindowsAzureGuestAgent.exe", "2.7.41491.1130"), new Artifact("waagent", "2.7.41491.1130")],
            Rollout: [new RolloutWave(Ordinary.At(9, 23, 14), 30), new RolloutWave(Ordinary.At(9, 23, 15), 100)]));
        var installed = Rollout.Install(b, harmless, b.Fleet.Hosts.Where(h => h.CloudVm), Ordinary.At(9, 23, 14), Ordinary.At(9, 23, 16, 30), 0.97);
        b.NotCulprit(harmless);

        var failure = Ordinary.At(9, 23, 16, 52);
        var recovered = Ordinary.At(9, 24, 1, 10);
        var degradations = new List<Degradation>();
        foreach (var service in new[] { "Azure Virtual Machines", "Azure Storage", "Azure SQL Database", "Azure Cosmos DB", "Azure App Service", "checkout-api", "payments-api", "store-sync" })
            degradations.Add(new Degradation(service, "westeurope", failure + TimeSpan.FromMinutes(b.Rng.Next(1, 12)), recovered + TimeSpan.FromMinutes(b.Rng.Next(0, 120)),
                service.StartsWith("Azure", StringComparison.Ordinal) ? "partial_outage" : "major_outage",
                "A power event in one datacenter in West Europe affects a subset of compute and storage scale units."));
        var vms = b.Fleet.Hosts.Where(h => h.CloudVm && h.Region == "westeurope").Select(h => (h, failure)).ToList();
        Outbreak.Crashes(b, vms.Where(x => x.h.IsWindows), 0.35, r => Outbreak.Minutes(r, 0, 90),
            (h, t) => Crashes.WindowsKernel(b, h, t, b.PickWeighted([("0x7A", 0.6), ("0xEF", 0.4)]), b.PickWeighted([("storport.sys", 0.6), ("ntoskrnl.exe", 0.4)])));
        Outbreak.Crashes(b, vms.Where(x => !x.h.IsWindows), 0.2, r => Outbreak.Minutes(r, 2, 120),
            (h, t) => Crashes.LinuxKernel(b, h, t, Crashes.PanicText(b.Rng, "INFO: task kworker/u64:{cpu}:{pid} blocked for more than 120 seconds."),
                h.Modules.ContainsKey("xfs") ? "xfs" : "ext4"));
        return Ordinary.Finish(b, name,
            $"At 16:52Z on 23 Sep a power event in West Europe takes down Azure and internal services there and crashes VMs in westeurope " +
            $"(0x7A/0xEF on Windows, hung-task panics on Linux). Two hours earlier {harmless} rolled out to {installed.Count} VMs in every region. " +
            "No update is behind the failure. Correct conclusion: no culprits; the VM agent, installed everywhere but failing only in one region, " +
            "is not one.", degradations);
    }
}
