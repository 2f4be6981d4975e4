namespace Correlator.Ingestion.Events;

/// <summary>
/// An accepted input message as stored: what the engine, export and replay need to know of every input without a
/// switch over the types. Implemented explicitly, so none of it is serialized.
/// </summary>
public interface IInputEvent
{
    /// <summary>The contract's idempotency key.</summary>
    string Id { get; }

    /// <summary>When it happened, by the sender's clock (the contract's event-time field).</summary>
    DateTimeOffset EventTime { get; }

    /// <summary>When Correlator could first know it (the Kafka record timestamp); default while not stamped.</summary>
    DateTimeOffset KnownAt { get; }

    /// <summary>The Kafka record key the contract gives it.</summary>
    string RecordKey { get; }

    /// <summary>The same event stamped with its knowledge time. Every stamp goes through <see cref="InputEvents.Stamp"/>.</summary>
    IInputEvent WithKnown(DateTimeOffset knownAt);
}
