namespace Correlator.Ingestion.Events;

/// <summary>
/// A <c>release</c> manifest. A second one for the same <see cref="UpdateId"/> amends the first
/// (wider targets, a new wave): projections merge them.
/// </summary>
public sealed record UpdateReleased(
    string Id,
    string UpdateId,
    string Vendor,
    string Product,
    string Version,
    DateTimeOffset ReleasedAt,
    string? Kind = null,
    IReadOnlyList<string>? Platforms = null,
    UpdateTargets? Targets = null,
    IReadOnlyList<Artifact>? Artifacts = null,
    IReadOnlyList<string>? Affects = null,
    IReadOnlyList<RolloutWave>? Rollout = null,
    string? Supersedes = null) : IInputEvent
{
    public DateTimeOffset ObservedAt { get; init; }

    DateTimeOffset IInputEvent.EventTime => ReleasedAt;
    DateTimeOffset IInputEvent.KnownAt => ObservedAt;
    string IInputEvent.RecordKey => UpdateId;
    IInputEvent IInputEvent.WithKnown(DateTimeOffset knownAt) => this with { ObservedAt = knownAt };
}

public sealed record UpdateTargets(
    IReadOnlyList<string>? Regions = null,
    IReadOnlyList<string>? Services = null,
    IReadOnlyList<string>? Fleets = null,
    IReadOnlyList<string>? OsVersions = null);

public sealed record Artifact(string Name, string? Version = null, string? Sha256 = null);

public sealed record RolloutWave(DateTimeOffset StartsAt, double Percent);
