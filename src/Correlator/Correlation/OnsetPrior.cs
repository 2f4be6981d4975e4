namespace Correlator.Correlation;

/// <summary>
/// The prior of an update's onset delay d (from a unit's exposure to the change point of its failure rate), by how
/// the update takes effect (docs/correlation.md, "Onset delay"):
/// <list type="bullet">
/// <item>Installed software: density ∝ 1/(τ + d) over [0, lookback], τ = <see cref="CorrelationSettings.OnsetScale"/>.
/// A prompt effect is likeliest, yet code that keeps state (a leak) can fail days later: a slow burn stays possible.</item>
/// <item>A change that takes effect at once (configuration, content): the same shape within
/// <see cref="CorrelationSettings.ExerciseWindow"/>, by when every unit has been through a whole day of use with it. A later
/// onset needs a second event that sets it off, and that trigger is an unknown cause like any other: density ρ/24 per
/// hour (<see cref="CorrelationSettings.LocalCausePriorPerGroupDay"/>), flat over the lookback. So "change + trigger"
/// never beats "unknown cause then" by timing alone: only the exposure or the module/naming evidence can.</item>
/// </list>
/// </summary>
public static class OnsetPrior
{
    /// <summary>P(delay ≤ <paramref name="hours"/>).</summary>
    public static double Cdf(double hours, bool takesEffectAtOnce, CorrelationSettings s)
    {
        var tau = s.OnsetScale.TotalHours;
        var max = s.Lookback.TotalHours;
        var x = Math.Clamp(hours, 0, max);
        if (!takesEffectAtOnce) return Math.Log(1 + x / tau) / Math.Log(1 + max / tau);
        var trigger = Trigger(s);
        var window = Math.Min(s.ExerciseWindow.TotalHours, max);
        return (1 - trigger * max) * Math.Log(1 + Math.Min(x, window) / tau) / Math.Log(1 + window / tau) + trigger * x;
    }

    /// <summary>ln of the prior density per hour at <paramref name="hours"/>.</summary>
    public static double LogDensity(double hours, bool takesEffectAtOnce, CorrelationSettings s)
    {
        var tau = s.OnsetScale.TotalHours;
        var max = s.Lookback.TotalHours;
        var d = Math.Clamp(hours, 0, max);
        if (!takesEffectAtOnce) return -Math.Log(tau + d) - Math.Log(Math.Log(1 + max / tau));
        var trigger = Trigger(s);
        var window = Math.Min(s.ExerciseWindow.TotalHours, max);
        var prompt = d <= window ? (1 - trigger * max) / ((tau + d) * Math.Log(1 + window / tau)) : 0;
        return Math.Log(prompt + trigger);
    }

    /// <summary>
    /// ln of the prior mass of the delays that fit about as well as <paramref name="hours"/>: an interval of the fit's
    /// resolution <paramref name="width"/> ending there (starting at 0 when it would start before). Density × width
    /// where the prior is flat over the width; never more than the mass there where it is not (a lone failure long after
    /// exposure, fitted at delay 0 with a resolution of hours, cannot collect more than all the prompt mass).
    /// </summary>
    public static double LogMass(double hours, double width, bool takesEffectAtOnce, CorrelationSettings s)
    {
        var from = Math.Max(0, hours - width);
        var mass = Cdf(from + width, takesEffectAtOnce, s) - Cdf(from, takesEffectAtOnce, s);
        // Narrow intervals lose the difference to rounding: density × width is exact enough there.
        if (mass < 1e-9 * width || width < 1e-6) return LogDensity(hours, takesEffectAtOnce, s) + Math.Log(Math.Max(width, 1e-12));
        return Math.Log(mass);
    }

    private static double Trigger(CorrelationSettings s) => s.LocalCausePriorPerGroupDay / 24;
}
