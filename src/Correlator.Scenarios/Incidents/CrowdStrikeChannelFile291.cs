using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>
/// 19 July 2024. Source: CrowdStrike, "Preliminary Post Incident Review" and "Root Cause Analysis: Channel File 291"
/// (6 Aug 2024); Microsoft Azure status history, tracking id 1K80-N_8 (Central US storage/VM incident, 18-19 July 2024).
/// Channel File 291 (C-00000291-00000000-00000032) went to every Falcon sensor for Windows 7.11+ online between 04:09
/// and 05:27 UTC; the content interpreter in csagent.sys read out of bounds (bugcheck 0x50, also seen as 0x7E) and hosts
/// boot-looped. Linux and macOS hosts and hosts offline in that window were not affected; the fix (…-00000033) shipped at
/// 05:27. Separately, from 21:56 UTC on 18 July a backend storage configuration change in Central US made Azure Storage,
/// VMs and services depending on them fail there until about 12:15 UTC on 19 July; Windows VMs in centralus crashed on
/// disk I/O (0x7A). Reconstructed at a few hundred hosts; proportions, times and signatures as published.
/// </summary>
internal static class CrowdStrikeChannelFile291
{
    public const string Name = "incident-2024-07-19-crowdstrike-cf291";

    public static Scenario Generate()
    {
        var k = new IncidentKit(190724, IncidentKit.Utc(2024, 7, 18, 12, 0), IncidentKit.Utc(2024, 7, 19, 16, 0));
        string[] regions = ["centralus", "eastus", "westeurope", "southeastasia"];
        var windows = k.Fleet("retail-stores", "windows", regions, ["10.0.19045.4651", "10.0.22631.3880"], 320, "STORE");
        var servers = k.Fleet("azure-vms", "windows", regions, ["10.0.20348.2582"], 160, "AZVM");
        k.Fleet("linux-web", "linux", regions, ["5.15.0-116-generic"], 120, "WEB");
        k.Services(["Azure Storage", "Azure Virtual Machines", "Azure SQL Database"], regions, transitionsOnly: true);
        k.Services(["checkout-api"], regions, transitionsOnly: false, intervalMinutes: 5);
        k.Background();

        const string cf291 = "crowdstrike/falcon-content/C-00000291-00000000-00000032";
        var release = IncidentKit.Utc(2024, 7, 19, 4, 9);
        var fix = IncidentKit.Utc(2024, 7, 19, 5, 27);
        UpdateReleased Content(string id, string version, DateTimeOffset at) =>
            new("", id, "CrowdStrike", "falcon-content", version, at, "content", ["windows"], null, [new Artifact(version + ".sys")], ["csagent.sys"]);
        k.Innocent(Content("crowdstrike/falcon-content/C-00000291-00000000-00000031", "C-00000291-00000000-00000031", IncidentKit.Utc(2024, 7, 18, 23, 50)));
        k.Sink.Release(Content(cf291, "C-00000291-00000000-00000032", release));
        k.Culprit(cf291);
        k.Sink.Recall(cf291, fix, "reverted: C-00000291-00000000-00000033 replaces it");
        k.Innocent(Content("crowdstrike/falcon-content/C-00000291-00000000-00000033", "C-00000291-00000000-00000033", fix));
        var shapes = new[] { new CrashShape("windows", "kernel", "csagent.sys", Bugcheck: "0x50"), new CrashShape("windows", "kernel", "csagent.sys", Bugcheck: "0x7E") };
        foreach (var h in windows.Hosts.Concat(servers.Hosts))
        {
            // About four hosts in five were online in the window and got the file; each then boot-loops until fixed by hand.
            if (!k.W.Chance(0.8)) continue;
            var t = release + k.W.Minutes(0, 78) + k.W.Exponential(TimeSpan.FromMinutes(1.5));
            if (t > fix) continue;
            var shape = k.W.Chance(0.85) ? shapes[0] : shapes[1];
            var loops = k.W.Int(1, 6);
            for (var i = 0; i < loops; i++, t += k.W.Minutes(2, 6)) k.Sink.Crash(h, t, shape, cf291);
        }

        const string storage = "microsoft/azure-storage/config-2024-07-18-cus";
        var change = IncidentKit.Utc(2024, 7, 18, 21, 40);
        k.Sink.Release(new UpdateReleased("", storage, "Microsoft", "azure-storage", "config-2024-07-18-cus", change, "config", null,
            new UpdateTargets(Regions: ["centralus"], Services: ["Azure Storage"]), null, ["Azure Storage"]));
        k.Culprit(storage);
        var recovered = IncidentKit.Utc(2024, 7, 19, 12, 15);
        k.Sink.Episode(k.Service("Azure Storage", "centralus"), IncidentKit.Utc(2024, 7, 18, 21, 56), recovered, "partial_outage", storage);
        k.Sink.Episode(k.Service("Azure Virtual Machines", "centralus"), IncidentKit.Utc(2024, 7, 18, 22, 2), recovered, "partial_outage", storage);
        k.Sink.Episode(k.Service("Azure SQL Database", "centralus"), IncidentKit.Utc(2024, 7, 18, 22, 10), recovered, "degraded", storage);
        k.Sink.Episode(k.Service("checkout-api", "centralus"), IncidentKit.Utc(2024, 7, 18, 22, 5), IncidentKit.Utc(2024, 7, 19, 12, 40), "degraded", storage);
        foreach (var h in servers.Hosts.Where(h => h.Region == "centralus" && k.W.Chance(0.4)))
            k.Sink.Crash(h, IncidentKit.Utc(2024, 7, 18, 21, 56) + k.W.Minutes(0, 90), new CrashShape("windows", "kernel", "storport.sys", Bugcheck: "0x7A"), storage);

        k.Innocent(new UpdateReleased("", "microsoft/windows-cu/KB5040442", "Microsoft", "windows-cu", "KB5040442", IncidentKit.Utc(2024, 7, 18, 13, 0), "os-patch", ["windows"],
            null, [new Artifact("ntoskrnl.exe"), new Artifact("storport.sys")]));
        foreach (var h in servers.Hosts.Where(_ => k.W.Chance(0.7))) k.Sink.Install("microsoft/windows-cu/KB5040442", h, IncidentKit.Utc(2024, 7, 18, 14, 0) + k.W.Minutes(0, 240));
        k.Innocent(new UpdateReleased("", "microsoft/azure-frontdoor/config-2024-07-18-eus", "Microsoft", "azure-frontdoor", "config-2024-07-18-eus", IncidentKit.Utc(2024, 7, 18, 21, 15), "config", null,
            new UpdateTargets(Regions: ["eastus"], Services: ["checkout-api"])));
        return k.Build(Name, "CrowdStrike Channel File 291 (04:09-05:27Z, 19 July 2024: csagent.sys 0x50/0x7E boot loops on Windows hosts online in the window) " +
                             "and the Azure Central US storage configuration change (from 21:56Z on 18 July: Storage, VMs, SQL and services there down, 0x7A on VMs). " +
                             "Correct: both are culprits; the earlier and the fixed channel files, July's cumulative update and a Front Door change in eastus are not.");
    }
}
