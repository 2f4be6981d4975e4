using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Correlator.Ingestion;
using Correlator.Ingestion.Events;

namespace Correlator.Replay;

/// <summary>
/// Writes stored input events back as contract messages (the inverse of the validator's mapping): camelCase,
/// RFC 3339 UTC timestamps, absent rather than null optional fields, and only the contract's fields — the
/// knowledge-time stamps (<c>ObservedAt</c>/<c>ReceivedAt</c> set from the broker) are not part of the message.
/// </summary>
internal static class ScenarioJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new Rfc3339.Converter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { ContractFieldsOnly } },
    };

    private static void ContractFieldsOnly(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || type.Type.Namespace != typeof(CrashReported).Namespace) return;
        foreach (var property in type.Properties)
            if (property.AssociatedParameter is null) property.ShouldSerialize = (_, _) => false;
    }

    /// <summary>The contract topic, record key and manifest <c>type</c> of a stored input event; null for other events.</summary>
    public static (string Topic, string? Key, string? ManifestType)? Describe(object e) => e switch
    {
        IInputEvent i when InputEvents.Of(i.GetType()) is var t => (t.Topic, i.RecordKey, t.ManifestType),
        _ => null,
    };

    /// <summary>One scenario line: <c>{"topic","key","value"}</c>.</summary>
    public static void WriteLine(Utf8JsonWriter w, object e)
    {
        var (topic, key, manifestType) = Describe(e) ?? throw new ArgumentException($"{e.GetType().Name} is not an input message", nameof(e));
        w.WriteStartObject();
        w.WriteString("topic", topic);
        w.WriteString("key", key);
        w.WritePropertyName("value");
        w.WriteStartObject();
        var value = JsonSerializer.SerializeToElement(e, e.GetType(), Options);
        var properties = value.EnumerateObject().ToList();
        // The contract lists id first and type second; keep that order so a diff against the original file is readable.
        foreach (var p in properties.Where(p => p.NameEquals("id"))) p.WriteTo(w);
        if (manifestType is not null) w.WriteString("type", manifestType);
        foreach (var p in properties.Where(p => !p.NameEquals("id"))) p.WriteTo(w);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>A refused message as a <c>rawValue</c> line with its original bytes (exact when they are UTF-8, which JSON text needs).</summary>
    public static bool WriteRawLine(Utf8JsonWriter w, string topic, string? key, byte[] value)
    {
        var exact = System.Text.Unicode.Utf8.IsValid(value);
        w.WriteStartObject();
        w.WriteString("topic", topic);
        if (key is null) w.WriteNull("key"); else w.WriteString("key", key);
        w.WriteString("rawValue", System.Text.Encoding.UTF8.GetString(value));
        w.WriteEndObject();
        return exact;
    }
}
