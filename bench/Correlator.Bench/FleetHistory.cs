using Correlator.Ingestion.Events;

namespace Correlator.Bench;

/// <summary>
/// A continuous fleet history, generated minute by minute (nothing of it is held, so the engine's memory is what the
/// benchmark measures): a daily install-based patch reaching 95 % of the hosts over 12 hours, a weekly targets-based
/// manifest, background crashes (0.2 per host and day over 150 signatures), 24 service regions observed every minute,
/// and on the last day a CrowdStrike-scale burst: a content update at 04:09 that crashes 85 % of the Windows hosts
/// within 78 minutes, a third of them twice more (boot loops), recalled at 05:27. Each fact is known 30 s after it
/// happened, within its minute (pages are whole minutes of knowledge time).
/// </summary>
public sealed class FleetHistory(int hosts, int days, int services = 4, int seed = 19)
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public const string BurstUpdate = "crowdstrike/falcon-content/C-00000291";
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(30);
    private const long BurstStride = 7919;
    private static readonly string[] Regions = ["eastus", "westus", "centralus", "westeurope", "northeurope", "southeastasia"];
    private static readonly string[] Fleets = ["web", "db", "k8s-nodes", "desktops", "kiosks", "build", "cache", "batch"];
    private static readonly string[] Services = ["storage", "compute", "dns", "frontdoor"];

    public int Hosts => hosts;
    public int Days => days;
    public int BurstDay => days - 1;
    public DateTimeOffset BurstAt => Start.AddDays(BurstDay).AddHours(4).AddMinutes(9);

    private readonly string[] _ids = Enumerable.Range(0, hosts).Select(i => $"host-{i:x6}").ToArray();
    private string Platform(int h) => h % 5 == 4 ? "linux" : "windows";

    /// <summary>Pages of facts, one per minute of knowledge time, in order.</summary>
    public IEnumerable<(DateTimeOffset Minute, List<object> Facts)> Minutes()
    {
        var rng = new Random(seed);
        long n = 0;
        var installsPerMinute = hosts * 0.95 / 720;
        var crashesPerMinute = hosts * 0.2 / 1440;
        for (var day = 0; day < days; day++)
        {
            var dayStart = Start.AddDays(day);
            var patch = $"contoso/agent/{day:000}";
            double installCarry = 0, crashCarry = 0;
            var installed = 0;
            for (var m = 0; m < 1440; m++)
            {
                var t = dayStart.AddMinutes(m);
                var page = new List<object>();
                if (m == 60)
                    page.Add(new UpdateReleased($"rel-{patch}", patch, "Contoso", "agent", $"1.{day}", t, "patch", ["windows", "linux"],
                        Artifacts: [new Artifact("contoso.sys", $"1.{day}")]) { ObservedAt = t + Delay });
                if (m == 90 && day % 7 == 3)
                {
                    var weekly = $"fabrikam/os-cumulative/{day:000}";
                    page.Add(new UpdateReleased($"rel-{weekly}", weekly, "Fabrikam", "os", $"w{day}", t, "patch", ["windows"],
                        Targets: new UpdateTargets(Regions: [Regions[day % Regions.Length]]), Artifacts: [new Artifact("fabrikam.dll")],
                        Rollout: [new RolloutWave(t, 100)]) { ObservedAt = t + Delay });
                }
                if (m > 60 && m <= 780)
                {
                    installCarry += installsPerMinute;
                    for (; installCarry >= 1; installCarry--, installed++)
                    {
                        // Hosts in a fixed stride order, so each gets the patch once; 5 % (every 20th) never do.
                        var h = (int)((long)installed * 20 / 19 % hosts);
                        var at = t.AddSeconds(rng.Next(30));
                        page.Add(new UpdateInstalled($"ins-{patch}-{h}", patch, _ids[h], at) { ObservedAt = at + Delay });
                    }
                }
                crashCarry += crashesPerMinute;
                for (; crashCarry >= 1; crashCarry--)
                {
                    var h = rng.Next(hosts);
                    page.Add(Crash($"bg-{n++}", h, t.AddSeconds(rng.Next(30)), Background(rng, h)));
                }
                foreach (var region in Regions)
                    foreach (var service in Services.Take(services))
                    {
                        // One half-hour storage degradation in eastus on the second day: an episode that must leave the window.
                        var status = day == 1 && m is >= 600 and < 630 && service == "storage" && region == "eastus" ? "degraded" : "operational";
                        page.Add(new ServiceStatusObserved($"st-{service}-{region}-{day}-{m}", service, status, t, region) { ReceivedAt = t + Delay });
                    }
                if (day == BurstDay) Burst(rng, t, page, ref n);
                yield return (t, page);
            }
        }
    }

    private void Burst(Random rng, DateTimeOffset t, List<object> page, ref long n)
    {
        var at = BurstAt;
        if (t == at)
            page.Add(new UpdateReleased($"rel-{BurstUpdate}", BurstUpdate, "CrowdStrike", "falcon-content", "C-00000291", at, "content",
                ["windows"], Artifacts: [new Artifact("csagent.sys")], Rollout: [new RolloutWave(at, 100)]) { ObservedAt = at + Delay });
        if (t == at.AddMinutes(78))
            page.Add(new UpdateRecalled($"rec-{BurstUpdate}", BurstUpdate, t) { ObservedAt = t + Delay });
        var m = (int)(t - at).TotalMinutes;
        // First crashes over minutes 1..78, a slice of hosts per minute; boot loops 5 and 10 minutes later. The slices
        // follow a permutation of the hosts (a stride coprime with any fleet size of the form 2^a·5^b), not their index
        // order: the daily patch is installed in index order, and a burst that struck its earliest hosts first would
        // make the patch installed one to three hours before look like the cause (its hosts all fail, the content's
        // do not yet), which is a different test (co-installation), not the one this benchmark times.
        foreach (var (offset, share) in new[] { (0, 1.0), (5, 1 / 3.0), (10, 1 / 3.0) })
        {
            var k = m - 1 - offset;
            if (k < 0 || k >= 78) continue;
            int from = (int)((long)hosts * k / 78), to = (int)((long)hosts * (k + 1) / 78);
            for (var j = from; j < to; j++)
            {
                var h = (int)((long)j * BurstStride % hosts);
                if (Platform(h) != "windows" || h % 20 >= 17 || (share < 1 && h % 3 != 0)) continue;
                page.Add(Crash($"cs-{n++}", h, t.AddSeconds(rng.Next(30)), ("kernel", "0x00000050", "csagent.sys", null)));
            }
        }
    }

    private (string Kind, string? Code, string Module, string? Process) Background(Random rng, int h)
    {
        // 150 signatures, Zipf-like: a few common ones, a long tail.
        var k = (int)Math.Floor(Math.Pow(rng.NextDouble(), 2.5) * 150);
        return Platform(h) == "windows"
            ? k % 2 == 0 ? ("kernel", $"0x{0x7A + k:x8}", $"drv{k}.sys", null) : ("user", $"0xc{k:x7}", $"lib{k}.dll", $"app{k % 7}.exe")
            : ("kernel", null, $"mod{k}", null);
    }

    private CrashReported Crash(string id, int h, DateTimeOffset at, (string Kind, string? Code, string Module, string? Process) s)
    {
        var platform = Platform(h);
        var linux = platform == "linux";
        return new CrashReported(id, _ids[h], at, platform, s.Kind, linux ? "6.1" : "10.0.19045", Regions[h % Regions.Length], Fleets[h / 7 % Fleets.Length],
            BugcheckCode: s.Kind == "kernel" && !linux ? s.Code : null, ExceptionCode: s.Kind == "user" ? s.Code : null,
            Process: s.Process, PanicMessage: linux ? $"BUG: unable to handle page fault in {s.Module}" : null,
            FaultingModule: new ModuleRef(s.Module, "1.0"),
            Stack: [new StackFrame(s.Module, "fn", "0x1a"), new StackFrame("ntoskrnl.exe", "KiPageFault", "0x2b")])
        { ObservedAt = at + Delay };
    }
}
