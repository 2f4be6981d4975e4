using Correlator.Api;
using Correlator.Correlation;
using Correlator.Findings;

namespace Correlator.Tests.Api;

/// <summary>The overview's lanes from findings, crash days and service status histories (pure).</summary>
public class OverviewReportTests
{
    private static readonly DateTimeOffset T0 = new(2024, 9, 3, 9, 0, 0, TimeSpan.Zero);
    private static DateTimeOffset At(double minutes) => T0.AddMinutes(minutes);

    private static ServiceStatusHistory History(string service, string region, params (double Minute, string Status)[] observations) => new()
    {
        Id = $"service/{service}@{region}",
        Service = service,
        Region = region,
        Observations = [.. observations.Select(o => new StatusObservation(At(o.Minute), o.Status, null, "status-page", null))],
    };

    /// <summary>A gateway config that only degraded services (no crash signature), resolved at minute 200.</summary>
    private static FindingView ConfigRollout(params (string Service, string Region)[] services)
    {
        var finding = new Finding("F-config", FindingStatus.Resolved, "internal/edge-gateway/config", "Platform Engineering", "edge-gateway", "2024-09-03.1", 0.97,
            [], [.. services.Select(s => new FindingService(s.Service, s.Region, "partial_outage"))],
            new FindingEvidence(T0, At(180), "targets", 0.01, 0.97, [], []), "", At(14), At(30));
        return new FindingView
        {
            Id = finding.FindingId, Current = finding, DetectedAt = At(30), UpdatedAt = At(200),
            History = [new("raised", At(30), 0.9, FindingStatus.Suspected), new("resolved", At(200), 0.97, FindingStatus.Resolved, Reason: "The recall fixed it")],
        };
    }

    [Fact]
    public void A_span_runs_from_the_first_degraded_observation_to_the_next_healthy_one_with_its_worst_status()
    {
        var h = History("checkout-api", "eastus", (0, "operational"), (10, "degraded"), (12, "maintenance"), (15, "Partial_Outage"), (20, "degraded"),
            (40, "operational"), (50, "operational"), (70, "major_outage"));

        var spans = DegradedSpan.Of(h, At(0), At(100));

        Assert.Equal([new DegradedSpan("checkout-api", "eastus", "partial_outage", At(10), At(40), false),
            new DegradedSpan("checkout-api", "eastus", "major_outage", At(70), At(100), true)], spans);
        // Clipped to the window; a span outside it is left out.
        Assert.Equal([new DegradedSpan("checkout-api", "eastus", "partial_outage", At(30), At(40), false)], DegradedSpan.Of(h, At(30), At(60)));
        Assert.Empty(DegradedSpan.Of(h, At(41), At(69)));
        Assert.Empty(DegradedSpan.Of(History("a", "b", (0, "operational"), (5, "maintenance")), At(0), At(10)));
    }

    [Fact]
    public void A_finding_without_crashes_draws_its_degraded_service_regions_in_its_lane_first_to_degrade_first()
    {
        var view = ConfigRollout(("payments-api", "eastus"), ("checkout-api", "westeurope"), ("checkout-api", "eastus"));
        var services = new[]
        {
            History("checkout-api", "westeurope", (0, "operational"), (14, "partial_outage"), (230, "operational")),
            History("checkout-api", "eastus", (0, "operational"), (60, "partial_outage"), (90, "partial_outage"), (220, "operational")),
            History("payments-api", "eastus", (0, "operational"), (62, "degraded"), (215, "operational")),
            // Not a service region the finding names: not in its lane.
            History("payments-api", "southeastasia", (0, "operational"), (40, "major_outage"), (50, "operational")),
        };

        var o = OverviewReport.Build(At(-60), At(300), [view], new Dictionary<string, UpdateImpact>(), [], services);

        var lane = Assert.Single(o.Lanes);
        Assert.Empty(lane.PerMinute);
        Assert.Equal(0, lane.Crashes);
        Assert.Equal(["checkout-api@westeurope", "checkout-api@eastus", "payments-api@eastus"], lane.Degradations.Select(d => $"{d.Service}@{d.Region}"));
        Assert.Equal([(At(14), At(230)), (At(60), At(220)), (At(62), At(215))], lane.Degradations.Select(d => (d.From, d.To)));
        Assert.Equal(["partial_outage", "partial_outage", "degraded"], lane.Degradations.Select(d => d.Status));
        // Failing from its first failure until its last service region recovered, past the resolution at minute 200.
        Assert.Equal((At(14), At(230)), (lane.ActiveFrom, lane.ActiveTo));
    }

    [Fact]
    public void An_ongoing_degradation_runs_to_the_window_end_without_stretching_a_closed_finding()
    {
        var view = ConfigRollout(("checkout-api", "westeurope"));
        var services = new[] { History("checkout-api", "westeurope", (14, "major_outage")) };

        var lane = Assert.Single(OverviewReport.Build(At(-60), At(300), [view], new Dictionary<string, UpdateImpact>(), [], services).Lanes);

        Assert.Equal([new DegradedSpan("checkout-api", "westeurope", "major_outage", At(14), At(300), true)], lane.Degradations);
        Assert.Equal(At(200), lane.ActiveTo);
    }

    [Fact]
    public void Where_two_findings_overlap_a_service_counts_only_when_it_was_degraded_in_that_span()
    {
        var early = ConfigRollout(("checkout-api", "westeurope"), ("payments-api", "westeurope"));
        var other = new FindingView
        {
            Id = "F-other",
            Current = early.Current with { FindingId = "F-other", UpdateId = "other/update", Services = [new FindingService("search", "westeurope", "degraded")], FirstFailureAt = At(100) },
            DetectedAt = At(110), UpdatedAt = At(150), History = [new("raised", At(110), 0.8, FindingStatus.Suspected), new("resolved", At(150), 0.8, FindingStatus.Resolved)],
        };
        var services = new[]
        {
            History("checkout-api", "westeurope", (14, "partial_outage"), (230, "operational")),
            History("payments-api", "westeurope", (14, "degraded"), (40, "operational")),
            History("search", "westeurope", (100, "degraded"), (150, "operational")),
        };

        var o = OverviewReport.Build(At(-60), At(300), [early, other], new Dictionary<string, UpdateImpact>(), [], services);

        var overlap = Assert.Single(o.Overlaps);
        Assert.Equal((At(100), At(150)), (overlap.From, overlap.To));
        var westeurope = Assert.Single(overlap.Regions);
        Assert.Equal(["checkout-api"], westeurope.Findings.Single(f => f.FindingId == "F-config").Services);
        Assert.Equal(["search"], westeurope.Findings.Single(f => f.FindingId == "F-other").Services);
    }
}
