using System.Diagnostics;
using System.Text.Json;
using Correlator.Correlation;
using Correlator.Findings;

namespace Correlator.Bench;

/// <summary>
/// The pure engine on a <see cref="FleetHistory"/>: one page per minute of knowledge time, each followed by an
/// evaluation, as the findings subscription feeds it once the watermark closes a minute. Figures per day (throughput,
/// RSS and managed heap after a full collection, facts held) and for the burst (detection delay in event time,
/// wall-clock lag behind the page that carried its third failure).
/// <para>
/// Restart: one hour into the burst (the largest state: open findings, the burst's crash times) the engine is written as
/// the findings subscription writes a checkpoint (<see cref="StateSnapshot"/> of its <see cref="FindingsState"/>). After
/// the run, the checkpoint is read back and the next <c>checkpointEvery</c> of pages fed to it (a restart just before
/// the next checkpoint is due, the worst case): restart-to-caught-up, against the time the uninterrupted engine took to
/// get there (a full replay, as before checkpoints), with the findings compared. Reading the events after the
/// checkpoint from PostgreSQL is not included.
/// </para>
/// </summary>
public static class EngineBenchmark
{
    public sealed record Day(int Index, long Facts, double Seconds, double FactsPerSecond, long RssBytes, long HeapBytes, int FactsHeld);

    public sealed record Result(int Hosts, int Days, long Facts, double Seconds, double FactsPerSecond, double IngestPerSecond,
        double PeakIngestPerSecond, List<Day> Curve, DateTimeOffset? ThirdFailureAt, DateTimeOffset? DetectedAt, double? DetectionLagSeconds,
        double? WallLagSeconds, int Findings, bool Windowed, long LateFacts, long Evicted, Restart? Restart);

    public sealed record Restart(DateTimeOffset CheckpointAt, long CheckpointBytes, double WriteSeconds, double ReadSeconds, long FactsReplayed,
        double ReplaySeconds, double FullReplaySeconds, bool SameFindings)
    {
        public double CaughtUpSeconds => ReadSeconds + ReplaySeconds;
    }

    public static Result Run(FleetHistory history, CorrelationSettings settings, bool windowed, IProgress<(int Day, long Facts)>? progress = null,
        TimeSpan? checkpointEvery = null)
    {
        var every = checkpointEvery ?? TimeSpan.FromHours(1);
        var checkpointAt = new DateTimeOffset(history.BurstAt.Year, history.BurstAt.Month, history.BurstAt.Day, history.BurstAt.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
        byte[]? checkpoint = null;
        double writeSeconds = 0, fullReplaySeconds = 0;
        string? expected = null;
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
            if (checkpoint is null && minute >= checkpointAt)
            {
                day.Stop();
                total.Stop();
                var clock = Stopwatch.StartNew();
                checkpoint = StateSnapshot.Write(new FindingsState(engine));
                writeSeconds = clock.Elapsed.TotalSeconds;
                day.Start();
                total.Start();
            }
            engine.AddRange(page);
            findings = engine.Evaluate();
            if (checkpoint is not null && expected is null && minute + settings.Tick >= checkpointAt + every)
            {
                expected = JsonSerializer.Serialize(findings);
                fullReplaySeconds = total.Elapsed.TotalSeconds;
            }
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
        var (lateFacts, evicted) = (engine.LateFacts, engine.Evicted);
        engine = null!;
        var restart = checkpoint is not null && expected is not null ? Restore(history, checkpoint, checkpointAt, every, expected) : null;
        return new Result(history.Hosts, history.Days, facts, seconds, facts / seconds, facts / (history.Days * 86400.0), peakMinute / 60.0, curve,
            third, detected, detected - third is { } lag ? lag.TotalSeconds : null, wallLag, findings.Count, windowed, lateFacts, evicted,
            restart is null ? null : restart with { WriteSeconds = writeSeconds, FullReplaySeconds = fullReplaySeconds });
    }

    /// <summary>Reads the checkpoint back and feeds it the pages after it: the time to be caught up again.</summary>
    private static Restart Restore(FleetHistory history, byte[] checkpoint, DateTimeOffset at, TimeSpan every, string expected)
    {
        // The pages after the checkpoint, generated before the clock starts (a restart reads them from the store).
        var tail = history.Minutes().SkipWhile(m => m.Minute < at).TakeWhile(m => m.Minute < at + every).Select(m => m.Facts).ToList();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var clock = Stopwatch.StartNew();
        var state = StateSnapshot.Read<FindingsState>(checkpoint);
        var read = clock.Elapsed.TotalSeconds;
        clock.Restart();
        long facts = 0;
        IReadOnlyList<FindingHistory> findings = [];
        foreach (var page in tail)
        {
            state.Engine.AddRange(page);
            findings = state.Engine.Evaluate();
            facts += page.Count;
        }
        return new Restart(at, checkpoint.LongLength, 0, read, facts, clock.Elapsed.TotalSeconds, 0, JsonSerializer.Serialize(findings) == expected);
    }

    private static Day Measure(int index, long facts, Stopwatch clock, CorrelationEngine engine)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var self = Process.GetCurrentProcess();
        return new Day(index + 1, facts, seconds, facts / Math.Max(seconds, 1e-9), self.WorkingSet64, GC.GetTotalMemory(false), engine.Count);
    }
}
