using System.Text.Json.Serialization;

namespace Correlator.Backtest;

/// <summary>What <c>correlator backtest --json</c> prints.</summary>
public sealed record BacktestReport(
    [property: JsonPropertyName("messages")] int Messages,
    [property: JsonPropertyName("accepted")] long Accepted,
    [property: JsonPropertyName("duplicates")] long Duplicates,
    [property: JsonPropertyName("rejected")] long Rejected,
    [property: JsonPropertyName("findings")] IReadOnlyList<object> Findings)
{
    [JsonPropertyName("accuracy")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AccuracySummary? Accuracy { get; init; }
}
