using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>Crashes start first; the release manifest and the installation records arrive hours later, with earlier timestamps.</summary>
public static class LateManifest
{
    public static Scenario Generate(string name, int seed)
    {
        var b = Ordinary.Begin(seed, Ordinary.At(8, 27, 0), Ordinary.At(8, 29, 12), 0.5);
        const string updateId = "contoso/vpn-client/4.10.3";
        var hosts = b.Fleet.InFleet("call-center").ToList();
        Ordinary.Equip(hosts, "cvpnflt.sys", "4.10.1.22");
        var released = Ordinary.At(8, 27, 13);
        var manifestArrives = Ordinary.At(8, 27, 19, 40);
        var installed = new Dictionary<Host, DateTimeOffset>();
        foreach (var h in hosts)
        {
            if (b.Chance() >= 0.9) continue;
            var at = b.Between(released, Ordinary.At(8, 27, 16));
            h.Change(at, "cvpnflt.sys", "4.10.3.5");
            installed[h] = at;
            // The inventory pipeline was down: installation records are replayed in bulk after the manifest.
            if (b.Chance() >= 0.02) b.Install(updateId, h, at, manifestArrives + TimeSpan.FromSeconds(b.Rng.Next(30, 5400)));
        }
        b.Release(new UpdateReleased("", updateId, "Contoso IT", "Contoso VPN Client", "4.10.3", released, "application", ["windows"],
            new UpdateTargets(Fleets: ["call-center"]), [new Artifact("cvpnflt.sys", "4.10.3.5"), new Artifact("vpnagent.exe", "4.10.3.5")]), manifestArrives);
        var kernel = Outbreak.Crashes(b, installed.Select(kv => (kv.Key, kv.Value)), 0.3,
            r => TimeSpan.FromMinutes(2 + r.NextDouble() * 180), (h, t) => Crashes.WindowsKernel(b, h, t, "0xD1", "cvpnflt.sys", "tcpip.sys"),
            r => Outbreak.Geometric(r, 1.4, 4), r => Outbreak.Minutes(r, 5, 120));
        var user = Outbreak.Crashes(b, installed.Select(kv => (kv.Key, kv.Value)), 0.25,
            r => TimeSpan.FromMinutes(2 + r.NextDouble() * 240), (h, t) => Crashes.WindowsUser(b, h, t, "0xC0000005", "vpnagent.exe", "vpnagent.exe"),
            r => Outbreak.Geometric(r, 2, 6), r => Outbreak.Minutes(r, 3, 60));
        b.Culprit(updateId, ScenarioBuilder.Significant(kernel.Concat(user)));
        return Ordinary.Finish(b, name,
            $"Contoso VPN Client 4.10.3 installs on {installed.Count} call-center PCs from 13:00Z on 27 Aug; from minutes later they crash " +
            "(0xD1 in cvpnflt.sys, 0xC0000005 in vpnagent.exe). The release manifest arrives only at 19:40Z and the installation records " +
            "are replayed after it (lines placed where they arrive, timestamps from the afternoon). Correct conclusion: once the manifest " +
            $"arrives, {updateId} is the culprit for both signatures, judged in event time.");
    }
}
