using System.Text.Json;
using System.Text.Json.Nodes;

namespace Correlator.Ingestion;

/// <summary>
/// Finds a string field of a mapped input event that the event store cannot hold: <c>\u0000</c> (PostgreSQL text and
/// jsonb refuse it; stored as bytes it would break every later read that casts the body to jsonb). Unpaired surrogates
/// never get this far: System.Text.Json refuses to map them. Only called when the raw value has a <c>\u0000</c> escape.
/// </summary>
internal static class UnstorableText
{
    public static string? Find(object mappedEvent) =>
        Find(JsonSerializer.SerializeToNode(mappedEvent, mappedEvent.GetType(), IngestJson.Options), "");

    private static string? Find(JsonNode? node, string pointer)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, child) in o)
                    if (Find(child, $"{pointer}/{name}") is { } found) return found;
                return null;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    if (Find(a[i], $"{pointer}/{i}") is { } found) return found;
                return null;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return JsonbText.IsStorable(v.GetValue<string>()) ? null : pointer;
            default:
                return null;
        }
    }
}
