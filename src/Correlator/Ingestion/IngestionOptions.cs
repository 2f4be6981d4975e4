namespace Correlator.Ingestion;

/// <summary>Configuration section <c>Ingestion</c>.</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>Larger messages are rejected to the DLQ (contract default: 1 MiB).</summary>
    public int MaxMessageBytes { get; set; } = MessageValidator.DefaultMaxBytes;
    /// <summary>An event time further than this past the broker timestamp is accepted and flagged.</summary>
    public TimeSpan FutureSkew { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>Messages per store transaction.</summary>
    public int BatchSize { get; set; } = 2000;
    /// <summary>How long a batch waits to fill once its first message arrived.</summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(100);
    /// <summary>How long every partition must be idle at its end before the watermark closes the newest minute.</summary>
    public TimeSpan IdleClose { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>Where knowledge time comes from: the record timestamp (live collectors) or the event time (historic replays).</summary>
    public KnowledgeTimeSource KnowledgeTime { get; set; } = KnowledgeTimeSource.RecordTimestamp;
    /// <summary>
    /// With record-timestamp knowledge, a message whose event time is older than this at its record timestamp is
    /// counted and reported (it lies outside the engine's lookback): the sign of a historic replay that needs
    /// <see cref="KnowledgeTimeSource.EventTime"/>.
    /// </summary>
    public TimeSpan HistoricAge { get; set; } = TimeSpan.FromDays(14);
}
