using Correlator.Ingestion.Events;
using Correlator.Rollouts;

namespace Correlator.Tests.Rollouts;

/// <summary>The gate's pure math on small worlds: the sequential test, the decisions, the waves.</summary>
public class RolloutGateTests
{
    private static readonly DateTimeOffset T0 = new(2024, 9, 1, 12, 0, 0, TimeSpan.Zero);
    private const string Update = "contoso/agent/2.0";
    private static readonly GateSettings TestOnly = GateSettings.Default with { StopOnFindings = false, StopOnRecall = false };

    [Fact]
    public void Under_equal_rates_the_mixture_rarely_ever_crosses_its_threshold_however_long_it_is_watched()
    {
        var rng = new Random(42);
        const double alpha = 0.05;
        var crossed = 0;
        const int runs = 400;
        for (var run = 0; run < runs; run++)
        {
            var failures = new List<HazardRatioMixture.Failure>();
            for (var i = 0; i < 300; i++)
            {
                var n1 = rng.Next(1, 60);
                var n0 = rng.Next(1, 60);
                failures.Add(new(n1, n0, rng.NextDouble() < (double)n1 / (n1 + n0)));
            }
            if (HazardRatioMixture.Run(failures).MaxLogRatio >= Math.Log(1 / alpha)) crossed++;
        }
        Assert.True(crossed <= runs * alpha, $"{crossed} of {runs} null runs crossed 1/alpha");
    }

    [Fact]
    public void A_fivefold_hazard_crosses_the_threshold_within_a_few_dozen_failures()
    {
        var rng = new Random(7);
        var failures = new List<HazardRatioMixture.Failure>();
        for (var i = 0; i < 60; i++)
        {
            const double p = 0.2, theta = 5;
            failures.Add(new(20, 80, rng.NextDouble() < theta * p / (theta * p + 1 - p)));
        }
        Assert.True(HazardRatioMixture.Run(failures).MaxLogRatio >= Math.Log(1000));
    }

    [Fact]
    public void Failures_with_nobody_to_compare_against_carry_no_evidence()
    {
        var (max, _, informative) = HazardRatioMixture.Run([new(10, 0, true), new(0, 10, false), new(10, 0, true)]);
        Assert.Equal(0, max);
        Assert.Equal(0, informative);
    }

    /// <summary>60 hosts of one fleet and region; the first <paramref name="installed"/> install at T0, staggered by a minute.</summary>
    private static (List<FleetHost> Hosts, UpdateReleased Release, List<HostExposure> Installs) World(int installed, Func<int, TimeSpan?> failsAfterInstall, Func<int, TimeSpan?>? unexposedFailsAt = null)
    {
        var hosts = new List<FleetHost>();
        var installs = new List<HostExposure>();
        for (var i = 0; i < 60; i++)
        {
            var h = new FleetHost { Id = $"H{i:00}" };
            // Every host reported an old crash once, so its attributes are known.
            h.Apply(Crash(h.Id, T0 - TimeSpan.FromDays(3), "windows-kernel:0x0000000a:old.sys"));
            if (i < installed)
            {
                var at = T0 + TimeSpan.FromMinutes(i);
                installs.Add(new HostExposure(h.Id, at, at));
                if (failsAfterInstall(i) is { } d) h.Apply(Crash(h.Id, at + d, "windows-kernel:0x0000003b:agent.sys"));
            }
            else if (unexposedFailsAt?.Invoke(i) is { } u) h.Apply(Crash(h.Id, T0 + u, "windows-kernel:0x0000003b:agent.sys"));
            hosts.Add(h);
        }
        var release = new UpdateReleased("r1", Update, "Contoso", "Agent", "2.0", T0, "agent", ["windows"]) { ObservedAt = T0 };
        return (hosts, release, installs);
    }

    private static CrashReported Crash(string host, DateTimeOffset at, string signature)
    {
        var parts = signature.Split(':');
        return new CrashReported($"c-{host}-{at.UtcTicks}", host, at, "windows", "kernel", "10.0.22631.3880", "eastus", "pos",
            BugcheckCode: parts[1], FaultingModule: new ModuleRef(parts[2]), Modules: [new ModuleRef(parts[2], "1.0")]) { ObservedAt = at };
    }

    [Fact]
    public void Exposed_hosts_failing_far_more_than_their_unexposed_peers_stop_the_update_by_the_test_alone()
    {
        var (hosts, release, installs) = World(30, i => i % 3 == 0 ? null : TimeSpan.FromMinutes(20 + i));
        var gate = new RolloutGate(Update, [release], null, null, [], hosts, installs, TestOnly);

        var d = gate.Decide(T0 + TimeSpan.FromHours(3));

        Assert.Equal(GateDecisions.Stop, d.Decision);
        Assert.Equal(30, d.Exposed);
        Assert.Equal(20, d.FailingExposed);
        Assert.True(d.ExposedRate > d.BaselineRate);
        Assert.True(d.Evidence.LikelihoodRatio >= 1000);
        Assert.True(d.Evidence.AlwaysValidPValue <= 0.001);
        Assert.Contains(d.Reasons, r => r.Contains("fail significantly more", StringComparison.Ordinal));
    }

