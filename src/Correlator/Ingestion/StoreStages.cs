using System.Diagnostics;

namespace Correlator.Ingestion;

/// <summary>
/// Where the ingest writer's transactions spend their time, stage by stage (Stopwatch ticks summed over every batch),
/// for <c>bench ingest</c>. One instance per process; the writer adds to it when it is given one.
/// </summary>
public sealed class StoreStages
{
    public enum Stage { Receipts, Serialize, Streams, Sequences, Events, Clocks, Commit }

    private readonly long[] _ticks = new long[Enum.GetValues<Stage>().Length];

    public void Add(Stage stage, long ticks) => Interlocked.Add(ref _ticks[(int)stage], ticks);

    /// <summary>Adds the time since <paramref name="started"/> to <paramref name="stage"/> and returns now, the next stage's start.</summary>
    public long Lap(Stage stage, long started)
    {
        var now = Stopwatch.GetTimestamp();
        Add(stage, now - started);
        return now;
    }

    public IReadOnlyList<(Stage Stage, TimeSpan Spent)> Snapshot() =>
        Enum.GetValues<Stage>().Select(s => (s, Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks[(int)s])))).ToList();
}
