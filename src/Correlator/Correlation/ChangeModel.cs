namespace Correlator.Correlation;

/// <summary>
/// The one likelihood every hypothesis is scored with (see <c>docs/correlation.md</c>, "Model"): failures of one
/// pattern are a Poisson process over unit-time (host-hours, or service-region-hours); a hypothesis names, for each
/// unit, the moment its rate changes (an update's exposure plus an onset delay, or an unknown cause's start in a
/// group), and the maximised log-likelihood ratio against one constant rate is what it gains. A unit counts once per
/// side of its change point (a boot loop is one failing host).
/// </summary>
public static class ChangeModel
{
    /// <summary>
    /// ln of the likelihood ratio of "rate a/ta on the changed unit-time, b/tb elsewhere" against "one rate", for a
    /// rise only (0 when the changed rate is not higher).
    /// </summary>
    public static double LogLikelihoodRatio(int a, double ta, int b, double tb)
    {
        if (a <= 0 || ta <= 0) return 0;
        tb = Math.Max(tb, 1e-9);
        if (a / ta <= b / tb) return 0;
        var n = a + b;
        return XLogY(a, a / ta) + XLogY(b, b / tb) - XLogY(n, n / (ta + tb));
    }

    private static double XLogY(double x, double y) => x == 0 ? 0 : x * Math.Log(y);

    /// <summary>
    /// Occam factor for the free rate after the change: the likelihood's width in log-rate-ratio (Laplace,
    /// √(1/a + 1/b)) over a prior that spreads the ratio log-uniformly up to ×1000.
    /// </summary>
    public static double LogOccam(int a, int b) =>
        0.5 * Math.Log(2 * Math.PI * (1.0 / Math.Max(a, 1) + 1.0 / Math.Max(b, 1))) - Math.Log(Math.Log(1000));

    /// <summary>ln Σ exp(x).</summary>
    public static double LogSumExp(IEnumerable<double> xs)
    {
        var list = xs as IReadOnlyList<double> ?? xs.ToList();
        if (list.Count == 0) return double.NegativeInfinity;
        var m = list.Max();
        if (double.IsNegativeInfinity(m)) return m;
        return m + Math.Log(list.Sum(x => Math.Exp(x - m)));
    }

    public static double Hours(DateTimeOffset t) => t.UtcTicks / (double)TimeSpan.TicksPerHour;

    public static DateTimeOffset At(double hours) => new(checked((long)Math.Round(hours * TimeSpan.TicksPerHour)), TimeSpan.Zero);
}