    [Fact]
    public void Exposed_and_unexposed_hosts_failing_alike_go()
    {
        var (hosts, release, installs) = World(30, i => i % 6 == 0 ? TimeSpan.FromMinutes(40 + i) : null, i => i % 6 == 0 ? TimeSpan.FromMinutes(40 + i) : null);
        var gate = new RolloutGate(Update, [release], null, null, [], hosts, installs, TestOnly);

        var d = gate.Decide(T0 + TimeSpan.FromHours(3));

        Assert.Equal(GateDecisions.Go, d.Decision);
        Assert.True(d.Evidence.LikelihoodRatio < 1000);
        Assert.True(d.Evidence.InformativeFailures > 0);
    }

    [Fact]
    public void Too_little_exposure_holds_and_nothing_exposed_yet_holds()
    {
        var (hosts, release, installs) = World(30, _ => null);
        var gate = new RolloutGate(Update, [release], null, null, [], hosts, installs);

        var early = gate.Decide(T0 + TimeSpan.FromMinutes(4));
        Assert.Equal(GateDecisions.Hold, early.Decision);
        Assert.Equal(5, early.Exposed);
        Assert.Contains("too little exposure", early.Reasons[0]);
        Assert.Equal(GateDecisions.Hold, gate.Decide(T0 - TimeSpan.FromMinutes(1)).Decision);
        Assert.Equal(GateDecisions.Go, gate.Decide(T0 + TimeSpan.FromHours(2)).Decision);
    }

    [Fact]
    public void A_finding_naming_the_update_stops_it_from_its_detection_until_it_is_dismissed_and_a_recall_stops_it()
    {
        var (hosts, release, installs) = World(30, _ => null);
        var detected = T0 + TimeSpan.FromHours(1);
        var finding = new GateFinding("F-1", detected, detected + TimeSpan.FromHours(1), 0.93, "Agent 2.0 crashes hosts.");
        var gate = new RolloutGate(Update, [release], null, null, [finding], hosts, installs);

        Assert.Equal(GateDecisions.Go, gate.Decide(detected - TimeSpan.FromMinutes(1)).Decision);
        var stop = gate.Decide(detected);
        Assert.Equal(GateDecisions.Stop, stop.Decision);
        Assert.Equal(0.93, stop.Confidence);
        Assert.Equal(["F-1"], stop.Evidence.Findings);
        Assert.StartsWith("finding F-1 names the update", stop.Reasons[0]);
        Assert.Equal(GateDecisions.Go, gate.Decide(detected + TimeSpan.FromHours(2)).Decision);

        var recalled = new RolloutGate(Update, [release], T0 + TimeSpan.FromHours(1), "bad build", [], hosts, installs);
        Assert.Equal(GateDecisions.Stop, recalled.Decide(T0 + TimeSpan.FromHours(2)).Decision);
        Assert.Contains("bad build", recalled.Decide(T0 + TimeSpan.FromHours(2)).Reasons[0]);
    }

    [Fact]
    public void Facts_not_yet_known_at_the_moment_asked_do_not_count()
    {
        var (hosts, release, installs) = World(30, i => i % 3 == 0 ? null : TimeSpan.FromMinutes(20 + i));
        // The crash reports arrive a day late.
        foreach (var h in hosts) h.Failures = h.Failures.Select(f => f with { Known = f.At + TimeSpan.FromDays(1) }).ToList();
        var gate = new RolloutGate(Update, [release], null, null, [], hosts, installs, TestOnly);

        Assert.Equal(GateDecisions.Go, gate.Decide(T0 + TimeSpan.FromHours(3)).Decision);
        Assert.Equal(GateDecisions.Stop, gate.Decide(T0 + TimeSpan.FromDays(2)).Decision);
    }

    [Fact]
    public void Waves_follow_the_installations_in_canary_steps_with_the_gate_before_each()
    {
        var (hosts, release, installs) = World(40, i => i < 4 ? null : TimeSpan.FromMinutes(5));
        var gate = new RolloutGate(Update, [release], null, null, [], hosts, installs, TestOnly);

        var waves = gate.Waves(T0 + TimeSpan.FromHours(5));

        Assert.Equal(RolloutWaves.Steps.Select(s => (double?)s).Skip(1), waves.Select(w => w.Percent).Skip(1));
        Assert.Equal(40, waves.Sum(w => w.NewlyExposed));
        Assert.Equal(GateDecisions.Hold, waves[0].Decision);
        Assert.Equal(GateDecisions.Stop, waves[^1].Decision);
        Assert.All(waves.Skip(1), w => Assert.Equal(waves.TakeWhile(x => x.Wave < w.Wave).Sum(x => x.NewlyExposed), w.ExposedBefore));
    }
}
