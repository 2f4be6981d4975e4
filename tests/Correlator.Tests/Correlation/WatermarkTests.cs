using System.Text.Json;
using Correlator.Correlation;
using Correlator.Ingestion;
using Correlator.Scenarios;

namespace Correlator.Tests.Correlation;

public class WatermarkTests
{
    private const string Cs291 = "crowdstrike/falcon-content/C-00000291-00000000-00000032";
    private static readonly DateTimeOffset N = World.Night;

    private static IngestWatermarkAdvanced Mark(DateTimeOffset at) => new(at);

    [Fact]
    public void Open_evaluation_stops_strictly_before_the_latest_watermark_minute()
    {
        var facts = HardCaseTests.JulyNight(withStorageManifest: false).Facts;
        var engine = new CorrelationEngine();
        engine.AddRange(facts);
        engine.Add(Mark(N.AddHours(4).AddMinutes(9).AddSeconds(30)));
        // Everything from 04:09 on is pending: the content update is not even known yet.
        Assert.DoesNotContain(engine.Evaluate(closeOpenTick: false), f => f.UpdateId == Cs291);
        engine.Add(Mark(N.AddHours(4).AddMinutes(30)));
        var cs = Assert.Single(engine.Evaluate(closeOpenTick: false), f => f.UpdateId == Cs291);
        Assert.True(cs.DetectedAt < N.AddHours(4).AddMinutes(30));
        Assert.All(cs.Transitions, t => Assert.True(t.At < N.AddHours(4).AddMinutes(30)));
        // An older watermark added later does not move time back.
        engine.Add(Mark(N.AddHours(1)));
        Assert.Single(engine.Evaluate(closeOpenTick: false), f => f.UpdateId == Cs291);
    }

    [Fact]
    public void Closing_evaluates_everything_and_the_result_is_a_function_of_the_fact_set()
    {
        var facts = HardCaseTests.JulyNight(withStorageManifest: false).Facts.ToList<object>();
        for (var t = N.AddHours(-6); t < N.AddHours(10); t = t.AddMinutes(7)) facts.Add(Mark(t));
        var whole = JsonSerializer.Serialize(CorrelationEngine.Run(facts));
        var live = new CorrelationEngine();
        foreach (var batch in facts.OrderBy(f => CorrelationEngine.KnownAt(f)).Chunk(64)) { live.AddRange(batch); live.Evaluate(closeOpenTick: false); }
        Assert.Equal(whole, JsonSerializer.Serialize(live.Evaluate()));
        // Watermarks change no finding's content, only when time advances.
        var without = CorrelationEngine.Run(facts.Where(f => f is not IngestWatermarkAdvanced));
        Assert.Equal(without.Select(f => f.UpdateId), CorrelationEngine.Run(facts).Select(f => f.UpdateId));
    }

    [Fact]
    public void A_finding_resolves_on_watermarks_alone_when_no_failure_follows()
    {
        var w = new World(hosts: 200);
        w.Background(N.AddHours(-24), N.AddHours(4), 4);
        w.Release(Cs291, N.AddHours(4).AddMinutes(9), "CrowdStrike", "Falcon content", "C-00000291", affects: ["csagent.sys"], kind: "content");
        w.Outbreak(w.Hosts.Select(h => h.Id), N.AddHours(4).AddMinutes(10), TimeSpan.FromMinutes(30), 0.5, "0x50", "csagent.sys");
        w.Recall(Cs291, N.AddHours(4).AddMinutes(45));
        var silent = Assert.Single(w.Run(), f => f.UpdateId == Cs291);
        Assert.NotEqual(FindingStatus.Resolved, silent.Current.Status);

        var facts = w.Facts.ToList<object>();
        for (var t = N.AddHours(4).AddMinutes(50); t <= N.AddHours(6); t = t.AddMinutes(5)) facts.Add(Mark(t));
        var cs = Assert.Single(CorrelationEngine.Run(facts), f => f.UpdateId == Cs291);
        Assert.Equal(FindingStatus.Resolved, cs.Current.Status);
        Assert.Equal(silent.DetectedAt, cs.DetectedAt);
    }

    [Fact]
    public void Accuracy_scores_findings_from_any_pipeline_and_serialises()
    {
        var w = HardCaseTests.JulyNight(withStorageManifest: false);
        var findings = w.Run();
        var expected = new ExpectedOutcome([new ExpectedCulprit(Cs291, ["windows-kernel:0x00000050:csagent.sys"])], ["x/y"]);
        var score = Accuracy.Score(findings, expected, "july-night", w.Facts);
        Assert.Equal([Cs291], score.TruePositives);
        var d = Assert.Single(score.Detections);
        Assert.True(d.Burst);
        Assert.True(d.TimeToDetect <= TimeSpan.FromMinutes(5));
        var report = new AccuracyReport([score, Accuracy.Score(findings, expected)]);
        var json = JsonSerializer.Serialize(report);
        Assert.Contains("\"MedianMinutesToDetectBursts\"", json);
        Assert.Equal(1, report.Totals.Precision);
    }
}
