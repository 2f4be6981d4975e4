namespace Correlator.Ingestion;

/// <summary>The outcome of <see cref="MessageValidator.Validate(string, ReadOnlyMemory{byte})"/>.</summary>
public abstract record ValidationResult(string Topic, string? MessageId)
{
    public bool IsAccepted => this is Accepted;

    /// <summary>
    /// The message conforms. <see cref="Event"/> is a <c>CrashReported</c>, <c>ServiceStatusObserved</c>,
    /// <c>UpdateReleased</c>, <c>UpdateRecalled</c> or <c>UpdateInstalled</c> (Kafka-side properties such as
    /// <c>ObservedAt</c>/<c>ReceivedAt</c> left default for the consumer to set). <see cref="EventTime"/> is the
    /// message's own time (occurredAt, observedAt, releasedAt, recalledAt or installedAt) in UTC.
    /// </summary>
    public sealed record Accepted(string Topic, MessageKind Kind, string Id, object Event, DateTimeOffset EventTime)
        : ValidationResult(Topic, Id);

    /// <summary>
    /// The message does not conform. <see cref="Code"/> is one of <see cref="RejectionCodes"/>; <see cref="Reason"/>
    /// names the topic, the JSON location and what was wrong. <see cref="ValidationResult.MessageId"/> is the
    /// message's <c>id</c> when it had a readable one.
    /// </summary>
    public sealed record Rejected(string Topic, string? MessageId, string Code, string Reason)
        : ValidationResult(Topic, MessageId)
    {
        public override string ToString() => $"{Code}: {Reason}";
    }
}
