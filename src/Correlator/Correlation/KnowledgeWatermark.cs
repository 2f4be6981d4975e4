namespace Correlator.Correlation;

/// <summary>
/// "Everything known before <see cref="At"/>'s minute has arrived": the ingestor appends one whenever its Kafka
/// watermark (the minimum over busy partitions of the newest broker timestamp seen) passes a new minute. With at least
/// one, <see cref="CorrelationEngine.Evaluate"/>(closeOpenTick: false) evaluates exactly the ticks strictly before the
/// latest watermark's minute. A watermark only advances time (a finding can resolve, detection time is measured)
/// and never changes what a finding says otherwise.
/// </summary>
public sealed record KnowledgeWatermark(string Id, DateTimeOffset At);
