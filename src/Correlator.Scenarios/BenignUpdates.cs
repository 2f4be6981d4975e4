using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>
/// Everyday change traffic that breaks nothing: Patch Tuesday cumulative updates, Defender definitions, Chrome, Linux
/// kernel errata, CrowdStrike sensor and content updates, internal deploys and config changes. Each is registered
/// as not a culprit.
/// </summary>
public static class BenignUpdates
{
    private static readonly Dictionary<string, string> WindowsProducts = new()
    {
        ["win10"] = "Windows 10 Version 22H2 Cumulative Update",
        ["win11"] = "Windows 11 Version 23H2 Cumulative Update",
        ["server2022"] = "Windows Server 2022 Cumulative Update",
    };

    private static readonly string[] Shipped = ["ntoskrnl.exe", "ntfs.sys", "storport.sys", "tcpip.sys", "win32kfull.sys", "fltmgr.sys", "ndis.sys"];

    /// <summary>A Patch Tuesday: one cumulative update per Windows build, installed in rings between from and to.</summary>
    public static List<string> PatchTuesday(ScenarioBuilder b, int level, DateTimeOffset releasedAt, DateTimeOffset from, DateTimeOffset to, double coverage = 0.92)
    {
        var ids = new List<string>();
        foreach (var distro in new[] { "win10", "win11", "server2022" })
        {
            var hosts = b.Fleet.Windows.Where(h => h.Distro == distro).ToList();
            if (hosts.Count == 0) continue;
            var kb = OsCatalog.WindowsKb[(distro, level)];
            var version = OsCatalog.Versions[distro][level];
            var previous = OsCatalog.Versions[distro][level - 1];
            var updateId = $"microsoft/windows-cu/{kb}";
            var nt = hosts[0].Modules["ntoskrnl.exe"];
            var ntNew = nt[..nt.LastIndexOf('.')] + version[version.LastIndexOf('.')..];
            var pilotEnd = from + (to - from) * 0.15;
            b.Release(new UpdateReleased("", updateId, "Microsoft", WindowsProducts[distro], version, releasedAt, "os-patch", ["windows"],
                new UpdateTargets(OsVersions: [previous]),
                Shipped.Select(a => new Artifact(a, ntNew)).ToList(),
                Rollout: [new RolloutWave(from, 10), new RolloutWave(pilotEnd, 100)]));
            Rollout.Install(b, updateId, hosts, from, to, coverage, (h, at) =>
            {
                h.Change(at, OsCatalog.OsKey, version);
                foreach (var m in Shipped) h.Change(at, m, ntNew);
            });
            b.NotCulprit(updateId);
            ids.Add(updateId);
        }
        return ids;
    }

    /// <summary>Linux kernel errata (Red Hat, Canonical) installed with a reboot on the given fleets.</summary>
    public static List<string> LinuxKernels(ScenarioBuilder b, int level, DateTimeOffset releasedAt, DateTimeOffset from, DateTimeOffset to, Func<Host, bool>? which = null, double coverage = 0.9)
    {
        var ids = new List<string>();
        foreach (var distro in new[] { "rhel9", "rhel8", "ubuntu2204", "ubuntu2404" })
        {
            var hosts = b.Fleet.Linux.Where(h => h.Distro == distro && (which?.Invoke(h) ?? true)).ToList();
            if (hosts.Count == 0) continue;
            var advisory = OsCatalog.LinuxAdvisory[(distro, level)];
            var version = OsCatalog.Versions[distro][level];
            var redHat = distro.StartsWith("rhel", StringComparison.Ordinal);
            var updateId = redHat ? $"redhat/kernel/{advisory}" : $"canonical/linux/{advisory}";
            b.Release(new UpdateReleased("", updateId, redHat ? "Red Hat" : "Canonical", "kernel", version, releasedAt, "os-patch", ["linux"],
                new UpdateTargets(OsVersions: [OsCatalog.Versions[distro][level - 1]]),
                [new Artifact($"vmlinuz-{version}"), new Artifact($"kernel-modules-{version}")]));
            Rollout.Install(b, updateId, hosts, from, to, coverage, (h, at) =>
            {
                h.Change(at, OsCatalog.OsKey, version);
                foreach (var m in h.Modules.Keys.Where(k => h.Modules[k] == OsCatalog.Versions[distro][0] || h.Modules[k] == OsCatalog.Versions[distro][level - 1]).ToList())
                    if (m != OsCatalog.OsKey) h.Change(at, m, version);
            });
            b.NotCulprit(updateId);
            ids.Add(updateId);
        }
        return ids;
    }

