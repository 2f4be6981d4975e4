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
        object? fact = topic switch
        {
            "crash-dumps" => Valid(value.Deserialize<CrashReported>(Web), c => c.Id is not null && c.HostId is not null && c.Platform is not null && c.Kind is not null && c.OccurredAt != default),
            "service-status" => Valid(value.Deserialize<ServiceStatusObserved>(Web), s => s.Id is not null && s.Service is not null && s.Status is not null && s.ObservedAt != default),
            "update-manifests" => (value.TryGetProperty("type", out var type) ? type.GetString() : null) switch
            {
                "release" => Valid(value.Deserialize<UpdateReleased>(Web), r => r.Id is not null && r.UpdateId is not null && r.Vendor is not null && r.Product is not null && r.Version is not null && r.ReleasedAt != default),
                "recall" => Valid(value.Deserialize<UpdateRecalled>(Web), r => r.Id is not null && r.UpdateId is not null && r.RecalledAt != default),
                "installation" => Valid(value.Deserialize<UpdateInstalled>(Web), i => i.Id is not null && i.UpdateId is not null && i.HostId is not null && i.InstalledAt != default),
                _ => null,
            },
            "finding-feedback" => Valid(value.Deserialize<FindingFeedback>(Web), f => f.Id is not null && f.FindingId is not null && f.Action is not null),
            _ => null,
        };
        return fact;
    }

    private static T? Valid<T>(T? value, Func<T, bool> ok) where T : class => value is not null && ok(value) ? value : null;

    public static DateTimeOffset EventTime(object fact) => fact switch
    {
        CrashReported c => c.OccurredAt,
        ServiceStatusObserved s => s.ObservedAt,
        UpdateReleased r => r.ReleasedAt,
        UpdateRecalled r => r.RecalledAt,
        UpdateInstalled i => i.InstalledAt,
        FindingFeedback f => f.At,
        _ => DateTimeOffset.MinValue,
    };

    public static object WithKnown(object fact, DateTimeOffset known) => fact switch
    {
        CrashReported c => c with { ObservedAt = known },
        ServiceStatusObserved s => s with { ReceivedAt = known },
        UpdateReleased r => r with { ObservedAt = known },
        UpdateRecalled r => r with { ObservedAt = known },
        UpdateInstalled i => i with { ObservedAt = known },
        FindingFeedback f => f with { ObservedAt = known },
        _ => fact,
    };
}
