using Correlator.Correlation;
using Correlator.Ingestion.Events;

namespace Correlator.Tests.Correlation;

/// <summary>
/// Status sources that publish transitions send one message when a degradation begins. Alone, such a message counts
/// only once it has lasted the minimum span (it may be a blip); several service regions going down in the same minutes
/// corroborate each other and count from their onsets.
/// </summary>
public class CorroboratedEpisodeTests
{
    private static readonly string[] Services = ["checkout", "search", "auth", "billing"];
    private static readonly string[] Regions = ["eastus", "westus", "westeurope"];
    private static readonly DateTimeOffset Push = World.Night.AddHours(6);
    private const string Config = "internal/edge-routing/2024.07.19.1";

    /// <summary>A config naming the first <paramref name="named"/> services in eastus; those go down 2, 3, 4… minutes after it, for good.</summary>
    private static World ConfigRollout(int named)
    {
        var w = new World();
        foreach (var s in Services)
            foreach (var r in Regions)
                w.Status(s, r, "operational", World.Night);
        w.HarmlessUpdates(World.Night, Push, 6);
        w.Release(Config, Push, "internal", "edge-routing", "2024.07.19.1", kind: "config", platforms: [],
            targets: new UpdateTargets(Regions: ["eastus"], Services: Services.Take(named).ToList()));
        for (var i = 0; i < named; i++) w.Status(Services[i], "eastus", "partial_outage", Push.AddMinutes(2 + i));
        for (var m = 5; m <= 120; m += 5) w.Status("billing", "westus", "operational", Push.AddMinutes(m)); // time moves on
        return w;
    }

    [Fact]
    public void Three_service_regions_going_down_together_count_from_their_onsets_not_after_the_span()
    {
        var finding = Assert.Single(ConfigRollout(named: 3).Run(), f => f.UpdateId == Config);
        var thirdOnset = Push.AddMinutes(4);
        Assert.InRange(finding.DetectedAt, thirdOnset, thirdOnset.AddMinutes(3));
        // Without corroboration the first onset (Push + 2 min) counts only once it has lasted the 15-minute span.
        var alone = Assert.Single(ConfigRollout(named: 3).Run(CorrelationSettings.Default with { CorroboratingUnits = 0 }), f => f.UpdateId == Config);
        Assert.True(alone.DetectedAt >= Push.AddMinutes(2) + CorrelationSettings.Default.MinServiceEpisodeSpan, $"{alone.DetectedAt:HH:mm}");
    }

    [Fact]
    public void Two_are_not_enough_to_skip_the_span()
    {
        var finding = Assert.Single(ConfigRollout(named: 2).Run(), f => f.UpdateId == Config);
        Assert.True(finding.DetectedAt >= Push.AddMinutes(2) + CorrelationSettings.Default.MinServiceEpisodeSpan,
            $"detected at {finding.DetectedAt:HH:mm}, before two lone onsets had lasted the span");
    }
}
