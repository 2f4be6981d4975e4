namespace Correlator.Correlation;

/// <summary>
/// The rate statistics, in log space so that tails of 1e-300 and beyond stay exact enough to compare.
/// </summary>
public static class Statistics
{
    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos, g = 7, 9 terms; ~15 significant digits).</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5) return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        x -= 1;
        double a = Lanczos[0];
        var t = x + 7.5;
        for (var i = 1; i < 9; i++) a += Lanczos[i] / (x + i);
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(a);
    }

    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    public static double LogChoose(int n, int k) => LogGamma(n + 1) - LogGamma(k + 1) - LogGamma(n - k + 1);

    /// <summary>ln P(X = k) for X ~ Binomial(n, p).</summary>
    public static double LogBinomialPmf(int k, int n, double p)
    {
        if (p <= 0) return k == 0 ? 0 : double.NegativeInfinity;
        if (p >= 1) return k == n ? 0 : double.NegativeInfinity;
        return LogChoose(n, k) + k * Math.Log(p) + (n - k) * Math.Log(1 - p);
    }

    /// <summary>ln P(X ≥ k) for X ~ Binomial(n, p): the one-sided p-value of seeing k or more.</summary>
    public static double LogBinomialUpperTail(int k, int n, double p)
    {
        if (k <= 0) return 0;
        if (k > n) return double.NegativeInfinity;
        if (p <= 0) return double.NegativeInfinity;
        if (p >= 1) return 0;
        var mode = (int)Math.Floor((n + 1) * p);
        if (k <= mode)
        {
            // The tail holds at least about half the mass: 1 - P(X <= k-1), summing the smaller lower side.
            var lower = LogSumRange(0, k - 1, n, p, descending: true);
            var q = Math.Exp(lower);
            return q >= 1 ? -745 : Math.Log(1 - q);
        }
        return LogSumRange(k, n, n, p, descending: false);
    }

    // Sums pmf over [from, to], starting at the end nearest the mode and stopping when terms vanish.
    private static double LogSumRange(int from, int to, int n, double p, bool descending)
    {
        var start = descending ? to : from;
        var first = LogBinomialPmf(start, n, p);
        if (double.IsNegativeInfinity(first)) return first;
        double sum = 1; // relative to first
        var ratioLog = Math.Log(p / (1 - p));
        var term = 0.0;
        if (!descending)
        {
            for (var i = from; i < to; i++)
            {
                term += Math.Log((double)(n - i) / (i + 1)) + ratioLog;
                var t = Math.Exp(term);
                sum += t;
                if (t < 1e-17 * sum) break;
            }
        }
        else
        {
            for (var i = to; i > from; i--)
            {
                term += Math.Log((double)i / (n - i + 1)) - ratioLog;
                var t = Math.Exp(term);
                sum += t;
                if (t < 1e-17 * sum) break;
            }
        }
        return first + Math.Log(sum);
    }

    /// <summary>
    /// Conditional test of two Poisson rates: x events in exposure time <paramref name="tAfter"/>, y in
    /// <paramref name="tBefore"/>; under equal rates x ~ Binomial(x + y, tAfter / (tAfter + tBefore)).
    /// Returns ln of the one-sided p-value that the later rate is higher.
    /// </summary>
    public static double LogPoissonRiseP(int x, int y, double tAfter, double tBefore)
    {
        if (x <= 0 || tBefore <= 0 || tAfter <= 0) return 0;
        return LogBinomialUpperTail(x, x + y, tAfter / (tAfter + tBefore));
    }

    /// <summary>ln Q(a, x), the regularized upper incomplete gamma function.</summary>
    public static double LogGammaQ(double a, double x)
    {
        if (x <= 0) return 0;
        if (x < a + 1)
        {
            // series for P, Q = 1 - P
            double sum = 1 / a, del = sum, ap = a;
            for (var n = 0; n < 500; n++)
            {
                ap += 1; del *= x / ap; sum += del;
                if (Math.Abs(del) < Math.Abs(sum) * 1e-15) break;
            }
            var logP = Math.Log(sum) - x + a * Math.Log(x) - LogGamma(a);
            var pv = Math.Exp(logP);
            return pv >= 1 ? -745 : Math.Log(1 - pv);
        }
        // continued fraction for Q (Lentz)
        double b = x + 1 - a, c = 1 / 1e-300, d = 1 / b, h = d;
        for (var i = 1; i < 500; i++)
        {
            var an = -i * (i - a);
            b += 2;
            d = an * d + b; if (Math.Abs(d) < 1e-300) d = 1e-300;
            c = b + an / c; if (Math.Abs(c) < 1e-300) c = 1e-300;
            d = 1 / d;
            var del = d * c;
            h *= del;
            if (Math.Abs(del - 1) < 1e-15) break;
        }
        return Math.Log(h) - x + a * Math.Log(x) - LogGamma(a);
    }

    /// <summary>ln of the chi-square survival function P(χ²_df ≥ x).</summary>
    public static double LogChiSquareSurvival(double x, int df) => df <= 0 ? 0 : LogGammaQ(df / 2.0, x / 2.0);

    /// <summary>
    /// ln p-value of the chi-square (G) test of homogeneity of two samples over K categories:
    /// does <paramref name="cases"/> spread over the categories like <paramref name="reference"/>?
    /// </summary>
    public static double LogHomogeneityP(IReadOnlyList<int> cases, IReadOnlyList<int> reference)
    {
        var k = 0;
        double n1 = 0, n2 = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            if (cases[i] + reference[i] == 0) continue;
            k++; n1 += cases[i]; n2 += reference[i];
        }
        if (k < 2 || n1 == 0 || n2 == 0) return 0;
        var n = n1 + n2;
        double g = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            var col = cases[i] + reference[i];
            if (col == 0) continue;
            if (cases[i] > 0) g += cases[i] * Math.Log(cases[i] / (n1 * col / n));
            if (reference[i] > 0) g += reference[i] * Math.Log(reference[i] / (n2 * col / n));
        }
        return LogChiSquareSurvival(2 * g, k - 1);
    }

    /// <summary>
    /// ln of the Sellke–Bayarri–Berger bound: the largest Bayes factor against the null that a p-value can
    /// carry, 1 / (−e·p·ln p) for p &lt; 1/e, else 1. Takes and returns logs.
    /// </summary>
    public static double LogBayesFactorBound(double logP)
    {
        if (logP >= -1) return 0;
        return -(1 + logP + Math.Log(-logP));
    }
}
