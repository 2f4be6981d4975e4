using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>A Linux agent with a kernel-memory leak: hosts of one fleet run out of memory two to four days after installing it.</summary>
public static class SlowBurn
{
    public static Scenario Generate(string name, int seed, string fleet)
    {
        var b = Ordinary.Begin(seed, Ordinary.At(9, 9, 0), Ordinary.At(9, 15, 0), 0.32);
        const string updateId = "contoso/netflow-agent/1.14.0";
        var hosts = b.Fleet.InFleet(fleet).ToList();
        Ordinary.Equip(hosts, "netflow_mon", "1.13.2");
        b.Release(new UpdateReleased("", updateId, "Network Engineering", "netflow-agent", "1.14.0", Ordinary.At(9, 9, 15), "agent", ["linux"],
            new UpdateTargets(Fleets: [fleet]), [new Artifact("netflow_mon.ko", "1.14.0"), new Artifact("netflow-agent", "1.14.0")],
            Rollout: [new RolloutWave(Ordinary.At(9, 9, 15), 20), new RolloutWave(Ordinary.At(9, 10, 15), 100)]));
        var installed = Rollout.Install(b, updateId, hosts, Ordinary.At(9, 9, 15), Ordinary.At(9, 10, 20), 0.95, (h, at) => h.Change(at, "netflow_mon", "1.14.0"));
        BenignUpdates.LinuxKernels(b, 2, Ordinary.At(9, 10, 14), Ordinary.At(9, 11, 1), Ordinary.At(9, 11, 6), h => h.Fleet != fleet, 0.8);
        var crashes = Outbreak.Crashes(b, installed.Select(kv => (kv.Key, kv.Value)), 0.7,
            r => TimeSpan.FromHours(48 + r.NextDouble() * 48),
            (h, t) => b.Chance() < 0.7
                ? Crashes.LinuxKernel(b, h, t, "Kernel panic - not syncing: System is deadlocked on memory (out of memory)", null)
                : Crashes.LinuxKernel(b, h, t, Crashes.PanicText(b.Rng, "watchdog: BUG: soft lockup - CPU#{cpu} stuck for {secs}s! [netflow-agent:{pid}]"), "netflow_mon"),
            r => Outbreak.Geometric(r, 1.2, 2), r => TimeSpan.FromHours(40 + r.NextDouble() * 30));
        b.Culprit(updateId, ScenarioBuilder.Significant(crashes));
        return Ordinary.Finish(b, name,
            $"netflow-agent 1.14.0 installs on the {fleet} fleet on 9-10 Sep; its kernel module leaks memory, and from two to four days " +
            $"later {crashes.Select(c => c.HostId).Distinct().Count()} of those hosts panic out of memory or soft-lock in netflow_mon " +
            "(OOM panics also occur at a low baseline everywhere). Kernel errata installed on other fleets in between are innocent. " +
            $"Correct conclusion: {updateId} is the culprit despite the long delay, and only for {fleet}.");
    }
}
