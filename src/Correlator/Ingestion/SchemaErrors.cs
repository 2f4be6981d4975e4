using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Correlator.Ingestion;

/// <summary>
/// Turns JsonSchema.Net's list output into a rejection code and a reason an SRE can read:
/// <c>crash-dumps: /occurredAt: '2024-07-19 04:09' is not an RFC 3339 timestamp with an offset</c>.
/// The code comes from where in the schema the failure is: under <c>$defs/messageType</c> it is an unknown type,
/// under <c>$defs/timestamp</c> a bad timestamp, anything else a schema violation.
/// </summary>
internal static class SchemaErrors
{
    private const int MaxListed = 3;
    private const int MaxValueChars = 60;

    public static (string Code, string Reason) Describe(string topic, JsonElement schema, JsonObject message, EvaluationResults results)
    {
        var failures = new List<Failure>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in results.HasDetails ? results.Details.Prepend(results) : [results])
        {
            if (!node.HasErrors) continue;
            var evaluationPath = Segments(node.EvaluationPath.ToString());
            // `if` subschemas fail by design (that is how a manifest's type is selected); they are not errors.
            if (evaluationPath.Contains("if")) continue;
            var location = node.InstanceLocation.ToString();
            if (!seen.Add(location)) continue; // format + pattern on one timestamp: say it once
            var (subschema, definition) = Resolve(schema, evaluationPath);
            var (keyword, libraryMessage) = node.Errors!.First();
            var value = Find(message, location);
            var (code, text) = definition switch
            {
                "messageType" => (RejectionCodes.UnknownType, $"{Show(value)} is not a known type ({Join(subschema, "enum")})"),
                "timestamp" => (RejectionCodes.BadTimestamp, $"{Show(value)} is not an RFC 3339 timestamp with an offset"),
                "hex" when keyword == "pattern" => (RejectionCodes.Schema, $"{Show(value)} is not a hex number (0x followed by hex digits)"),
                _ => (RejectionCodes.Schema, Explain(keyword, libraryMessage, subschema, value)),
            };
            failures.Add(new Failure(code, $"{(location.Length == 0 ? "/" : location)}: {text}"));
        }

        if (failures.Count == 0) // not expected: an invalid result names at least one failing keyword
            return (RejectionCodes.Schema, $"{topic}: the message does not match the {topic} schema");

