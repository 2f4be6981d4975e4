using System.Text.Json;
using Correlator.Api;
using Correlator.Rollouts;
using Correlator.Tests.Support;
using Microsoft.Playwright;

namespace Correlator.Tests.Api;

/// <summary>The page's rollout view and blast radius in headless Chromium, against the same July night.</summary>
public partial class ApiEndToEndTests
{
    private sealed record PageWave(int Wave, DateTimeOffset StartsAt, int NewlyExposed, int NewlyExposedFailing, string Decision);

    [Fact]
    public async Task The_page_shows_the_rollout_waves_with_the_gate_before_each_and_the_finding_s_blast_radius()
    {
        var gate = await _http.GetOk<GateReport>(GatePath(PatchTuesday));
        var crowdstrike = await Finding(JulyNight.CrowdStrike);
        var blast = await _http.GetOk<BlastRadiusReport>($"/api/findings/{crowdstrike.FindingId}/blast-radius");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await PageBrowser.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync(night.Host.BaseAddress + $"#/updates/{Uri.EscapeDataString(PatchTuesday)}");
        await page.WaitForSelectorAsync("body[data-ready^='#/updates/']");
        Assert.Equal("go", await page.Locator("#gate").GetAttributeAsync("data-decision"));
        Assert.True(await page.Locator("#rollout-chart canvas").IsVisibleAsync(), "the rollout chart is drawn");
        var waves = JsonSerializer.Deserialize<List<PageWave>>((await page.Locator("#rollout-chart").GetAttributeAsync("data-waves"))!, ApiJson.Options)!;
        Assert.Equal(gate.Waves.Select(w => (w.Wave, w.StartsAt, w.NewlyExposed, w.NewlyExposedFailing, w.Decision)),
            waves.Select(w => (w.Wave, w.StartsAt, w.NewlyExposed, w.NewlyExposedFailing, w.Decision)));
        foreach (var w in gate.Waves)
        {
            var row = page.Locator($"#waves tr[data-wave='{w.Wave}']");
            Assert.Equal(w.Decision, await row.GetAttributeAsync("data-decision"));
            Assert.Contains(w.NewlyExposed.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), await row.InnerTextAsync());
        }
        // Wave labels are placed in rows so that none overlaps another.
        NoOverlaps(await CanvasLabels(page, "#rollout-chart"), "rollout wave labels", atLeast: gate.Waves.Count);
        await Shot(page, "rollout.png");

        await page.GotoAsync(night.Host.BaseAddress + $"#/findings/{crowdstrike.FindingId}");
        await page.WaitForSelectorAsync($"body[data-ready='#/findings/{crowdstrike.FindingId}']");
        Assert.Equal("stop", await page.Locator("#gate").GetAttributeAsync("data-decision"));
        var csagent = page.Locator("#blast-radius tr[data-attribute='module=csagent.sys']");
        Assert.Contains("csagent.sys", await csagent.InnerTextAsync());
        Assert.Equal(blast.Attributes.Count, await page.Locator("#blast-radius tbody tr").CountAsync());
        Assert.Contains(blast.Profile!.NotYetExposedSharing.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.Locator("#at-risk").InnerTextAsync());
        await Shot(page, "blast-radius.png");

        Assert.Empty(errors);
    }
}
