using System.Text.Json;
using Correlator.Api;
using Correlator.Tests.Support;
using Microsoft.Playwright;

namespace Correlator.Tests.Api;

/// <summary>The SRE page in a real headless Chromium, against the backtested July night.</summary>
public partial class ApiEndToEndTests
{
    private static readonly string Artifacts = PageBrowser.Artifacts;

    private sealed record Box(double X, double Y, double Width, double Height)
    {
        public bool Overlaps(Box o) => X < o.X + o.Width && o.X < X + Width && Y < o.Y + o.Height && o.Y < Y + Height;
    }

    /// <summary>No two boxes overlap (and there is something to check).</summary>
    private static void NoOverlaps(IReadOnlyList<Box> boxes, string what, int atLeast = 2)
    {
        Assert.True(boxes.Count >= atLeast, $"{what}: {boxes.Count} labels");
        for (var i = 0; i < boxes.Count; i++)
        for (var j = i + 1; j < boxes.Count; j++)
            Assert.False(boxes[i].Overlaps(boxes[j]), $"{what}: labels {i} {boxes[i]} and {j} {boxes[j]} overlap");
    }

    private static async Task<List<Box>> CanvasLabels(IPage page, string selector) =>
        JsonSerializer.Deserialize<List<Box>>((await page.Locator(selector).GetAttributeAsync("data-label-boxes"))!, ApiJson.Options)!;

    private sealed record ChartSeries(string Label, int Crashes);
    private sealed record ChartMark(string Label, DateTimeOffset At);

    [Fact]
    public async Task The_page_shows_the_culprit_its_failures_chart_against_release_and_recall_and_the_explanation()
    {
        var crowdstrike = await Finding(JulyNight.CrowdStrike);
        var update = await _http.GetOk<UpdateReport>($"/api/updates/{JulyNight.CrowdStrike}");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await PageBrowser.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var offsite = new List<string>();
        page.Request += (_, r) => { if (!r.Url.StartsWith(night.Host.BaseAddress.ToString(), StringComparison.Ordinal)) offsite.Add(r.Url); };

        await page.GotoAsync(night.Host.BaseAddress.ToString());
        await page.WaitForSelectorAsync("body[data-ready='#/']");
        var row = page.Locator($"tr[data-finding='{crowdstrike.FindingId}']");
        var rowText = await row.InnerTextAsync();
        Assert.Contains("CrowdStrike Falcon Sensor content C-00000291-00000000-00000032", rowText);
        Assert.Contains(crowdstrike.Confidence.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), rowText);
        Assert.Contains(crowdstrike.Status, rowText);
        Assert.Contains(JulyNight.CsAgent, rowText);
        Assert.Contains(crowdstrike.Crashes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " crashes", await row.Locator("td.impact").InnerTextAsync());
        await Shot(page, "findings.png");

        // The overview first: both July findings side by side, markers in their lanes, and where they overlap, per region.
        var azure = await Finding(JulyNight.AzureStorage);
        var lanes = page.Locator("#overview-chart g.lane");
        Assert.Equal([crowdstrike.FindingId, azure.FindingId], (await lanes.EvaluateAllAsync<string[]>("ls => ls.map(l => l.dataset.finding)")).Take(2));
        var csLane = page.Locator($"#overview-chart g.lane[data-finding='{crowdstrike.FindingId}']");
        Assert.Contains(crowdstrike.Crashes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " crashes", await csLane.TextContentAsync());
        foreach (var kind in new[] { "release", "detection", "recall", "resolved" })
            Assert.Equal(1, await csLane.Locator($"text.label[data-kind='{kind}']").CountAsync());
        Assert.Equal(1, await page.Locator($"#overview-chart g.lane[data-finding='{azure.FindingId}'] text.label[data-kind='detection']").CountAsync());
        var regions = page.Locator($".region-view[data-findings='{crowdstrike.FindingId} {azure.FindingId}']");
        var centralus = await regions.Locator("tr[data-region='centralus']").InnerTextAsync();
        Assert.Contains("services degraded", centralus);
        Assert.True(await regions.Locator("tbody tr").CountAsync() >= 4, "CrowdStrike crashed in every region");
        NoOverlaps(JsonSerializer.Deserialize<List<Box>>(await page.EvaluateAsync<string>(
            "() => JSON.stringify([...document.querySelectorAll('#overview-chart text.label')].map(t => { const r = t.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; }))"),
            ApiJson.Options)!, "overview");
        await page.Locator("#overview").ScreenshotAsync(new() { Path = Path.Combine(Artifacts, "overview.png") });
        await regions.ScreenshotAsync(new() { Path = Path.Combine(Artifacts, "overview-regions.png") });

