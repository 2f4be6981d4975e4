namespace Correlator.Ingestion.Events;

/// <summary>One observation of a service's health from <c>service-status</c>.</summary>
public sealed record ServiceStatusObserved(
    string Id,
    string Service,
    string Status,
    DateTimeOffset ObservedAt,
    string? Region = null,
    string? Component = null,
    string? Source = null,
    string? Message = null) : IInputEvent
{
    /// <summary>The Kafka record timestamp: when Correlator could first know it.</summary>
    public DateTimeOffset ReceivedAt { get; init; }

    DateTimeOffset IInputEvent.EventTime => ObservedAt;
    DateTimeOffset IInputEvent.KnownAt => ReceivedAt;
    string IInputEvent.RecordKey => Region is null ? Service : $"{Service}|{Region}";
    IInputEvent IInputEvent.WithKnown(DateTimeOffset knownAt) => this with { ReceivedAt = knownAt };
}