    /// <summary>Defender security intelligence updates every few hours (content, no installation records).</summary>
    public static void DefenderDefinitions(ScenarioBuilder b, int firstBuild = 415, int firstRevision = 100)
    {
        var revision = firstRevision + b.Rng.Next(0, 40);
        for (var t = b.Start + TimeSpan.FromMinutes(b.Rng.Next(0, 180)); t < b.End; t += TimeSpan.FromMinutes(b.Rng.Next(150, 330)))
        {
            revision += 1;
            var version = $"1.{firstBuild}.{revision}.0";
            var updateId = $"microsoft/defender-definitions/{version}";
            b.Release(new UpdateReleased("", updateId, "Microsoft", "Microsoft Defender Antivirus security intelligence", version, t, "content", ["windows"],
                Artifacts: [new Artifact("mpavbase.vdm", version), new Artifact("mpasdlta.vdm", version)],
                Affects: ["MsMpEng.exe", "WdFilter.sys"]));
            b.NotCulprit(updateId);
        }
    }

    public static string Chrome(ScenarioBuilder b, string version, DateTimeOffset releasedAt, DateTimeOffset from, DateTimeOffset to)
    {
        var updateId = $"google/chrome/{version}";
        b.Release(new UpdateReleased("", updateId, "Google", "Chrome", version, releasedAt, "application", ["windows"],
            Artifacts: [new Artifact("chrome.exe", version), new Artifact("chrome.dll", version), new Artifact("chrome_elf.dll", version)]));
        Rollout.Install(b, updateId, b.Fleet.Windows.Where(h => h.Processes.Contains("chrome.exe")), from, to, 0.95,
            (h, at) => h.Change(at, "chrome.exe", version));
        b.NotCulprit(updateId);
        return updateId;
    }

    /// <summary>A CrowdStrike Falcon sensor (agent) update: ships csagent.sys, installed on Windows hosts running Falcon.</summary>
    public static string FalconSensor(ScenarioBuilder b, string version, DateTimeOffset releasedAt, DateTimeOffset from, DateTimeOffset to, double coverage)
    {
        var updateId = $"crowdstrike/falcon-sensor/{version}";
        b.Release(new UpdateReleased("", updateId, "CrowdStrike", "Falcon Sensor for Windows", version, releasedAt, "agent", ["windows"],
            Artifacts: [new Artifact("csagent.sys", version), new Artifact("CSFalconService.exe", version)],
            Rollout: [new RolloutWave(from, 25), new RolloutWave(from + (to - from) / 2, 100)]));
        Rollout.Install(b, updateId, b.Fleet.Windows.Where(h => h.RunsFalcon), from, to, coverage, (h, at) => h.Change(at, "csagent.sys", version));
        b.NotCulprit(updateId);
        return updateId;
    }

    public static string FalconSensorLinux(ScenarioBuilder b, string version, DateTimeOffset releasedAt, DateTimeOffset from, DateTimeOffset to)
    {
        var updateId = $"crowdstrike/falcon-sensor-linux/{version}";
        b.Release(new UpdateReleased("", updateId, "CrowdStrike", "Falcon Sensor for Linux", version, releasedAt, "agent", ["linux"],
            Artifacts: [new Artifact("falcon-sensor", version), new Artifact("falcon_lsm_serviceable.ko", version)]));
        Rollout.Install(b, updateId, b.Fleet.Linux.Where(h => h.Modules.ContainsKey("falcon_lsm_serviceable")), from, to, 0.6,
            (h, at) => h.Change(at, "falcon_lsm_serviceable", version));
        b.NotCulprit(updateId);
        return updateId;
    }

