using System.Diagnostics;
using Correlator.Correlation;

namespace Correlator.Bench;

/// <summary>
/// The pure engine on a <see cref="FleetHistory"/>: one page per minute of knowledge time, each followed by an
/// evaluation, as the findings subscription feeds it once the watermark closes a minute. Figures per day (throughput,
/// RSS and managed heap after a full collection, facts held) and for the burst (detection delay in event time,
/// wall-clock lag behind the page that carried its third failure).
/// </summary>
public static class EngineBenchmark
{
    public sealed record Day(int Index, long Facts, double Seconds, double FactsPerSecond, long RssBytes, long HeapBytes, int FactsHeld);

    public sealed record Result(int Hosts, int Days, long Facts, double Seconds, double FactsPerSecond, double IngestPerSecond,
        double PeakIngestPerSecond, List<Day> Curve, DateTimeOffset? ThirdFailureAt, DateTimeOffset? DetectedAt, double? DetectionLagSeconds,
        double? WallLagSeconds, int Findings, bool Windowed, long LateFacts, long Evicted);

    public static Result Run(FleetHistory history, CorrelationSettings settings, bool windowed, IProgress<(int Day, long Facts)>? progress = null)
    {
        var engine = new CorrelationEngine(settings) { Windowed = windowed };
        var curve = new List<Day>();
        var total = Stopwatch.StartNew();
        var day = Stopwatch.StartNew();
        long facts = 0, dayFacts = 0, peakMinute = 0;
        int burstFailures = 0, currentDay = 0;
        DateTimeOffset? third = null, detected = null;
        Stopwatch? sinceThird = null;
        double? wallLag = null;
        IReadOnlyList<FindingHistory> findings = [];
        foreach (var (minute, page) in history.Minutes())
        {
            var d = (int)((minute - FleetHistory.Start).Ticks / TimeSpan.TicksPerDay);
            if (d != currentDay)
            {
                curve.Add(Measure(currentDay, dayFacts, day, engine));
                progress?.Report((currentDay + 1, facts));
                currentDay = d;
                dayFacts = 0;
                day.Restart();
            }
            foreach (var f in page)
            {
                if (third is null && f is Ingestion.Events.CrashReported { Id: var id } c && id.StartsWith("cs-", StringComparison.Ordinal) && ++burstFailures == 3)
                {
                    third = c.ObservedAt;
                    sinceThird = Stopwatch.StartNew();
                }
            }
            engine.AddRange(page);
            findings = engine.Evaluate();
            facts += page.Count;
            dayFacts += page.Count;
            peakMinute = Math.Max(peakMinute, page.Count);
            if (detected is null && sinceThird is not null && findings.FirstOrDefault(h => h.UpdateId == FleetHistory.BurstUpdate) is { } found)
            {
                detected = found.DetectedAt;
                wallLag = sinceThird.Elapsed.TotalSeconds;
            }
        }
        curve.Add(Measure(currentDay, dayFacts, day, engine));
        var seconds = total.Elapsed.TotalSeconds;
        return new Result(history.Hosts, history.Days, facts, seconds, facts / seconds, facts / (history.Days * 86400.0), peakMinute / 60.0, curve,
            third, detected, detected - third is { } lag ? lag.TotalSeconds : null, wallLag, findings.Count, windowed, engine.LateFacts, engine.Evicted);
    }

    private static Day Measure(int index, long facts, Stopwatch clock, CorrelationEngine engine)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var self = Process.GetCurrentProcess();
        return new Day(index + 1, facts, seconds, facts / Math.Max(seconds, 1e-9), self.WorkingSet64, GC.GetTotalMemory(false), engine.Count);
    }
}
