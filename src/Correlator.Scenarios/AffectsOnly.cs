using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>A policy push that ships no files but changes how a driver behaves: the manifest names the module only in <c>affects</c>.</summary>
public static class AffectsOnly
{
    public static Scenario Generate(string name, int seed)
    {
        var b = Ordinary.Begin(seed, Ordinary.At(9, 10, 0), Ordinary.At(9, 12, 12), 0.5);
        var hosts = b.Fleet.Windows.Where(h => h.Fleet is "call-center" or "pos-terminals" or "kiosks").ToList();
        Ordinary.Equip(hosts, "cdlpflt.sys", "5.2.0.14");
        const string agent = "contoso/dlp-agent/5.2.1.3";
        b.Release(new UpdateReleased("", agent, "Contoso Security", "Contoso DLP Agent", "5.2.1.3", Ordinary.At(9, 10, 2), "agent", ["windows"],
            Artifacts: [new Artifact("cdlpflt.sys", "5.2.1.3"), new Artifact("cdlpsvc.exe", "5.2.1.3")]));
        Rollout.Install(b, agent, hosts, Ordinary.At(9, 10, 2), Ordinary.At(9, 10, 12), 0.92, (h, at) => h.Change(at, "cdlpflt.sys", "5.2.1.3"));
        b.NotCulprit(agent);
        const string policy = "contoso/dlp-policy/2024-09-11.2";
        var released = Ordinary.At(9, 11, 15, 5);
        b.Release(new UpdateReleased("", policy, "Contoso Security", "DLP policy", "2024-09-11.2", released, "config", ["windows"],
            new UpdateTargets(Fleets: ["call-center", "pos-terminals", "kiosks"]), Affects: ["cdlpflt.sys"]));
        var exposures = hosts.Select(h => (h, released + b.Exponential(TimeSpan.FromMinutes(20)))).ToList();
        var crashes = Outbreak.Crashes(b, exposures, 0.3, r => Outbreak.Minutes(r, 1, 30),
            (h, t) => Crashes.WindowsKernel(b, h, t, b.PickWeighted([("0x50", 0.8), ("0x3B", 0.2)]), "cdlpflt.sys", "fltmgr.sys"),
            r => Outbreak.Geometric(r, 1.5, 4), r => Outbreak.Minutes(r, 5, 60));
        b.Culprit(policy, ScenarioBuilder.Significant(crashes));
        return Ordinary.Finish(b, name,
            $"A DLP policy ({policy}) is pushed at 15:05Z on 11 Sep to the endpoint fleets. It ships no files (no artifacts, no installation " +
            "records); its manifest names cdlpflt.sys only in affects. Within the hour " +
            $"{crashes.Select(c => c.HostId).Distinct().Count()} endpoints crash with 0x50/0x3B in cdlpflt.sys. The DLP agent update of " +
            $"10 Sep, which did ship cdlpflt.sys, ran a day without trouble. Correct conclusion: {policy} is the culprit; {agent} is not.");
    }
}
