using System.Text.Json;
using Correlator.Api;
using Correlator.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Correlator.Tests.Api;

/// <summary>
/// The overview of a finding that explains no crash, only degraded services (a config rollout): through the API and in
/// headless Chromium.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class OverviewDegradationTests(ConfigRolloutDay day, ITestOutputHelper output) : IClassFixture<ConfigRolloutDay>
{
    private readonly HttpClient _http = day.Http;

    private async Task<(FindingSummary Finding, OverviewLane Lane)> Gateway()
    {
        var finding = Assert.Single((await _http.GetOk<Paged<FindingSummary>>("/api/findings")).Items, f => f.UpdateId == ConfigRolloutDay.Gateway);
        var overview = await _http.GetOk<OverviewReport>("/api/overview");
        return (finding, Assert.Single(overview.Lanes, l => l.FindingId == finding.FindingId));
    }

    [Fact]
    public async Task The_overview_draws_a_config_rollout_s_degraded_service_regions_wave_by_wave_though_it_has_no_crash()
    {
        var (finding, lane) = await Gateway();

        Assert.Equal((0, 0), (finding.Crashes, lane.Crashes));
        Assert.Empty(lane.PerMinute);
        // Every service region the finding names is drawn, each span within the window and the lane's failing span.
        var named = finding.Services.Select(s => $"{s.Service}@{s.Region}").Order().ToList();
        Assert.True(named.Count >= 5, string.Join(", ", named));
        Assert.Equal(named, lane.Degradations.Select(d => $"{d.Service}@{d.Region}").Distinct().Order());
        Assert.All(lane.Degradations, d =>
        {
            Assert.True(d.From < d.To, $"{d.Service}@{d.Region} {d.From:O}..{d.To:O}");
            Assert.InRange(d.From, lane.ActiveFrom, lane.ActiveTo);
            Assert.InRange(d.To, lane.ActiveFrom, lane.ActiveTo);
            Assert.False(d.Ongoing, "every region recovered after the rollback");
            Assert.Contains(d.Status, new[] { "degraded", "partial_outage", "major_outage" });
        });
        // First to degrade first: the waves' order, westeurope, eastus, centralus.
        Assert.Equal(ConfigRolloutDay.WaveOrder, lane.Degradations.Select(d => d.Region).Distinct());
        // Every span ends after the rollback at 19:20.
        var recall = Assert.Single(lane.Markers, m => m.Kind == "recall").At;
        Assert.All(lane.Degradations, d => Assert.True(d.To > recall, $"{d.Service}@{d.Region} recovered at {d.To:O}, before the rollback"));
        output.WriteLine(string.Join("\n", lane.Degradations.Select(d => $"{d.Service}@{d.Region} {d.Status} {d.From:HH:mm}..{d.To:HH:mm}")));
    }

    [Fact]
    public async Task The_page_s_overview_shows_one_row_per_degraded_service_region_in_the_config_rollout_s_lane()
    {
        var (finding, lane) = await Gateway();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await PageBrowser.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(day.Host.BaseAddress.ToString());
        await page.WaitForSelectorAsync("body[data-ready='#/']");
        var g = page.Locator($"#overview-chart g.lane[data-finding='{finding.FindingId}']");
        var text = await g.TextContentAsync();
        Assert.Contains($"{finding.ServiceRegions} service regions degraded", text);
        Assert.Contains("0 crashes, 0 hosts", text);
        var rects = g.Locator("rect.degraded");
        Assert.Equal(lane.Degradations.Count, await rects.CountAsync());
        Assert.Equal(lane.Degradations.Select(d => $"{d.Service}@{d.Region} {d.Status}"),
            await rects.EvaluateAllAsync<string[]>("rs => rs.map(r => `${r.dataset.service}@${r.dataset.region} ${r.dataset.status}`)"));
        // Drawn as a staircase: each row starts no earlier than the one above it, and none is a sliver.
        var boxes = JsonSerializer.Deserialize<List<Box>>(await rects.EvaluateAllAsync<string>(
            "rs => JSON.stringify(rs.map(r => { const b = r.getBoundingClientRect(); return { x: b.x, y: b.y, width: b.width, height: b.height }; }))"), ApiJson.Options)!;
        var firstPerRow = boxes.GroupBy(b => b.Y).OrderBy(r => r.Key).Select(r => r.Min(b => b.X)).ToList();
        Assert.Equal(firstPerRow.Order(), firstPerRow);
        Assert.All(boxes, b => Assert.True(b.Width >= 20 && b.Height >= 3, $"{b}"));
        foreach (var kind in new[] { "release", "detection", "recall" })
            Assert.True(await g.Locator($"text.label[data-kind='{kind}']").CountAsync() >= 1, kind);
        Assert.Empty(errors);

        var path = Path.Combine(PageBrowser.Artifacts, "overview-degradations.png");
        await page.Locator("#overview").ScreenshotAsync(new() { Path = path });
        output.WriteLine($"screenshot: {path}");

        // The lane's name leads to the finding: no crash chart, its service regions' spans instead.
        await g.Locator("a").First.ClickAsync();
        await page.WaitForSelectorAsync($"body[data-ready='#/findings/{finding.FindingId}']");
        Assert.Equal(0, await page.Locator("#chart").CountAsync());
        Assert.Contains("No crash signatures", await page.Locator("#degradations-caption").InnerTextAsync());
        Assert.Equal(lane.Degradations.Select(d => $"{d.Service}@{d.Region} {d.Status}"),
            await page.Locator("#degradations-chart rect.degraded").EvaluateAllAsync<string[]>("rs => rs.map(r => `${r.dataset.service}@${r.dataset.region} ${r.dataset.status}`)"));
        var findingPath = Path.Combine(PageBrowser.Artifacts, "finding-degradations.png");
        await page.ScreenshotAsync(new() { Path = findingPath, FullPage = true });
        output.WriteLine($"screenshot: {findingPath}");
        Assert.Empty(errors);
    }

    private sealed record Box(double X, double Y, double Width, double Height);
}
