using Correlator.Correlation;
using Correlator.Ingestion.Events;
using Xunit.Abstractions;

namespace Correlator.Tests.Correlation;

/// <summary>Crash reports that leave out the host's region or fleet: a missing place is unknown, not elsewhere.</summary>
public class UnplacedHostTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset N = World.Night;
    private const string Rules = "northwind/nwflt-rules/C-947-86";
    private const string Signature = "windows-kernel:0x0000003b:nwflt.sys";

    /// <summary>
    /// Content pushed to one fleet, crashing most of it within minutes; the reports of one failing host in six name no
    /// fleet (or no region either), and some of those hosts name it only in a later report.
    /// </summary>
    private static World PushToOneFleet(int seed)
    {
        var w = new World(seed: seed);
        w.Background(N.AddHours(-30), N.AddHours(6), 0.5);
        w.HarmlessUpdates(N.AddHours(-30), N.AddHours(5), 10);
        w.Release("northwind/nwflt-rules/C-773-35", N.AddHours(-6), "Northwind", "nwflt-rules", "C-773-35",
            affects: ["nwflt.sys"], targets: new UpdateTargets(Fleets: ["pos-terminals"]), kind: "content");
        w.Release(Rules, N, "Northwind", "nwflt-rules", "C-947-86",
            affects: ["nwflt.sys"], targets: new UpdateTargets(Fleets: ["pos-terminals"]), kind: "content");
        var rng = new Random(seed);
        foreach (var h in w.Hosts.Where(h => h.Fleet == "pos-terminals"))
        {
            if (rng.NextDouble() >= 0.8) continue;
            var t = N.AddMinutes(0.5 + 20 * rng.NextDouble());
            var unplaced = rng.NextDouble() < 1.0 / 6;
            var placedLater = unplaced && rng.NextDouble() < 0.5;
            for (var k = 0; k < 3; k++)
            {
                var c = w.Crash(h.Id, t.AddMinutes(3 * k), "0x3B", "nwflt.sys");
                if (unplaced && (k == 0 || !placedLater))
                    w.Facts[^1] = c with { Fleet = null, Region = k % 2 == 0 ? null : c.Region };
            }
        }
        return w;
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    public void A_push_to_one_fleet_keeps_the_failing_hosts_whose_reports_name_no_fleet(int seed)
    {
        var w = PushToOneFleet(seed);
        var findings = w.Run();
        foreach (var f in findings) output.WriteLine($"{f.UpdateId} {f.Current.Confidence} {string.Join(",", f.Current.Signatures.Select(s => $"{s.Signature}({s.Crashes}/{s.Hosts})"))}");
        var push = Assert.Single(findings, f => f.UpdateId == Rules);
        Assert.True(push.Current.Confidence >= 0.9, $"confidence {push.Current.Confidence}");
        Assert.Contains(push.Current.Signatures, s => s.Signature == Signature);
        Assert.DoesNotContain(findings, f => f.UpdateId != Rules);
    }
}
