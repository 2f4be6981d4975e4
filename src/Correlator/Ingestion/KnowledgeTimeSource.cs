namespace Correlator.Ingestion;

/// <summary>
/// What an accepted message's knowledge time (when Correlator could first know it, the engine's clock) is taken from.
/// Configuration key <c>Ingestion:KnowledgeTime</c>; see docs/operations.md, "What a producer sends".
/// </summary>
public enum KnowledgeTimeSource
{
    /// <summary>
    /// The Kafka record timestamp (CreateTime set by the producer, or the broker's LogAppendTime). Right for live
    /// collectors, whose records are stamped when they are sent.
    /// </summary>
    RecordTimestamp,

    /// <summary>
    /// The message's own event time, as a running maximum per partition (a redelivered or late message is known when
    /// the newest event before it was): a historic replay through a plain producer (kcat, a script) that stamps every
    /// record with the current time. An event time past the record timestamp by more than
    /// <see cref="IngestionOptions.FutureSkew"/> does not move the clock beyond that bound.
    /// </summary>
    EventTime,
}
