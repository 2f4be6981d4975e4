using System.Text.Json;
using System.Text.Json.Serialization;

namespace Correlator.Scenarios;

/// <summary>
/// One line of a scenario file (contract: "Scenario files"). Either <see cref="Value"/> (a JSON object sent
/// as its UTF-8 text) or <see cref="RawValue"/> (a string sent byte for byte, for malformed messages).
/// </summary>
public sealed record ScenarioLine(
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("key")] string? Key,
    [property: JsonPropertyName("value")] JsonElement? Value,
    [property: JsonPropertyName("rawValue")] string? RawValue)
{
    public byte[] Bytes() => RawValue is not null
        ? System.Text.Encoding.UTF8.GetBytes(RawValue)
        : Value is { } v ? JsonSerializer.SerializeToUtf8Bytes(v) : throw new InvalidDataException("a scenario line needs value or rawValue");
}
