using Correlator.Correlation;
using Correlator.Tests.Support;
using Xunit.Abstractions;

namespace Correlator.Tests.Correlation;

public class TransitionCountTests(ITestOutputHelper output)
{
    [Fact]
    public void Updated_transitions_are_announced_only_for_material_changes()
    {
        var findings = CorrelationEngine.Run(ScenarioFacts.Read(Corpus.Path("july-2024-small.ndjson")));
        foreach (var f in findings)
            output.WriteLine($"{f.UpdateId}: {string.Join(", ", f.Transitions.GroupBy(t => t.Kind).Select(g => $"{g.Key} {g.Count()}"))}");
        // Material = a new signature or service region, confidence moving by the configured step, or the explained hosts/crashes growing
        // by the configured factor: at most a couple of dozen over a night, never one a minute (a service-only finding used to announce ~33).
        Assert.All(findings, f => Assert.InRange(f.Transitions.Count(t => t.Kind == TransitionKind.Updated), 0, 20));
    }
}
