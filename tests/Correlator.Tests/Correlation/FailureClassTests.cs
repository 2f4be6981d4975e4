using Correlator.Correlation;
using Correlator.Scenarios;
using Xunit.Abstractions;

namespace Correlator.Tests.Correlation;

/// <summary>
/// The failure classes of issue #18, each a generator randomized over seeds (not the corpus seeds): every seed must
/// find its culprit and raise nothing else.
/// </summary>
public class FailureClassTests(ITestOutputHelper output)
{
    public static TheoryData<int> Seeds() => [11, 23, 37, 41, 59];

    private void Check(Scenario scenario)
    {
        var facts = ScenarioFacts.Parse(ScenarioWriter.Ndjson(scenario).Split('\n'));
        var result = Accuracy.Run(scenario.Name, facts, scenario.Expected);
        output.WriteLine(Accuracy.Table(new AccuracyReport([result])));
        Assert.Empty(result.FalsePositives);
        Assert.Empty(result.FalseNegatives);
    }

    [Theory, MemberData(nameof(Seeds))]
    public void A_config_rollout_seen_only_through_status_transitions_is_found(int seed) =>
        Check(TransitionOnlyRollout.Generate("transition-only-rollout", seed));
}
