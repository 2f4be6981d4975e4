using System.Globalization;
using System.Text;

namespace Correlator.Correlation;

/// <summary>One reliability bin: predictions with confidence in [From, To), their mean confidence and how many were right.</summary>
public sealed record CalibrationBin(double From, double To, int Count, double? MeanConfidence, double? FractionCorrect);

/// <summary>
/// How well the engine's confidence matches how often it is right. A prediction is one update in one scenario: its
/// highest confidence (0 when it never got a finding) and whether it really was a culprit. The Brier score is the mean
/// squared difference between the two (0 is perfect; always answering 0.5 scores 0.25).
/// </summary>
public sealed record CalibrationReport(IReadOnlyList<CalibrationBin> Bins, double Brier, int Predictions, double RaiseThreshold)
{
    public static CalibrationReport Of(IEnumerable<(double Confidence, bool Correct)> predictions, double raiseThreshold, int bins = 10)
    {
        var all = predictions.ToList();
        var brier = all.Count == 0 ? 0 : all.Average(p => Math.Pow(p.Confidence - (p.Correct ? 1 : 0), 2));
        var table = new List<CalibrationBin>();
        for (var i = 0; i < bins; i++)
        {
            var (from, to) = ((double)i / bins, (double)(i + 1) / bins);
            var inBin = all.Where(p => p.Confidence >= from && (p.Confidence < to || (i == bins - 1 && p.Confidence <= 1))).ToList();
            table.Add(new CalibrationBin(from, to, inBin.Count,
                inBin.Count == 0 ? null : Math.Round(inBin.Average(p => p.Confidence), 4),
                inBin.Count == 0 ? null : Math.Round(inBin.Count(p => p.Correct) / (double)inBin.Count, 4)));
        }
        return new CalibrationReport(table, Math.Round(brier, 4), all.Count, raiseThreshold);
    }

    public string Table()
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(ci, $"calibration (raise threshold {RaiseThreshold:0.00} for this pass; {Predictions} predictions: every culprit and every update that reached it)"));
        sb.AppendLine($"{"confidence",-12} {"n",5} {"mean conf",10} {"correct",8}");
        foreach (var b in Bins.Where(b => b.Count > 0))
            sb.AppendLine(string.Create(ci, $"{$"[{b.From:0.0},{b.To:0.0})",-12} {b.Count,5} {b.MeanConfidence,10:0.000} {b.FractionCorrect,8:0.000}"));
        sb.AppendLine(string.Create(ci, $"Brier score {Brier:0.0000}"));
        return sb.ToString();
    }
}
