using System.Collections.Frozen;
using System.Text.Json;

namespace Correlator.Ingestion.Events;

/// <summary>One input type: where the contract carries it and the JSON names of its two times.</summary>
/// <param name="Rank">Among facts known at the same moment, lower first: manifests before the failures they explain.</param>
/// <param name="FromScenario">The event a scenario line's <c>value</c> holds, or null when a required field is missing.</param>
public sealed record InputEventType(Type Type, string Topic, string? ManifestType, string EventTimeField, string KnownTimeField, int Rank,
    Func<JsonElement, JsonSerializerOptions, IInputEvent?> FromScenario);

/// <summary>
/// The one list of input event types: the store setup registers them, the findings subscription reads them, the engine
/// ranks them, export and import map them to contract topics, the benchmarks count them. A new input is a record in
/// this folder implementing <see cref="IInputEvent"/> plus a line here.
/// </summary>
public static class InputEvents
{
    public static IReadOnlyList<InputEventType> All { get; } =
    [
        Input<CrashReported>("crash-dumps", null, "occurredAt", "observedAt", 1,
            c => c.Id is not null && c.HostId is not null && c.Platform is not null && c.Kind is not null && c.OccurredAt != default),
        Input<ServiceStatusObserved>("service-status", null, "observedAt", "receivedAt", 1,
            s => s.Id is not null && s.Service is not null && s.Status is not null && s.ObservedAt != default),
        Input<UpdateReleased>("update-manifests", "release", "releasedAt", "observedAt", 0,
            r => r.Id is not null && r.UpdateId is not null && r.Vendor is not null && r.Product is not null && r.Version is not null && r.ReleasedAt != default),
        Input<UpdateRecalled>("update-manifests", "recall", "recalledAt", "observedAt", 0,
            r => r.Id is not null && r.UpdateId is not null && r.RecalledAt != default),
        Input<UpdateInstalled>("update-manifests", "installation", "installedAt", "observedAt", 0,
            i => i.Id is not null && i.UpdateId is not null && i.HostId is not null && i.InstalledAt != default),
    ];

    public static IReadOnlyList<Type> Types { get; } = All.Select(t => t.Type).ToArray();

    private static readonly FrozenDictionary<Type, InputEventType> ByType = All.ToFrozenDictionary(t => t.Type);

    public static InputEventType Of(Type type) =>
        ByType.TryGetValue(type, out var t) ? t : throw new ArgumentException($"{type.Name} is not an input event", nameof(type));

    /// <summary>The input type a contract topic (and, for manifests, its <c>type</c> field) carries; null if none.</summary>
    public static InputEventType? For(string? topic, string? manifestType) =>
        All.FirstOrDefault(t => t.Topic == topic && (t.ManifestType is null || t.ManifestType == manifestType));

    /// <summary>Sets the knowledge time on an input event; anything else is returned as it is.</summary>
    public static object Stamp(object e, DateTimeOffset knownAt) => e is IInputEvent input ? input.WithKnown(knownAt) : e;

    private static InputEventType Input<T>(string topic, string? manifestType, string eventTime, string knownTime, int rank, Func<T, bool> complete)
        where T : class, IInputEvent =>
        new(typeof(T), topic, manifestType, eventTime, knownTime, rank,
            (value, options) => value.Deserialize<T>(options) is { } e && complete(e) ? e : null);
}
