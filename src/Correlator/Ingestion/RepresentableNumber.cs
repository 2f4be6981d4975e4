using System.Text.Json;
using System.Text.Json.Serialization;

namespace Correlator.Ingestion;

/// <summary>
/// Reads a contract number (a rollout wave's <c>percent</c>) and refuses one a double cannot hold: <c>1e-400</c>
/// passes the schema (JsonSchema.Net compares it as decimal 0) and would silently become 0. Overflow (<c>1e400</c>)
/// is already refused by the schema check.
/// </summary>
internal sealed class RepresentableNumber : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number) throw new JsonException("a number was expected");
        if (!reader.TryGetDouble(out var value) || !double.IsFinite(value))
            throw new JsonException($"{Text(ref reader)} is outside the range of a double");
        if (value == 0 && HasNonZeroMantissa(ref reader))
            throw new JsonException($"{Text(ref reader)} is too small to represent (it would be stored as 0)");
        return value;
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(value);

    private static bool HasNonZeroMantissa(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> span = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan;
        foreach (var b in span)
        {
            if (b is (byte)'e' or (byte)'E') return false;
            if (b is >= (byte)'1' and <= (byte)'9') return true;
        }
        return false;
    }

    private static string Text(ref Utf8JsonReader reader) =>
        System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);
}