    /// <summary>A Falcon channel file (content read by csagent.sys): no installation records, every sensor pulls it.</summary>
    public static string FalconContent(ScenarioBuilder b, string channelFile, DateTimeOffset releasedAt, string? supersedes = null, bool benign = true)
    {
        var updateId = $"crowdstrike/falcon-content/{channelFile}";
        b.Release(new UpdateReleased("", updateId, "CrowdStrike", "Falcon Sensor content", channelFile, releasedAt, "content", ["windows"],
            Artifacts: [new Artifact($"{channelFile}.sys")], Affects: ["csagent.sys"], Supersedes: supersedes));
        if (benign) b.NotCulprit(updateId);
        return updateId;
    }

    /// <summary>An internal rolling deploy of a service to a fleet (a few minutes per batch).</summary>
    public static string InternalDeploy(ScenarioBuilder b, string team, string service, string fleet, string version, DateTimeOffset at)
    {
        var updateId = $"internal/{service}/{version}";
        var hosts = b.Fleet.InFleet(fleet).ToList();
        if (hosts.Count == 0) return updateId;
        var platform = hosts[0].Platform;
        b.Release(new UpdateReleased("", updateId, team, service, version, at, "application", [platform],
            new UpdateTargets(Services: [service], Fleets: [fleet]),
            [new Artifact(platform == "windows" ? $"{service}.dll" : $"{service}.tar.gz", version)],
            Rollout: [new RolloutWave(at, 10), new RolloutWave(at + TimeSpan.FromMinutes(15), 50), new RolloutWave(at + TimeSpan.FromMinutes(30), 100)]));
        Rollout.Install(b, updateId, hosts, at, at + TimeSpan.FromMinutes(45), 1.0);
        b.NotCulprit(updateId);
        return updateId;
    }

    public static string ConfigChange(ScenarioBuilder b, string updateId, string vendor, string product, DateTimeOffset at, string[] regions, string[] services, string[]? affects = null)
    {
        b.Release(new UpdateReleased("", updateId, vendor, product, at.ToString("yyyy.MM.dd.HHmm", System.Globalization.CultureInfo.InvariantCulture), at, "config",
            Targets: new UpdateTargets(Regions: regions, Services: services), Affects: affects ?? services));
        b.NotCulprit(updateId);
        return updateId;
    }

    /// <summary>The everyday mix over the window: Defender every few hours, internal deploys, config changes.</summary>
    public static void Everyday(ScenarioBuilder b)
    {
        DefenderDefinitions(b);
        var deploys = new (string Team, string Service, string Fleet)[]
        {
            ("Commerce Platform", "checkout-api", "web"), ("Payments", "payments-api", "k8s-nodes"), ("Stores", "pos-client", "pos-terminals"),
            ("Contact Center", "agent-desktop", "call-center"), ("Stores", "store-sync", "web-win"), ("Data Platform", "pg-tools", "db"),
        };
        var n = 0;
        for (var day = b.Start.Date; day < b.End; day = day.AddDays(1))
        {
            foreach (var (team, service, fleet) in deploys)
            {
                if (b.Chance() < 0.55) continue;
                var at = new DateTimeOffset(day, TimeSpan.Zero) + TimeSpan.FromHours(13 + b.Rng.Next(0, 8)) + TimeSpan.FromMinutes(b.Rng.Next(0, 60));
                if (!b.InWindow(at)) continue;
                InternalDeploy(b, team, service, fleet, $"{day:yyyy.MM.dd}.{++n}", at);
            }
            var cfg = new DateTimeOffset(day, TimeSpan.Zero) + TimeSpan.FromHours(b.Rng.Next(0, 24));
            if (b.InWindow(cfg))
            {
                var region = b.Pick(ServiceStatusFeed.Regions);
                ConfigChange(b, $"internal/feature-flags/{cfg:yyyyMMddHHmm}", "Platform Engineering", "feature-flags", cfg, [region], ["checkout-api", "store-sync"]);
            }
        }
    }
}
