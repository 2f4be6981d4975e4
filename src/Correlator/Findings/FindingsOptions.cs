namespace Correlator.Findings;

/// <summary>The <c>Findings</c> section: how the findings subscription keeps its engine and checkpoints it.</summary>
public sealed record FindingsOptions
{
    /// <summary>
    /// Evaluated facts leave memory (<see cref="Correlation.CorrelationEngine.Windowed"/>); false keeps every fact.
    /// Off by default for now: a windowed engine counts a late fact from the next minute instead of replaying, and in
    /// the cluster test a late page after a node's death changed a finding's id (issue 20, docs/operations.md).
    /// </summary>
    public bool Windowed { get; init; }

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
