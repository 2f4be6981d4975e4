using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>A signature that always occurs at a low rate rises sharply on the hosts that installed an update.</summary>
public static class BaselineSignature
{
    public static Scenario Generate(string name, int seed, bool linux)
    {
        var b = Ordinary.Begin(seed, Ordinary.At(9, 2, 0), Ordinary.At(9, 8, 0), 0.38);
        List<Host> exposed;
        string updateId;
        Func<Host, DateTimeOffset, Ingestion.Events.CrashReported> crash;
        string what;
        if (linux)
        {
            exposed = b.Fleet.Linux.Where(h => h.Modules.ContainsKey("mlx5_core")).ToList();
            updateId = "nvidia/mlnx-ofed/24.07-0.6.1.0";
            b.Release(new UpdateReleased("", updateId, "NVIDIA", "MLNX_OFED", "24.07-0.6.1.0", Ordinary.At(9, 5, 9), "driver", ["linux"],
                new UpdateTargets(Fleets: ["k8s-nodes", "web", "db"]), [new Artifact("mlx5_core.ko", "24.07-0.6.1")]));
            crash = (h, t) => Crashes.LinuxKernel(b, h, t, Crashes.PanicText(b.Rng, "watchdog: BUG: soft lockup - CPU#{cpu} stuck for {secs}s! [kworker/{cpu}:1:{pid}]"), "mlx5_core");
            what = "soft lockups in mlx5_core";
        }
        else
        {
            exposed = b.Fleet.Windows.Where(h => h.HasNvidia).ToList();
            updateId = "nvidia/display-driver/560.81";
            b.Release(new UpdateReleased("", updateId, "NVIDIA", "GeForce/RTX display driver", "560.81", Ordinary.At(9, 5, 9), "driver", ["windows"],
                Artifacts: [new Artifact("nvlddmkm.sys", "32.0.15.6081")]));
            crash = (h, t) => Crashes.WindowsKernel(b, h, t, "0x116", "nvlddmkm.sys", "dxgkrnl.sys");
            what = "0x116 VIDEO_TDR_FAILURE in nvlddmkm.sys";
        }
        var installed = Rollout.Install(b, updateId, exposed, Ordinary.At(9, 5, 10), Ordinary.At(9, 6, 4), 0.8,
            (h, at) => h.Change(at, linux ? "mlx5_core" : "nvlddmkm.sys", linux ? "24.07-0.6.1" : "32.0.15.6081"));
        // The same signature at a low everyday rate on every exposed host, all week.
        foreach (var h in exposed)
            for (var t = b.Start + b.Exponential(TimeSpan.FromDays(40)); t < b.End; t += b.Exponential(TimeSpan.FromDays(40)))
                b.Crash(crash(h, t));
        var crashes = Outbreak.Crashes(b, installed.Select(kv => (kv.Key, kv.Value)), 0.35,
            r => TimeSpan.FromMinutes(10 + r.NextDouble() * 30 * 60), crash, r => Outbreak.Geometric(r, 2, 6), r => Outbreak.Minutes(r, 30, 480));
        b.Culprit(updateId, ScenarioBuilder.Significant(crashes));
        return Ordinary.Finish(b, name,
            $"{what} happen all week at a low baseline (about one per host per 40 days on the {exposed.Count} exposed hosts). " +
            $"From 5 Sep {updateId} installs on {installed.Count} of them and the same signature jumps on those hosts " +
            $"({crashes.Count} crashes on {crashes.Select(c => c.HostId).Distinct().Count()} hosts). Correct conclusion: {updateId} is the culprit " +
            "for that signature even though it existed before; hosts without the update stay at baseline.");
    }
}
