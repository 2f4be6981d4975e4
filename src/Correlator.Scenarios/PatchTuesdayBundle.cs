using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>
/// Patch Tuesday night: the cumulative update and a vendor driver update install in the same maintenance window on the
/// same hosts. Only the driver (whose module is the faulting module) is the culprit.
/// </summary>
public static class PatchTuesdayBundle
{
    public static Scenario Generate(string name, int seed, bool nic)
    {
        var b = Ordinary.Begin(seed, Ordinary.At(8, 13, 0), Ordinary.At(8, 16, 0), 0.55);
        var cus = BenignUpdates.PatchTuesday(b, 2, Ordinary.At(8, 13, 17), Ordinary.At(8, 13, 22), Ordinary.At(8, 14, 6), 0.93);
        BenignUpdates.Chrome(b, "127.0.6533.100", Ordinary.At(8, 13, 18), Ordinary.At(8, 13, 19), Ordinary.At(8, 15, 12));

        var (updateId, vendor, product, version, module, codes, hosts) = nic
            ? ("intel/ethernet-driver/12.19.2.60", "Intel", "Intel Ethernet Connection I219 driver", "12.19.2.60", "e1d68x64.sys",
                new[] { ("0xD1", 0.8), ("0x133", 0.2) }, b.Fleet.Windows.Where(h => h.Modules.ContainsKey("e1d68x64.sys")).ToList())
            : ("intel/rst-driver/19.5.7.1063", "Intel", "Intel Rapid Storage Technology driver", "19.5.7.1063", "iaStorVD.sys",
                new[] { ("0x133", 0.75), ("0xD1", 0.25) }, b.Fleet.Windows.Where(h => h.HasIntelRst).ToList());
        b.Release(new UpdateReleased("", updateId, vendor, product, version, Ordinary.At(8, 13, 17, 30), "driver", ["windows"],
            Artifacts: [new Artifact(module, version)]));
        // The driver rides in the same maintenance window as the cumulative update: a few minutes after it on each host.
        var installed = new Dictionary<Host, DateTimeOffset>();
        foreach (var h in hosts)
        {
            if (b.Chance() >= 0.9) continue;
            var at = b.Between(Ordinary.At(8, 13, 22), Ordinary.At(8, 14, 6));
            h.Change(at, module, version);
            installed[h] = at;
            if (b.Chance() >= 0.02) b.Install(updateId, h, at);
        }
        var crashes = Outbreak.Crashes(b, installed.Select(kv => (kv.Key, kv.Value)), nic ? 0.22 : 0.28,
            r => TimeSpan.FromMinutes(20 + r.NextDouble() * 40 * 60),
            (h, t) => Crashes.WindowsKernel(b, h, t, b.PickWeighted(codes), module),
            r => Outbreak.Geometric(r, 1.7, 5), r => Outbreak.Minutes(r, 30, 600));
        b.Culprit(updateId, ScenarioBuilder.Significant(crashes));
        var hostsHit = crashes.Select(c => c.HostId).Distinct().Count();
        return Ordinary.Finish(b, name,
            $"Patch Tuesday (13 Aug 2024) on {b.Fleet.Hosts.Count} hosts: the August cumulative updates ({string.Join(", ", cus)}, shipping ntoskrnl.exe, " +
            $"storport.sys, ndis.sys…) and the {product} {version} install in the same maintenance window on the same hosts. " +
            $"{hostsHit} of the {installed.Count} hosts that got the driver then crash with {string.Join("/", codes.Select(c => c.Item1))} in {module} " +
            $"(a signature with a small baseline before). Correct conclusion: {updateId} is the culprit; the cumulative updates, " +
            "installed at the same moment on more hosts, are not.");
    }
}
