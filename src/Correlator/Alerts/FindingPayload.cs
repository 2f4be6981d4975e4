using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Correlator.Correlation;

namespace Correlator.Alerts;

/// <summary>The contract's <c>data</c> of a finding event (schemas/correlation-findings.schema.json), as Kafka and webhooks carry it.</summary>
public static class FindingPayload
{
    /// <summary>camelCase; times in UTC with <c>Z</c>; a non-finite evidence number is written as a string rather than failing.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // Not embedded in HTML, so '<', '&', '×' and non-ASCII names can stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new UtcTimeConverter() },
    };

    public static JsonElement ToJson(Finding finding) => JsonSerializer.SerializeToElement(finding, Json);

    private sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
    }
}
