using System.Net;
using Correlator.Api;

namespace Correlator.Tests.Api;

public partial class ApiEndToEndTests
{
    [Fact]
    public async Task Overview_puts_both_July_findings_on_one_timeline_with_markers_and_their_regions_where_they_overlap()
    {
        var cs = await Finding(JulyNight.CrowdStrike);
        var azure = await Finding(JulyNight.AzureStorage);
        var from = new DateTimeOffset(2024, 7, 18, 18, 0, 0, TimeSpan.Zero);
        var to = from.AddHours(18);

        var o = await _http.GetOk<OverviewReport>($"/api/overview?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}");

        Assert.Equal((from, to), (o.From, o.To));
        Assert.Equal([cs.FindingId, azure.FindingId], o.Lanes.Select(l => l.FindingId).Take(2));
        foreach (var (lane, summary) in new[] { (o.Lanes[0], cs), (o.Lanes[1], azure) })
        {
            Assert.Equal((summary.Crashes, summary.Hosts), (lane.Crashes, lane.Hosts));
            Assert.NotEmpty(lane.PerMinute);
            Assert.All(lane.PerMinute, m => Assert.InRange(m.At, from, to));
            Assert.Equal(lane.PerMinute.OrderBy(m => m.At), lane.PerMinute);
            Assert.Contains(lane.Markers, m => m.Kind == "release");
            Assert.Contains(lane.Markers, m => m.Kind == "detection" && m.At == summary.DetectedAt);
            Assert.Equal(lane.Markers.OrderBy(m => m.At), lane.Markers);
        }
        var csLane = o.Lanes[0];
        // CrowdStrike: released 04:09, recalled 05:27, the recall fixed it; its crashes are everywhere.
        Assert.Equal(new DateTimeOffset(2024, 7, 19, 5, 27, 0, TimeSpan.Zero), Assert.Single(csLane.Markers, m => m.Kind == "recall").At);
        Assert.StartsWith("The recall fixed it", Assert.Single(csLane.Markers, m => m.Kind == "resolved").Label);
        Assert.True(csLane.PerMinute.Sum(m => m.Count) >= cs.Crashes, "every crash the finding explains is in its lane");
        Assert.True(csLane.Regions.Count(r => r.Crashes > 0) >= 3, string.Join(", ", csLane.Regions.Select(r => r.Region)));
        // Azure's storage config: centralus, where its storage service degraded.
        Assert.Contains(o.Lanes[1].Regions, r => r.Region == "centralus" && r.Services.Count > 0);
        // Its lane draws those degradations too, only for service regions the finding names, within the window.
        Assert.Contains(o.Lanes[1].Degradations, d => d.Region == "centralus");
        foreach (var (lane, summary) in new[] { (o.Lanes[0], cs), (o.Lanes[1], azure) })
            Assert.All(lane.Degradations, d =>
            {
                Assert.Contains(summary.Services, s => (s.Service, s.Region) == (d.Service, d.Region));
                Assert.True(from <= d.From && d.From < d.To && d.To <= to, $"{d.Service}@{d.Region} {d.From:O}..{d.To:O}");
            });
        output.WriteLine(string.Join("\n", o.Lanes[1].Degradations.Select(d => $"{d.Service}@{d.Region} {d.Status} {d.From:HH:mm}..{d.To:HH:mm}{(d.Ongoing ? " ongoing" : "")}")));

        // The two overlap that night: per region, CrowdStrike everywhere, Azure in centralus.
        var overlap = Assert.Single(o.Overlaps, x => x.FindingIds.SequenceEqual([cs.FindingId, azure.FindingId]));
        Assert.True(overlap.From < overlap.To);
        var centralus = Assert.Single(overlap.Regions, r => r.Region == "centralus");
        Assert.NotEmpty(centralus.Findings.Single(s => s.FindingId == azure.FindingId).Services);
        Assert.True(overlap.Regions.Count(r => r.Findings.Single(s => s.FindingId == cs.FindingId).Crashes > 0) >= 3);
        Assert.All(overlap.Regions.Where(r => r.Region != "centralus"),
            r => Assert.Empty(r.Findings.Single(s => s.FindingId == azure.FindingId).Services));
        output.WriteLine(string.Join("\n", overlap.Regions.Select(r => $"{r.Region}: " + string.Join(" | ", r.Findings.Select(s => $"{s.Crashes} crashes {string.Join(",", s.Services)}")))));

        // By default the window is the findings' failures, an hour either side.
        var all = await _http.GetOk<OverviewReport>("/api/overview");
        Assert.Equal(o.Lanes.Select(l => l.FindingId).Order(), all.Lanes.Select(l => l.FindingId).Order());
        Assert.True(all.From <= o.Lanes.Min(l => l.ActiveFrom) && all.To >= o.Lanes.Max(l => l.ActiveTo));

        // A window before the night has nothing in it; bad windows are one-line errors.
        Assert.Empty((await _http.GetOk<OverviewReport>("/api/overview?from=2024-07-01T00:00:00Z&to=2024-07-02T00:00:00Z")).Lanes);
        Assert.Equal("to must be after from.", (await (await _http.GetAsync("/api/overview?from=2024-07-19T05:00:00Z&to=2024-07-19T04:00:00Z")).Problem(HttpStatusCode.BadRequest)).Detail);
        Assert.Contains("at most 7 days", (await (await _http.GetAsync("/api/overview?from=2024-07-01T00:00:00Z&to=2024-07-19T00:00:00Z")).Problem(HttpStatusCode.BadRequest)).Detail);
        Assert.Contains("from is not a timestamp", (await (await _http.GetAsync("/api/overview?from=yesterday")).Problem(HttpStatusCode.BadRequest)).Detail);
    }
}
