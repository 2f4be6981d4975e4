using Correlator.Correlation;

namespace Correlator.Findings;

/// <summary>
/// Everything the <see cref="FindingsSubscription"/> knows after a page: its engine, the transitions stored per finding,
/// the facts held for a minute still open, the watermark. A checkpoint is this object as a <see cref="StateSnapshot"/>.
/// </summary>
internal sealed class FindingsState(CorrelationEngine engine)
{
    public CorrelationEngine Engine { get; } = engine;

    /// <summary>Transitions stored per finding id.</summary>
    public Dictionary<string, int> Emitted { get; } = new(StringComparer.Ordinal);

    /// <summary>Facts known at or after the watermark's minute: their minute may still receive facts from other partitions.</summary>
    public List<object> Held { get; set; } = [];

    public DateTimeOffset? Watermark { get; set; }

    /// <summary>The watermark when the last checkpoint was written.</summary>
    public DateTimeOffset? CheckpointedAt { get; set; }
}
