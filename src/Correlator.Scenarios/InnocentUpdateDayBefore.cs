using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>
/// Two updates of the same agent (same vendor, same driver): the one the day before, on other hosts, is innocent;
/// the next day's, on a different fleet, crashes its hosts.
/// </summary>
public static class InnocentUpdateDayBefore
{
    public static Scenario Generate(string name, int seed, bool linux)
    {
        var b = Ordinary.Begin(seed, Ordinary.At(8, 20, 0), Ordinary.At(8, 23, 0), 0.5);
        var (vendor, product, module, firstFleet, secondFleet) = linux
            ? ("Contoso Security", "Contoso EDR for Linux", "cedr_kmod", "web", "k8s-nodes")
            : ("Contoso Security", "Contoso DLP Agent", "cdlpflt.sys", "call-center", "pos-terminals");
        var first = b.Fleet.InFleet(firstFleet).ToList();
        var second = b.Fleet.InFleet(secondFleet).ToList();
        Ordinary.Equip(first.Concat(second), module, linux ? "3.1.0" : "5.2.0.14");
        var product0 = linux ? "contoso/edr-linux" : "contoso/dlp-agent";
        var (v1, v2) = linux ? ("3.1.1", "3.1.2") : ("5.2.1.3", "5.2.2.1");
        var artifact = linux ? $"{module}.ko" : module;

        var innocent = $"{product0}/{v1}";
        b.Release(new UpdateReleased("", innocent, vendor, product, v1, Ordinary.At(8, 20, 14), "agent", [linux ? "linux" : "windows"],
            new UpdateTargets(Fleets: [firstFleet]), [new Artifact(artifact, v1)]));
        Rollout.Install(b, innocent, first, Ordinary.At(8, 20, 14), Ordinary.At(8, 20, 20), 0.95, (h, at) => h.Change(at, module, v1));
        b.NotCulprit(innocent);

        var culprit = $"{product0}/{v2}";
        b.Release(new UpdateReleased("", culprit, vendor, product, v2, Ordinary.At(8, 21, 14), "agent", [linux ? "linux" : "windows"],
            new UpdateTargets(Fleets: [secondFleet]), [new Artifact(artifact, v2)], Supersedes: innocent));
        var installed = Rollout.Install(b, culprit, second, Ordinary.At(8, 21, 14), Ordinary.At(8, 21, 19), 0.95, (h, at) => h.Change(at, module, v2));
        var crashes = Outbreak.Crashes(b, installed.Select(kv => (kv.Key, kv.Value)), 0.3,
            r => TimeSpan.FromMinutes(5 + r.NextDouble() * 8 * 60),
            (h, t) => linux
                ? Crashes.LinuxKernel(b, h, t, Crashes.PanicText(b.Rng, "general protection fault, probably for non-canonical address 0xdead{addr}: 0000 [#1] PREEMPT SMP NOPTI"), module)
                : Crashes.WindowsKernel(b, h, t, b.PickWeighted([("0x3B", 0.7), ("0x7E", 0.3)]), module, "fltmgr.sys"),
            r => Outbreak.Geometric(r, 1.5, 4), r => Outbreak.Minutes(r, 10, 240));
        b.Culprit(culprit, ScenarioBuilder.Significant(crashes));
        return Ordinary.Finish(b, name,
            $"{product} {v1} ships {artifact} to the {firstFleet} fleet on 20 Aug and nothing happens; {v2} ships a new {artifact} to the " +
            $"{secondFleet} fleet on 21 Aug and {crashes.Select(c => c.HostId).Distinct().Count()} of its hosts crash in {module} within hours. " +
            $"Correct conclusion: {culprit} is the culprit; {innocent} (same vendor, same module, a day earlier, other hosts) is not.");
    }
}
