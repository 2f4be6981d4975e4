using Correlator.Correlation;
using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>
/// The night of 18→19 July 2024: CrowdStrike Channel File 291 crashes every Windows host running Falcon that pulls it
/// between 04:09 and 05:27 UTC, while an unrelated Azure Storage configuration change degrades Central US from 21:40.
/// </summary>
public static class July2024
{
    public const string ContentUpdate = "crowdstrike/falcon-content/C-00000291-00000000-00000032";
    public const string StorageChange = "microsoft/azure-storage/config-2024-07-18-cus";

    private static readonly DateTimeOffset Released = new(2024, 7, 19, 4, 9, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Recalled = new(2024, 7, 19, 5, 27, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset StorageAt = new(2024, 7, 18, 21, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset StorageImpact = new(2024, 7, 18, 21, 40, 0, TimeSpan.Zero);

    public static Scenario Generate(string name, int seed, double scale, bool storageManifest)
    {
        var b = new ScenarioBuilder(seed, new(2024, 7, 17, 0, 0, 0, TimeSpan.Zero), new(2024, 7, 19, 14, 0, 0, TimeSpan.Zero));
        b.Fleet = Fleet.Build(b.Rng, StandardFleets.All, scale, level: 0);
        var d = (int day, int h, int m) => new DateTimeOffset(2024, 7, day, h, m, 0, TimeSpan.Zero);

        // Benign change traffic.
        BenignUpdates.PatchTuesday(b, 1, d(9, 17, 0), d(17, 2, 0), d(18, 10, 0), 0.9);
        BenignUpdates.LinuxKernels(b, 1, d(16, 14, 0), d(17, 22, 0), d(18, 6, 0), h => h.Fleet is "db" or "k8s-nodes", 0.7);
        BenignUpdates.Chrome(b, "126.0.6478.183", d(16, 19, 0), d(17, 0, 0), d(19, 0, 0));
        BenignUpdates.FalconSensorLinux(b, "7.15.17005", d(17, 16, 0), d(17, 16, 0), d(18, 16, 0));
        BenignUpdates.FalconContent(b, "C-00000290-00000000-00000083", d(17, 22, 14));
        BenignUpdates.FalconContent(b, "C-00000284-00000000-00000121", d(18, 6, 31));
        BenignUpdates.FalconSensor(b, "7.16.18605.0", d(18, 14, 0), d(18, 15, 0), d(19, 3, 0), 0.55);
        BenignUpdates.FalconContent(b, "C-00000291-00000000-00000031", d(18, 23, 10));
        BenignUpdates.ConfigChange(b, "microsoft/azure-frontdoor/config-2024-07-18-eus", "Microsoft", "Azure Front Door", d(18, 20, 55), ["eastus"], ["Azure Front Door"]);
        BenignUpdates.Everyday(b);

        // The storage configuration change and its impact in Central US.
        if (storageManifest)
            b.Release(new UpdateReleased("", StorageChange, "Microsoft", "Azure Storage", "2024-07-18-cus", StorageAt, "config",
                Targets: new UpdateTargets(Regions: ["centralus"], Services: ["Azure Storage"]), Affects: ["Azure Storage"]));
        var degradations = CentralUsDegradations(b);
        var disk = Outbreak.Crashes(b,
            b.Fleet.Windows.Where(h => h.CloudVm && h.Region == "centralus").Select(h => (h, StorageImpact)),
            0.55, r => Outbreak.Minutes(r, 5, 420),
            (h, t) => Crashes.WindowsKernel(b, h, t, b.PickWeighted([("0x7A", 0.72), ("0x77", 0.28)]), b.PickWeighted([("storport.sys", 0.7), ("ntfs.sys", 0.3)])),
            r => Outbreak.Geometric(r, 1.6, 4), r => Outbreak.Minutes(r, 20, 120), d(19, 12, 0));
        var hung = Outbreak.Crashes(b,
            b.Fleet.Linux.Where(h => h.CloudVm && h.Region == "centralus").Select(h => (h, StorageImpact)),
            0.15, r => Outbreak.Minutes(r, 5, 420),
            (h, t) => Crashes.LinuxKernel(b, h, t, Crashes.PanicText(b.Rng, h.Modules.ContainsKey("xfs")
                ? "INFO: task xfsaild/dm-0:{pid} blocked for more than 120 seconds." : "INFO: task jbd2/sda1-8:{pid} blocked for more than 120 seconds."),
                h.Modules.ContainsKey("xfs") ? "xfs" : "ext4"),
            until: d(19, 12, 0));

        // Channel File 291: every Falcon Windows host online between release and recall pulls it and crashes, then boot-loops.
        var culprit = BenignUpdates.FalconContent(b, "C-00000291-00000000-00000032", Released, benign: false);
        var exposures = new List<(Host, DateTimeOffset)>();
        foreach (var h in b.Fleet.Windows.Where(h => h.RunsFalcon))
        {
            var online = h.CloudVm ? 0.97 : LocalHourOnline(h, Released);
            DateTimeOffset pulled;
            if (b.Chance() < online) pulled = Released + b.Exponential(TimeSpan.FromMinutes(7));
            else if (b.Chance() < 0.15) pulled = b.Between(Released, Recalled);
            else continue;
            if (pulled < Recalled) exposures.Add((h, pulled));
        }
        var falcon = Outbreak.Crashes(b, exposures, 0.97, r => TimeSpan.FromSeconds(r.Next(8, 120)),
            (h, t) => Crashes.WindowsKernel(b, h, t, b.Chance() < 0.85 ? "0x50" : "0x7E", "csagent.sys", "fltmgr.sys"),
            r => Outbreak.Geometric(r, 2.1, 8), r => Outbreak.Minutes(r, 2, 7));
        b.Recall(culprit, Recalled, "Logic error in Channel File 291 triggers an out-of-bounds read in csagent.sys; content reverted.");
        BenignUpdates.FalconContent(b, "C-00000291-00000000-00000033", Recalled, supersedes: culprit);

        BackgroundNoise.Add(b);
        ServiceStatusFeed.Add(b, ServiceStatusFeed.Standard(), degradations);

        b.Culprit(culprit, ScenarioBuilder.Significant(falcon));
        if (storageManifest)
            b.Culprit(StorageChange, ScenarioBuilder.Significant(disk.Concat(hung)).Concat(degradations.Select(x => Signature.OfService(x.Service, x.Region))));

        var falconHosts = falcon.Select(c => c.HostId).Distinct().Count();
        var description = storageManifest
            ? $"The night of 18→19 July 2024 on a {b.Fleet.Hosts.Count}-host retail fleet. CrowdStrike Channel File 291 " +
              $"(released 04:09Z, recalled 05:27Z, content: no installation records) crashes {falconHosts} Windows hosts running Falcon " +
              "with 0x50/0x7E in csagent.sys, many in boot loops; Linux hosts and hosts that were offline until after the recall stay fine. " +
              "From 21:40Z on 18 July the Azure Storage configuration change in Central US degrades Azure and internal services there and " +
              "crashes Windows VMs in centralus with 0x7A/0x77 in storport.sys/ntfs.sys (and hung-task panics on Linux VMs). Benign traffic: " +
              "July Patch Tuesday, a Falcon sensor update and earlier channel files, Chrome, kernel errata, Defender, deploys. " +
              "Correct conclusion: the channel file explains the csagent.sys signatures; the storage change explains the centralus " +
              "degradations and disk crashes; nothing else is a culprit."
            : $"The same night as july-2024 ({b.Fleet.Hosts.Count} hosts) but the Azure Storage change's manifest never arrives. " +
              "Central US still degrades from 21:40Z and Windows VMs there crash with 0x7A/0x77, but no known update explains it. " +
              "Correct conclusion: only the CrowdStrike channel file is a culprit, for the csagent.sys signatures; it must not be blamed " +
              "for the centralus disk crashes or degradations, and neither may the Patch Tuesday update that ships storport.sys.";
        return b.Build(name, description);
    }

    /// <summary>Chance an endpoint is powered on at the given instant, from its region's local hour.</summary>
    private static double LocalHourOnline(Host h, DateTimeOffset t)
    {
        var hour = t.ToOffset(OsCatalog.LocalOffset(h.Region)).Hour;
        var day = hour is >= 7 and < 20;
        return h.Fleet switch
        {
            "pos-terminals" => day ? 0.95 : 0.6,
            "kiosks" => day ? 0.95 : 0.7,
            _ => day ? 0.9 : 0.35,
        };
    }

    private static List<Degradation> CentralUsDegradations(ScenarioBuilder b)
    {
        var d = (int day, int h, int m) => new DateTimeOffset(2024, 7, day, h, m, 0, TimeSpan.Zero);
        const string msg = "Customers with resources in Central US may experience failures accessing storage-backed services. Engineers are investigating a configuration change.";
        return
        [
            new("Azure Storage", "centralus", d(18, 21, 40), d(19, 12, 15), "major_outage", msg),
            new("Azure Virtual Machines", "centralus", d(18, 21, 48), d(19, 8, 30 + b.Rng.Next(0, 20)), "partial_outage", "Virtual machines in Central US may restart unexpectedly or fail to start; disk I/O errors."),
            new("Azure SQL Database", "centralus", d(18, 21, 52), d(19, 6, 40), "partial_outage", "Connectivity failures and timeouts for databases in Central US."),
            new("Azure Cosmos DB", "centralus", d(18, 22, 5), d(19, 7, 10), "partial_outage", "Elevated error rates for requests in Central US."),
            new("Azure App Service", "centralus", d(18, 22, 0), d(19, 10, 0), "degraded", "Some apps in Central US return HTTP 5xx."),
            new("Microsoft 365", "centralus", d(18, 22, 10), d(19, 9, 50), "partial_outage", "Users in the Americas may be unable to access multiple Microsoft 365 services."),
            new("checkout-api", "centralus", d(18, 21, 55), d(19, 7, 45), "major_outage", "Probe failures: 503 from checkout-api.centralus"),
            new("store-sync", "centralus", d(18, 22, 0), d(19, 11, 0), "degraded", "Replication lag above threshold in centralus"),
            new("call-routing", "centralus", d(18, 22, 15), d(19, 6, 30), "partial_outage", "Call routing errors in centralus"),
        ];
    }
}
