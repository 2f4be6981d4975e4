namespace Correlator.Correlation;

/// <summary>The likelihood-ratio pieces, all as natural logs. See <c>docs/correlation.md</c>.</summary>
public static class BayesFactors
{
    /// <summary>Timing: prompt onset is strong evidence, a day's delay is neutral, a delay near the lookback weakly against.</summary>
    public static double Timing(double delayHours, CorrelationSettings s)
    {
        if (double.IsNaN(delayHours)) return 0;
        var d = Math.Max(delayHours, 1e-6);
        var prompt = s.PromptOnset.TotalHours;
        var slow = s.SlowOnset.TotalHours;
        var late = s.Lookback.TotalHours;
        var max = Math.Log(s.PromptOnsetBayesFactor);
        if (d <= prompt) return max;
        if (d <= slow) return max * (1 - (Math.Log(d) - Math.Log(prompt)) / (Math.Log(slow) - Math.Log(prompt)));
        var frac = Math.Min(1, (Math.Log(d) - Math.Log(slow)) / Math.Max(1e-9, Math.Log(late) - Math.Log(slow)));
        return Math.Log(s.LateOnsetBayesFactor) * frac;
    }

    /// <summary>A p-value as a Bayes factor through the calibrator κ·p^(κ−1), floored at 1 (a test that finds
    /// nothing is neutral here; evidence against enters as explicit penalties) and capped.</summary>
    public static double FromP(double logP, CorrelationSettings s)
    {
        var k = s.Calibration;
        var log = Math.Log(k) + (k - 1) * logP;
        return Math.Clamp(log, 0, Math.Log(s.MaxStatisticalBayesFactor));
    }

    /// <summary>Posterior of each candidate against the others and "no update" (weight 1): prior odds × Bayes factor, normalised.</summary>
    public static double[] Posteriors(IReadOnlyList<double> logBayesFactors, double prior)
    {
        var logOdds = Math.Log(prior / (1 - prior));
        var m = 0.0; // "none" has log weight 0
        foreach (var l in logBayesFactors) m = Math.Max(m, l + logOdds);
        var denom = Math.Exp(-m);
        foreach (var l in logBayesFactors) denom += Math.Exp(l + logOdds - m);
        return logBayesFactors.Select(l => Math.Exp(l + logOdds - m) / denom).ToArray();
    }
}
