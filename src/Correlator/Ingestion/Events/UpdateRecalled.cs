namespace Correlator.Ingestion.Events;

public sealed record UpdateRecalled(string Id, string UpdateId, DateTimeOffset RecalledAt, string? Reason = null) : IInputEvent
{
    public DateTimeOffset ObservedAt { get; init; }

    DateTimeOffset IInputEvent.EventTime => RecalledAt;
    DateTimeOffset IInputEvent.KnownAt => ObservedAt;
    string IInputEvent.RecordKey => UpdateId;
    IInputEvent IInputEvent.WithKnown(DateTimeOffset knownAt) => this with { ObservedAt = knownAt };
}
