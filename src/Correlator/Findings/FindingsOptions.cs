namespace Correlator.Findings;

/// <summary>The <c>Findings</c> section: how the findings subscription keeps its engine and checkpoints it.</summary>
public sealed record FindingsOptions
{
    /// <summary>
    /// Evaluated facts leave memory (<see cref="Correlation.CorrelationEngine.Windowed"/>), so memory follows the
    /// window, not the history; false keeps every fact and replays the history on a late one. A late fact (one known in
    /// a minute already evaluated) counts from the next minute evaluated; since the group watermark waits for every
    /// partition's progress (docs/architecture.md, "The group watermark"), the cluster test sees none.
    /// </summary>
    public bool Windowed { get; init; } = true;

    /// <summary>Event time (the ingestion watermark) between two checkpoints; zero turns checkpoints off.</summary>
    public TimeSpan CheckpointEvery { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Wall-clock time at least between two checkpoints: a backtest or a catch-up crosses many event hours a minute, and
    /// a checkpoint costs seconds. Which pages get one never changes the findings, only how far a restart replays.
    /// </summary>
    public TimeSpan CheckpointMinInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Checkpoints kept (the newest).</summary>
    public int CheckpointsKept { get; init; } = 2;
}
