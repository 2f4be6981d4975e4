using Correlator.Api;
using Correlator.Correlation;
using Correlator.Findings;

namespace Correlator.Tests.Findings;

/// <summary>The order of every findings list: confidence as shown, then crashes, hosts, service regions (pure).</summary>
public class FindingOrderTests
{
    private static readonly DateTimeOffset T0 = new(2024, 7, 19, 4, 0, 0, TimeSpan.Zero);

    private static FindingSummary Row(string id, double confidence, int crashes = 0, int hosts = 0, int services = 0, int detectedMinute = 0)
    {
        var signatures = crashes == 0 ? [] : new List<FindingSignature> { new("windows-kernel:0x50:a.sys", crashes, hosts) };
        var regions = Enumerable.Range(0, services).Select(i => new FindingService($"svc-{i}", "centralus", "major_outage")).ToList();
        var finding = new Finding(id, FindingStatus.Suspected, "u/" + id, "V", "P", "1", confidence, signatures, regions,
            new FindingEvidence(T0, null, "targets", 0.01, confidence, [], []), "", T0, T0.AddMinutes(detectedMinute));
        return FindingSummary.From(finding, finding.DetectedAt, finding.DetectedAt);
    }

    private static IEnumerable<string> Ids(IEnumerable<FindingSummary> rows) => FindingSummary.Sort(rows).Select(r => r.FindingId);

    [Fact]
    public void Higher_confidence_as_shown_comes_first_whatever_the_impact()
    {
        Assert.Equal(["sure", "big"], Ids([Row("big", 0.90, crashes: 5000, hosts: 3000), Row("sure", 0.97, crashes: 3, hosts: 3)]));
    }

    [Fact]
    public void At_equal_shown_confidence_more_crashes_then_hosts_then_service_regions_come_first()
    {
        // The July night: both show 1.00; Azure's 0.9953 against CrowdStrike's 0.9986 must not decide, the crashes do.
        Assert.Equal(["crowdstrike", "azure"], Ids([Row("azure", 0.9986, crashes: 32, hosts: 31, services: 9), Row("crowdstrike", 0.9953, crashes: 1082, hosts: 599)]));
        Assert.Equal(["wide", "narrow"], Ids([Row("narrow", 0.80, crashes: 100, hosts: 10), Row("wide", 0.80, crashes: 100, hosts: 90)]));
        Assert.Equal(["nine", "two"], Ids([Row("two", 0.80, services: 2), Row("nine", 0.80, services: 9)]));
        Assert.Equal(["crashes", "services"], Ids([Row("services", 0.80, services: 9), Row("crashes", 0.80, crashes: 1, hosts: 1)]));
    }

    [Fact]
    public void Equal_impact_falls_back_to_exact_confidence_then_earlier_detection_then_id()
    {
        Assert.Equal(["a", "b"], Ids([Row("b", 0.801, crashes: 5, hosts: 5), Row("a", 0.804, crashes: 5, hosts: 5)]));
        Assert.Equal(["late-id-first", "z"], Ids([Row("z", 0.8, crashes: 5, hosts: 5, detectedMinute: 9), Row("late-id-first", 0.8, crashes: 5, hosts: 5, detectedMinute: 1)]));
        Assert.Equal(["x", "y"], Ids([Row("y", 0.8, crashes: 5, hosts: 5), Row("x", 0.8, crashes: 5, hosts: 5)]));
    }

    [Fact]
    public void Summary_counts_are_the_sums_over_signatures_and_the_service_regions()
    {
        var finding = Row("f", 0.9, services: 2) with { };
        var two = new Finding("g", FindingStatus.Suspected, "u/g", "V", "P", "1", 0.9,
            [new("windows-kernel:0x50:a.sys", 10, 7), new("linux-kernel:hung-task:ext4", 4, 4)], [new("svc", "centralus", "degraded")],
            new FindingEvidence(T0, null, "targets", 0.01, 0.9, [], []), "", T0, T0);
        var row = FindingSummary.From(two, T0, T0);
        Assert.Equal((14, 11, 1), (row.Crashes, row.Hosts, row.ServiceRegions));
        Assert.Equal((0, 0, 2), (finding.Crashes, finding.Hosts, finding.ServiceRegions));
        Assert.Equal(["g"], FindingOrder.Sort([two]).Select(f => f.FindingId));
    }
}
