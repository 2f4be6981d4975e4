namespace Correlator.Ingestion.Events;

/// <summary>
/// A crash report from <c>crash-dumps</c>, as the contract names its fields. <see cref="ObservedAt"/> is when
/// Correlator could first know it (the Kafka record timestamp), which is what detection time is measured in.
/// </summary>
public sealed record CrashReported(
    string Id,
    string HostId,
    DateTimeOffset OccurredAt,
    string Platform,
    string Kind,
    string? OsVersion = null,
    string? Region = null,
    string? Fleet = null,
    string? BugcheckCode = null,
    string? ExceptionCode = null,
    string? Signal = null,
    string? Process = null,
    string? PanicMessage = null,
    ModuleRef? FaultingModule = null,
    IReadOnlyList<StackFrame>? Stack = null,
    IReadOnlyList<ModuleRef>? Modules = null,
    string? DumpUri = null,
    string? DumpSha256 = null) : IInputEvent
{
    public DateTimeOffset ObservedAt { get; init; }

    DateTimeOffset IInputEvent.EventTime => OccurredAt;
    DateTimeOffset IInputEvent.KnownAt => ObservedAt;
    string IInputEvent.RecordKey => HostId;
    IInputEvent IInputEvent.WithKnown(DateTimeOffset knownAt) => this with { ObservedAt = knownAt };
}

public sealed record ModuleRef(string Name, string? Version = null, string? Offset = null);

public sealed record StackFrame(string Module, string? Function = null, string? Offset = null);
