using System.Text.Json;
using Correlator.Ingestion.Events;
using Correlator.Scenarios;

namespace Correlator.Correlation;

/// <summary>
/// Reads a scenario's NDJSON lines into engine facts. Knowledge time is the running maximum event time in
/// file order (what the Kafka record timestamp would be on replay). <c>rawValue</c> lines and values that do not
/// parse into their record are skipped: the edge rejects them, the engine never sees them.
/// </summary>
public static class ScenarioFacts
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<object> Parse(IEnumerable<string> lines)
    {
        var facts = new List<object>();
        // The same arrival rule the scenario producer stamps on Kafka records, so offline and pipeline runs agree.
        var clock = new ArrivalClock();
        foreach (var line in lines)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            ScenarioLine? scenarioLine;
            try { scenarioLine = JsonSerializer.Deserialize<ScenarioLine>(line); }
            catch (JsonException) { continue; }
            if (scenarioLine is null) continue;
            var known = clock.Advance(scenarioLine);
            object? fact;
            try { fact = ParseLine(line); }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException) { fact = null; }
            if (fact is not null) facts.Add(WithKnown(fact, known));
        }
        return facts;
    }

    public static IReadOnlyList<object> Read(string path) => Parse(File.ReadLines(path));

    private static object? ParseLine(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object) return null;
        var topic = root.TryGetProperty("topic", out var t) ? t.GetString() : null;
        if (topic == "finding-feedback")
            return Valid(value.Deserialize<FindingFeedback>(Web), f => f.Id is not null && f.FindingId is not null && f.Action is not null);
        var manifestType = topic == "update-manifests" && value.TryGetProperty("type", out var type) ? type.GetString() : null;
        return InputEvents.For(topic, manifestType)?.FromScenario(value, Web);
    }

    private static T? Valid<T>(T? value, Func<T, bool> ok) where T : class => value is not null && ok(value) ? value : null;

    public static DateTimeOffset EventTime(object fact) => fact switch
    {
        IInputEvent i => i.EventTime,
        FindingFeedback f => f.At,
        _ => DateTimeOffset.MinValue,
    };

    public static object WithKnown(object fact, DateTimeOffset known) => fact switch
    {
        FindingFeedback f => f with { ObservedAt = known },
        _ => InputEvents.Stamp(fact, known),
    };
}
