using System.Text.Json;
using Correlator.Correlation;
using Correlator.Ingestion.Events;

namespace Correlator.Tests.Correlation;

public class DeterminismTests
{
    private static string Json(IReadOnlyList<FindingHistory> f) => JsonSerializer.Serialize(f);

    [Fact]
    public void Shuffled_insertion_and_any_batching_give_identical_findings()
    {
        var facts = HardCaseTests.JulyNight().Facts;
        var expected = Json(CorrelationEngine.Run(facts));
        Assert.Contains("C-00000291", expected);
        for (var seed = 1; seed <= 3; seed++)
        {
            var rng = new Random(seed);
            var shuffled = facts.OrderBy(_ => rng.Next()).ToList();
            Assert.Equal(expected, Json(CorrelationEngine.Run(shuffled)));

            var engine = new CorrelationEngine();
            foreach (var batch in shuffled.Chunk(97 * seed)) { engine.AddRange(batch); engine.Evaluate(closeOpenTick: seed % 2 == 0); }
            Assert.Equal(expected, Json(engine.Evaluate()));
        }
        // In arrival order, small batches: the incremental path.
        var inOrder = new CorrelationEngine();
        foreach (var batch in facts.OrderBy(f => CorrelationEngine.KnownAt(f)).Chunk(50)) { inOrder.AddRange(batch); inOrder.Evaluate(closeOpenTick: false); }
        Assert.Equal(expected, Json(inOrder.Evaluate()));
    }

    [Fact]
    public void Duplicates_by_id_are_ignored()
    {
        var facts = HardCaseTests.JulyNight(withStorageManifest: false).Facts;
        var engine = new CorrelationEngine();
        Assert.Equal(facts.Count, engine.AddRange(facts));
        var once = Json(engine.Evaluate());
        // A redelivery of the same ids, even with a different knowledge time, changes nothing.
        var again = facts.OfType<CrashReported>().Take(500).Select(c => c with { ObservedAt = c.ObservedAt.AddHours(3) }).ToList();
        Assert.Equal(0, engine.AddRange(again));
        Assert.Equal(once, Json(engine.Evaluate()));
    }

    [Fact]
    public void Finding_ids_are_stable_and_derived_from_update_and_raise_tick()
    {
        var a = CorrelationEngine.Run(HardCaseTests.JulyNight().Facts);
        var b = CorrelationEngine.Run(HardCaseTests.JulyNight().Facts);
        Assert.Equal(a.Select(f => f.FindingId), b.Select(f => f.FindingId));
        Assert.All(a, f => Assert.Equal(CorrelationEngine.FindingIdFor(f.UpdateId, f.DetectedAt), f.FindingId));
    }
}
