using Correlator.Correlation;

namespace Correlator.Tests.Correlation;

public class OnsetPriorTests
{
    private static readonly CorrelationSettings S = CorrelationSettings.Default;
    private static readonly double Lookback = S.Lookback.TotalHours;
    private static readonly double Trigger = S.LocalCausePriorPerGroupDay / 24;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cdf_runs_from_zero_to_one_and_density_integrates_to_it(bool atOnce)
    {
        Assert.Equal(0, OnsetPrior.Cdf(0, atOnce, S), 12);
        Assert.Equal(1, OnsetPrior.Cdf(Lookback, atOnce, S), 9);
        Assert.Equal(1, OnsetPrior.Cdf(10 * Lookback, atOnce, S), 9);
        foreach (var (a, b) in new[] { (0.0, 0.25), (1.0, 3.0), (20.0, 23.0), (30.0, 40.0), (100.0, 300.0) })
        {
            double sum = 0;
            const int n = 20_000;
            for (var i = 0; i < n; i++) sum += Math.Exp(OnsetPrior.LogDensity(a + (i + 0.5) * (b - a) / n, atOnce, S)) * (b - a) / n;
            Assert.Equal(OnsetPrior.Cdf(b, atOnce, S) - OnsetPrior.Cdf(a, atOnce, S), sum, 6);
        }
    }

    [Fact]
    public void Installed_software_keeps_a_slow_burn_possible()
    {
        // Days later is unlikely next to minutes later, but far likelier than an unknown cause's rate per hour.
        Assert.True(OnsetPrior.LogDensity(0.1, false, S) > OnsetPrior.LogDensity(48, false, S) + Math.Log(50));
        Assert.True(OnsetPrior.LogDensity(72, false, S) > Math.Log(10 * Trigger));
        Assert.InRange(OnsetPrior.Cdf(96, false, S) - OnsetPrior.Cdf(24, false, S), 0.15, 0.25);
    }

    [Fact]
    public void A_change_that_takes_effect_at_once_fails_late_only_through_a_trigger()
    {
        var window = S.ExerciseWindow.TotalHours;
        // Within a day of use: the same shape as for installed software, more of the mass.
        Assert.True(OnsetPrior.LogDensity(0.1, true, S) > OnsetPrior.LogDensity(0.1, false, S));
        Assert.True(OnsetPrior.LogDensity(6, true, S) > OnsetPrior.LogDensity(6, false, S));
        // After it: exactly the prior rate of an unknown cause, so timing cannot favour the change over one.
        Assert.Equal(Math.Log(Trigger), OnsetPrior.LogDensity(window + 0.01, true, S), 12);
        Assert.Equal(Math.Log(Trigger), OnsetPrior.LogDensity(43, true, S), 12);
        Assert.Equal(Math.Log(Trigger), OnsetPrior.LogDensity(Lookback - 1, true, S), 12);
        Assert.Equal(Trigger * (Lookback - window), 1 - OnsetPrior.Cdf(window, true, S), 9);
    }

    [Fact]
    public void Mass_is_density_times_width_where_the_prior_is_flat_and_bounded_where_it_is_not()
    {
        foreach (var atOnce in new[] { false, true })
        {
            // A narrow interval: density × width.
            var d = 30.0;
            Assert.Equal(OnsetPrior.LogDensity(d, atOnce, S) + Math.Log(0.05), OnsetPrior.LogMass(d, 0.05, atOnce, S), 2);
            // The interval ends at the fitted delay.
            Assert.Equal(Math.Log(OnsetPrior.Cdf(d, atOnce, S) - OnsetPrior.Cdf(d - 2, atOnce, S)), OnsetPrior.LogMass(d, 2, atOnce, S), 9);
            // At delay 0 it starts at 0 and never holds more than the whole prior.
            Assert.Equal(Math.Log(OnsetPrior.Cdf(43, atOnce, S)), OnsetPrior.LogMass(0, 43, atOnce, S), 9);
            Assert.True(OnsetPrior.LogMass(0, 43, atOnce, S) <= 0);
            Assert.True(OnsetPrior.LogMass(0, 43, atOnce, S) < OnsetPrior.LogDensity(0, atOnce, S) + Math.Log(43) - 2);
        }
    }
}
