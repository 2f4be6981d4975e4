using System.Text.Json.Serialization;
using Correlator.Correlation;

namespace Correlator.Backtest;

/// <summary>The <c>accuracy</c> member of a backtest report run with <c>--expected</c>.</summary>
public sealed record AccuracySummary(
    [property: JsonPropertyName("precision")] double Precision,
    [property: JsonPropertyName("recall")] double Recall,
    [property: JsonPropertyName("truePositives")] IReadOnlyList<string> TruePositives,
    [property: JsonPropertyName("falsePositives")] IReadOnlyList<string> FalsePositives,
    [property: JsonPropertyName("falseNegatives")] IReadOnlyList<string> FalseNegatives,
    [property: JsonPropertyName("timeToDetectSeconds")] IReadOnlyList<double> TimeToDetectSeconds)
{
    public static AccuracySummary From(ScenarioAccuracy s)
    {
        var report = new AccuracyReport([s]);
        return new AccuracySummary(report.Precision, report.Recall, s.TruePositives, s.FalsePositives, s.FalseNegatives,
            s.TimesToDetect.Select(t => t.TotalSeconds).ToList());
    }
}