        await row.GetByRole(AriaRole.Link).First.ClickAsync();
        await page.WaitForSelectorAsync($"body[data-ready='#/findings/{crowdstrike.FindingId}']");
        Assert.Equal(crowdstrike.Explanation, await page.Locator("#explanation").InnerTextAsync());
        Assert.True(await page.Locator("#chart canvas").IsVisibleAsync(), "the chart is drawn");

        var series = JsonSerializer.Deserialize<List<ChartSeries>>((await page.Locator("#chart").GetAttributeAsync("data-series"))!, ApiJson.Options)!;
        Assert.Equal(crowdstrike.Signatures.Select(s => s.Signature).Order(), series.Select(s => s.Label).Order());
        foreach (var s in series)
            Assert.Equal(update.Failures.Series.Where(x => x.Signature == s.Label).Sum(x => x.Crashes), s.Crashes);
        var marks = JsonSerializer.Deserialize<List<ChartMark>>((await page.Locator("#chart").GetAttributeAsync("data-marks"))!, ApiJson.Options)!;
        Assert.Contains(marks, m => m.Label == "released 04:09Z" && m.At == update.Release!.ReleasedAt);
        Assert.Contains(marks, m => m.Label == "recalled 05:27Z" && m.At == update.Recall!.RecalledAt);
        Assert.Contains(marks, m => m.Label.StartsWith("detected", StringComparison.Ordinal) && m.At == crowdstrike.DetectedAt);
        var evidence = await page.Locator("ul.evidence").InnerTextAsync();
        Assert.Contains("no unexposed host crashed", evidence);
        Assert.Contains("the faulting module csagent.sys is one the update ships or affects", evidence);
        Assert.StartsWith("The recall fixed it: recalled 2024-07-19 05:27 UTC", await page.Locator("#history tr[data-kind='resolved'] td:last-child").InnerTextAsync());
        Assert.Contains("The recall fixed it", await page.Locator("#resolution").InnerTextAsync());
        NoOverlaps(await CanvasLabels(page, "#chart"), "finding chart");
        await page.WaitForSelectorAsync("#rollout-chart[data-label-boxes]");
        NoOverlaps(await CanvasLabels(page, "#rollout-chart"), "rollout chart", atLeast: 1);
        await Shot(page, "finding.png");

        await page.GotoAsync(night.Host.BaseAddress + $"#/updates/{Uri.EscapeDataString(JulyNight.CrowdStrike)}");
        await page.WaitForSelectorAsync($"body[data-ready^='#/updates/']");
        Assert.Contains("Logic error in Channel File 291", await page.Locator("main").InnerTextAsync());
        NoOverlaps(await CanvasLabels(page, "#chart"), "update chart");
        await Shot(page, "update.png");

        // Azure's storage change: its crashes charted, and under them its centralus services' degraded spans.
        await page.GotoAsync(night.Host.BaseAddress + $"#/findings/{azure.FindingId}");
        await page.WaitForSelectorAsync($"body[data-ready='#/findings/{azure.FindingId}']");
        Assert.True(await page.Locator("#chart canvas").IsVisibleAsync(), "the crash chart is drawn");
        var spans = await page.Locator("#degradations-chart rect.degraded").EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.region)");
        Assert.NotEmpty(spans);
        Assert.All(spans, r => Assert.Equal("centralus", r));
        await Shot(page, "finding-services.png");

        var host = (await _http.GetOk<SignatureReport>($"/api/signatures/{JulyNight.CsAgent}")).HostIds[0];
        await page.GotoAsync(night.Host.BaseAddress + $"#/hosts/{host}");
        await page.WaitForSelectorAsync($"body[data-ready='#/hosts/{host}']");
        Assert.Contains(JulyNight.CsAgent, await page.Locator("#timeline").InnerTextAsync());
        await Shot(page, "host.png");

        Assert.Empty(offsite);
    }

    private async Task Shot(IPage page, string name)
    {
        var path = Path.Combine(Artifacts, name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
    }
}