        var overall = failures.Any(f => f.Code == RejectionCodes.UnknownType) ? RejectionCodes.UnknownType
            : failures.All(f => f.Code == RejectionCodes.BadTimestamp) ? RejectionCodes.BadTimestamp
            : RejectionCodes.Schema;
        var listed = overall == RejectionCodes.UnknownType ? failures.Where(f => f.Code == overall).ToList() : failures;
        var reason = new StringBuilder(topic).Append(": ").AppendJoin("; ", listed.Take(MaxListed).Select(f => f.Text));
        if (listed.Count > MaxListed) reason.Append($" (and {listed.Count - MaxListed} more)");
        return (overall, reason.ToString());
    }

    /// <summary>The reason for a message whose numbers the schema library could not compare (beyond decimal).</summary>
    public static string UncheckableNumber(JsonNode message)
    {
        var location = FindUncheckableNumber(message, "");
        return location is null
            ? "the message could not be checked against the schema"
            : $"{(location.Length == 0 ? "/" : location)}: {Show(Find(message, location))} is outside the range of numbers the validator can check";
    }

    /// <summary>System.Text.Json's <c>$.rollout[0].startsAt</c> as a JSON Pointer, <c>/rollout/0/startsAt</c>.</summary>
    public static string Pointer(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$") return "/";
        var pointer = new StringBuilder();
        var i = jsonPath[0] == '$' ? 1 : 0;
        while (i < jsonPath.Length)
        {
            if (jsonPath[i] == '.')
            {
                var end = jsonPath.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = jsonPath.Length;
                pointer.Append('/').Append(Escape(jsonPath[(i + 1)..end]));
                i = end;
            }
            else if (jsonPath[i] == '[' && i + 1 < jsonPath.Length && jsonPath[i + 1] == '\'')
            {
                var end = jsonPath.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0) end = jsonPath.Length;
                pointer.Append('/').Append(Escape(jsonPath[(i + 2)..end]));
                i = end + 2;
            }
            else if (jsonPath[i] == '[')
            {
                var end = jsonPath.IndexOf(']', i + 1);
                if (end < 0) end = jsonPath.Length;
                pointer.Append('/').Append(jsonPath[(i + 1)..end]);
                i = end + 1;
            }
            else i++;
        }
        return pointer.Length == 0 ? "/" : pointer.ToString();
    }

    private static string Explain(string keyword, string libraryMessage, JsonElement? subschema, JsonNode? value)
    {
        var s = subschema ?? default;
        var has = subschema is { ValueKind: JsonValueKind.Object };
        return keyword switch
        {
            "required" when has && value is JsonObject obj => MissingProperties(s, obj),
            "enum" when has => $"{Show(value)} is not one of {Join(s, "enum")}",
            "const" when has && s.TryGetProperty("const", out var c) => $"{Show(value)} is not {c.GetRawText()}",
            "type" when has && s.TryGetProperty("type", out var t) => $"{Show(value)} is not {Article(t.GetString())}",
            "maxItems" when has && value is JsonArray array => $"{array.Count} items, more than the {s.GetProperty("maxItems")} allowed",
            "minLength" when has => $"{Show(value)} is shorter than {s.GetProperty("minLength")} character(s)",
            "maxLength" when has && value is JsonValue => $"{Show(value)} is {value.GetValue<string>().Length} characters, more than the {s.GetProperty("maxLength")} allowed",
            "minimum" when has => $"{Show(value)} is less than the minimum {s.GetProperty("minimum")}",
            "maximum" when has => $"{Show(value)} is more than the maximum {s.GetProperty("maximum")}",
            "pattern" when has => $"{Show(value)} does not match {s.GetProperty("pattern")}",
            _ => $"{Show(value)}: {libraryMessage}",
        };
    }

    private static string MissingProperties(JsonElement subschema, JsonObject instance)
    {
        var missing = subschema.GetProperty("required").EnumerateArray()
            .Select(r => r.GetString()!)
            .Where(name => !instance.ContainsKey(name))
            .ToList();
        return missing.Count == 1
            ? $"required property '{missing[0]}' is missing"
            : $"required properties {string.Join(", ", missing.Select(m => $"'{m}'"))} are missing";
    }

    /// <summary>Follows an evaluation path through the schema document, jumping through local <c>$ref</c>s.</summary>
    private static (JsonElement? Subschema, string? Definition) Resolve(JsonElement root, List<string> evaluationPath)
    {
        JsonElement? current = root;
        string? definition = null;
        foreach (var segment in evaluationPath)
        {
            if (current is not { } element) break;
            if (segment == "$ref" && element.ValueKind == JsonValueKind.Object
                && element.TryGetProperty("$ref", out var reference) && reference.GetString() is { } target && target.StartsWith('#'))
            {
                current = Walk(root, Segments(Uri.UnescapeDataString(target[1..])));
                definition = target.StartsWith("#/$defs/", StringComparison.Ordinal) ? target["#/$defs/".Length..] : null;
                continue;
            }
            current = Step(element, segment);
        }
        return (current, definition);
    }

    private static JsonElement? Walk(JsonElement root, List<string> segments)
    {
        JsonElement? current = root;
        foreach (var segment in segments)
            current = current is { } e ? Step(e, segment) : null;
        return current;
    }

    private static JsonElement? Step(JsonElement element, string segment) => element.ValueKind switch
    {
        JsonValueKind.Object when element.TryGetProperty(segment, out var child) => child,
        JsonValueKind.Array when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < element.GetArrayLength() => element[i],
        _ => null,
    };

    private static JsonNode? Find(JsonNode root, string pointer)
    {
        var current = root;
        foreach (var segment in Segments(pointer))
        {
            current = current switch
            {
                JsonObject obj => obj.TryGetPropertyValue(segment, out var child) ? child : null,
                JsonArray array when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count => array[i],
                _ => null,
            };
            if (current is null) return null;
        }
        return current;
    }

    private static string? FindUncheckableNumber(JsonNode? node, string location)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                    if (FindUncheckableNumber(child, $"{location}/{Escape(name)}") is { } found) return found;
                return null;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                    if (FindUncheckableNumber(array[i], $"{location}/{i}") is { } found) return found;
                return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                return value.TryGetValue<decimal>(out _) ? null : location;
            default:
                return null;
        }
    }

    private static List<string> Segments(string pointer) =>
        pointer.Length == 0
            ? []
            : pointer.TrimStart('/').Split('/').Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToList();

    private static string Escape(string segment) => segment.Replace("~", "~0").Replace("/", "~1");

    private static string Join(JsonElement? subschema, string keyword) =>
        subschema is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty(keyword, out var values) && values.ValueKind == JsonValueKind.Array
            ? string.Join(", ", values.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()))
            : "see the schema";

    private static string Article(string? type) => type switch
    {
        "object" or "array" or "integer" => $"an {type}",
        null => "of the right type",
        _ => $"a {type}",
    };

    /// <summary>A value for a human: strings quoted and cut short, other JSON as written.</summary>
    private static string Show(JsonNode? value)
    {
        if (value is null) return "null";
        var text = value.GetValueKind() switch
        {
            JsonValueKind.String => $"'{value.GetValue<string>()}'",
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            _ => value.ToJsonString(),
        };
        return text.Length <= MaxValueChars ? text : text[..(MaxValueChars - 1)] + "…'";
    }

    private readonly record struct Failure(string Code, string Text);
}
