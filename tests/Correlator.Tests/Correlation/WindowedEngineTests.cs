using System.Text.Json;
using Correlator.Bench;
using Correlator.Correlation;
using Correlator.Ingestion.Events;

namespace Correlator.Tests.Correlation;

/// <summary>
/// The windowed engine (evaluated facts leave memory, crash times and service observations leave with the window) gives
/// the findings of the engine that keeps everything, fed the same way.
/// </summary>
public class WindowedEngineTests
{
    [Fact]
    public void A_history_longer_than_the_window_gives_the_same_findings_and_evicts()
    {
        // 24 days: lookback (14) + baseline (7) have passed before the burst on the last day.
        var history = new FleetHistory(hosts: 300, days: 24, services: 1);
        var full = new CorrelationEngine();
        var windowed = new CorrelationEngine { Windowed = true };
        foreach (var (_, page) in history.Minutes())
        {
            full.AddRange(page);
            windowed.AddRange(page);
            full.Evaluate();
            windowed.Evaluate();
        }
        var expected = full.Evaluate();
        Assert.Contains(expected, h => h.UpdateId == FleetHistory.BurstUpdate);
        Assert.Equal(Json(expected), Json(windowed.Evaluate()));
        Assert.True(windowed.Evicted > 0, "nothing left the window");
        Assert.Equal(0, windowed.Count);
        Assert.True(full.Count > 100_000);
    }

    [Fact]
    public void Corpus_fed_minute_by_minute_gives_the_same_findings()
    {
        var dir = CorpusAccuracyTests.CorpusDirectory();
        if (dir is null) return;
        foreach (var file in Directory.GetFiles(dir, "*.ndjson").Order(StringComparer.Ordinal))
        {
            var minutes = ScenarioFacts.Read(file)
                .GroupBy(f => CorrelationEngine.KnownAt(f)?.UtcTicks / TimeSpan.TicksPerMinute ?? 0).OrderBy(g => g.Key).ToList();
            var full = new CorrelationEngine();
            var windowed = new CorrelationEngine { Windowed = true };
            foreach (var page in minutes)
            {
                full.AddRange(page);
                windowed.AddRange(page);
                full.Evaluate();
                windowed.Evaluate();
            }
            Assert.True(Json(full.Evaluate()) == Json(windowed.Evaluate()), Path.GetFileName(file));
        }
    }

    [Fact]
    public void A_late_fact_is_evaluated_in_the_next_tick_and_a_duplicate_is_dropped()
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var engine = new CorrelationEngine { Windowed = true };
        CrashReported Crash(string id, int minute) =>
            new(id, "h1", t0.AddMinutes(minute), "windows", "kernel", BugcheckCode: "0x50", FaultingModule: new ModuleRef("x.sys")) { ObservedAt = t0.AddMinutes(minute) };
        engine.Add(Crash("a", 0));
        engine.Add(Crash("b", 5));
        engine.Evaluate();
        Assert.False(engine.Add(Crash("a", 0)));
        Assert.True(engine.Add(Crash("late", 1)));
        engine.Evaluate();
        Assert.Equal(1, engine.Count); // held: no later tick yet
        engine.Add(Crash("c", 9));
        engine.Evaluate();
        Assert.Equal(0, engine.Count);
        Assert.Equal(1, engine.LateFacts);
    }

    private static string Json(IReadOnlyList<FindingHistory> findings) => JsonSerializer.Serialize(findings);
}
