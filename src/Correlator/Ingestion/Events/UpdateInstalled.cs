namespace Correlator.Ingestion.Events;

public sealed record UpdateInstalled(string Id, string UpdateId, string HostId, DateTimeOffset InstalledAt) : IInputEvent
{
    public DateTimeOffset ObservedAt { get; init; }

    DateTimeOffset IInputEvent.EventTime => InstalledAt;
    DateTimeOffset IInputEvent.KnownAt => ObservedAt;
    string IInputEvent.RecordKey => UpdateId;
    IInputEvent IInputEvent.WithKnown(DateTimeOffset knownAt) => this with { ObservedAt = knownAt };
}
