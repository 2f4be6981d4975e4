namespace Correlator.Rollouts;

/// <summary>
/// The gate's sequential test: a mixture sequential probability ratio test on the hazard ratio of exposed against
/// unexposed hosts, built from the Cox partial likelihood. At each failure, given the hosts at risk in the failing
/// host's stratum (<c>n1</c> exposed, <c>n0</c> not), equal failure rates make the failing host an exposed one with
/// probability p = n1 / (n1 + n0); a hazard ratio θ makes it θp / (θp + 1 − p). The product of those ratios over the
/// failures is a nonnegative martingale with mean 1 under equal rates, and so is any mixture of them over θ; by Ville's
/// inequality the chance that it ever reaches 1/α is at most α, however often it is looked at. So the gate may be
/// asked before every wave, every minute, without inflating false stops, and needs no estimate of the baseline rate.
/// </summary>
public static class HazardRatioMixture
{
    /// <summary>The alternatives mixed, with equal weight: from a 50 % rise to a hundredfold one.</summary>
    public static readonly double[] Ratios = [1.5, 2, 3, 5, 10, 30, 100];

    /// <summary>One failure: hosts at risk in its stratum when it happened, and whether the failing host was exposed.</summary>
    public readonly record struct Failure(int ExposedAtRisk, int UnexposedAtRisk, bool Exposed)
    {
        public bool Informative => ExposedAtRisk > 0 && UnexposedAtRisk > 0;
    }

    /// <summary>The running maximum of the mixture likelihood ratio (ln) over the failures in time order.</summary>
    public static (double MaxLogRatio, double LastLogRatio, int Informative) Run(IEnumerable<Failure> failures)
    {
        var logs = new double[Ratios.Length];
        double max = 0, last = 0;
        var informative = 0;
        foreach (var f in failures)
        {
            if (!f.Informative) continue;
            informative++;
            var p = (double)f.ExposedAtRisk / (f.ExposedAtRisk + f.UnexposedAtRisk);
            for (var j = 0; j < Ratios.Length; j++)
            {
                var theta = Ratios[j];
                var denominator = theta * p + 1 - p;
                logs[j] += f.Exposed ? Math.Log(theta / denominator) : -Math.Log(denominator);
            }
            last = LogMixture(logs);
            max = Math.Max(max, last);
        }
        return (max, last, informative);
    }

    private static double LogMixture(double[] logs)
    {
        var top = logs.Max();
        var sum = logs.Sum(l => Math.Exp(l - top));
        return top + Math.Log(sum / logs.Length);
    }
}
