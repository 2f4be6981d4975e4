using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Correlator.Ingestion.Events;

namespace Correlator.Ingestion;

/// <summary>
/// System.Text.Json metadata for mapping contract messages onto the event records: camelCase names, RFC 3339
/// timestamps in UTC, unknown fields ignored. Only constructor parameters (the contract's fields) are bound, so a
/// producer cannot set Kafka-side properties such as <c>ObservedAt</c>/<c>ReceivedAt</c> by sending them.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(Rfc3339.Converter)])]
[JsonSerializable(typeof(CrashReported))]
[JsonSerializable(typeof(ServiceStatusObserved))]
[JsonSerializable(typeof(UpdateReleased))]
[JsonSerializable(typeof(UpdateRecalled))]
[JsonSerializable(typeof(UpdateInstalled))]
internal sealed partial class IngestJson : JsonSerializerContext;

/// <summary>
/// Options built on <see cref="IngestJson"/> (kept apart from it: static initialisers across the generated partial
/// files run in no defined order).
/// </summary>
internal static class IngestMapping
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        TypeInfoResolver = IngestJson.Default.WithAddedModifier(BindConstructorParametersOnly),
        Converters = { new Rfc3339.Converter() },
    };

    public static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    private static void BindConstructorParametersOnly(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || type.Type.Namespace != typeof(CrashReported).Namespace) return;
        for (var i = type.Properties.Count - 1; i >= 0; i--)
            if (type.Properties[i].AssociatedParameter is null)
                type.Properties.RemoveAt(i);
    }
}
