using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Correlator.Scenarios;

/// <summary>Streams a scenario file line by line (never the whole file in memory).</summary>
public static class ScenarioReader
{
    private static readonly string[] TimeFields = ["occurredAt", "observedAt", "releasedAt", "recalledAt", "installedAt"];

    public static async IAsyncEnumerable<ScenarioLine> ReadAsync(string path, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var reader = new StreamReader(path);
        var number = 0;
        while (await reader.ReadLineAsync(ct) is { } text)
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            ScenarioLine? line;
            try { line = JsonSerializer.Deserialize<ScenarioLine>(text); }
            catch (JsonException e) { throw new InvalidDataException($"{path}:{number}: not a scenario line: {e.Message}", e); }
            if (line is null || string.IsNullOrEmpty(line.Topic) || (line.Value is null && line.RawValue is null))
                throw new InvalidDataException($"{path}:{number}: a scenario line needs \"topic\" and \"value\" or \"rawValue\"");
            yield return line;
        }
    }

    /// <summary>The message's own event time, when it has a readable one.</summary>
    public static DateTimeOffset? EventTime(ScenarioLine line)
    {
        if (line.Value is not { ValueKind: JsonValueKind.Object } value) return null;
        foreach (var field in TimeFields)
            if (value.TryGetProperty(field, out var t) && t.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(t.GetString(), out var parsed))
                return parsed.ToUniversalTime();
        return null;
    }
}

/// <summary>
/// The knowledge clock of a scenario: a line arrives at the latest event time seen so far in file order,
/// so a manifest placed late in the file is known only from where it appears, whatever its own timestamp says.
/// </summary>
public sealed class ArrivalClock
{
    public DateTimeOffset? Now { get; private set; }

    public DateTimeOffset Advance(ScenarioLine line)
    {
        var t = ScenarioReader.EventTime(line);
        if (t is { } time && (Now is null || time > Now)) Now = time;
        return Now ?? DateTimeOffset.UnixEpoch;
    }
}
