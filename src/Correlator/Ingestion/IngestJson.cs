using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Correlator.Ingestion.Events;

namespace Correlator.Ingestion;

/// <summary>
/// System.Text.Json options for mapping contract messages onto the event records: camelCase names, RFC 3339
/// timestamps in UTC, unknown fields ignored. Only constructor parameters (the contract's fields) are bound, so a
/// producer cannot set Kafka-side properties such as <c>ObservedAt</c>/<c>ReceivedAt</c> by sending them.
/// </summary>
/// <remarks>
/// Reflection-based metadata on purpose: the source generator passes init-only properties as constructor-like
/// "member initializers", which a contract modifier cannot switch off.
/// </remarks>
internal static class IngestJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new Rfc3339.Converter(), new RepresentableNumber() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { BindConstructorParametersOnly } },
    };

    public static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    private static void BindConstructorParametersOnly(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || type.Type.Namespace != typeof(CrashReported).Namespace) return;
        foreach (var property in type.Properties)
            if (property.AssociatedParameter is null or { IsMemberInitializer: true })
                property.Set = null;
    }
}
