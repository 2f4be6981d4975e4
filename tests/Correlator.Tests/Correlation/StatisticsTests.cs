using Correlator.Correlation;

namespace Correlator.Tests.Correlation;

public class StatisticsTests
{
    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(5, 24.0)]
    [InlineData(10.5, 1133278.3889487855)]
    public void LogGamma_matches_factorials(double x, double gamma) =>
        Assert.Equal(Math.Log(gamma), Statistics.LogGamma(x), 9);

    [Fact]
    public void Binomial_upper_tail_matches_exact_sums()
    {
        // P(X >= 8 | n = 12, p = 0.1) = sum_{k=8}^{12} C(12,k) 0.1^k 0.9^(12-k)
        double exact = 0;
        for (var k = 8; k <= 12; k++) exact += Math.Exp(Statistics.LogChoose(12, k)) * Math.Pow(0.1, k) * Math.Pow(0.9, 12 - k);
        Assert.Equal(exact, Math.Exp(Statistics.LogBinomialUpperTail(8, 12, 0.1)), 12);
        Assert.Equal(1.0, Math.Exp(Statistics.LogBinomialUpperTail(0, 12, 0.1)), 12);
        // Lower half: P(X >= 1 | n = 10, p = 0.5) = 1 - 2^-10
        Assert.Equal(1 - Math.Pow(2, -10), Math.Exp(Statistics.LogBinomialUpperTail(1, 10, 0.5)), 12);
        // Extreme tails stay finite in log space.
        Assert.True(Statistics.LogBinomialUpperTail(3000, 3000, 0.01) < -13000);
    }

    [Fact]
    public void Poisson_rise_compares_rates_by_time()
    {
        // Same rate: 2 in 1h after vs 48 in 24h before: not significant.
        Assert.True(Math.Exp(Statistics.LogPoissonRiseP(2, 48, 1, 24)) > 0.3);
        // Low baseline, sharp rise: 6 hosts in 30 min after 3 in 72 h.
        Assert.True(Math.Exp(Statistics.LogPoissonRiseP(6, 3, 0.5, 72)) < 1e-10);
        // No baseline time: no information.
        Assert.Equal(0, Statistics.LogPoissonRiseP(6, 0, 0.5, 0));
    }

    [Fact]
    public void Chi_square_survival_matches_tables()
    {
        Assert.Equal(0.05, Math.Exp(Statistics.LogChiSquareSurvival(3.841459, 1)), 5);
        Assert.Equal(0.05, Math.Exp(Statistics.LogChiSquareSurvival(9.487729, 4)), 5);
        Assert.Equal(0.001, Math.Exp(Statistics.LogChiSquareSurvival(18.46683, 4)), 5);
    }

    [Fact]
    public void Homogeneity_test_tells_concentrated_from_spread()
    {
        Assert.True(Math.Exp(Statistics.LogHomogeneityP([20, 22, 18, 21, 19], [40, 41, 39, 40, 40])) > 0.5);
        Assert.True(Math.Exp(Statistics.LogHomogeneityP([100, 0, 0, 0, 0], [40, 41, 39, 40, 40])) < 1e-20);
    }

    [Fact]
    public void Bayes_factor_bound_is_the_sellke_bayarri_berger_value()
    {
        Assert.Equal(0, Statistics.LogBayesFactorBound(Math.Log(0.5)));
        var p = 0.01;
        Assert.Equal(1 / (-Math.E * p * Math.Log(p)), Math.Exp(Statistics.LogBayesFactorBound(Math.Log(p))), 9);
    }

    [Fact]
    public void Timing_prefers_prompt_onset_and_barely_penalises_slow_burn()
    {
        var s = CorrelationSettings.Default;
        Assert.Equal(Math.Log(100), BayesFactors.Timing(0.1, s), 9);
        Assert.Equal(0, BayesFactors.Timing(24, s), 9);
        Assert.InRange(BayesFactors.Timing(72, s), Math.Log(0.5), 0);
        Assert.True(BayesFactors.Timing(1, s) > BayesFactors.Timing(6, s));
    }

    [Fact]
    public void Posteriors_split_between_indistinguishable_candidates()
    {
        var p = BayesFactors.Posteriors([20, 20], 0.02);
        Assert.Equal(p[0], p[1], 12);
        Assert.True(p[0] < 0.51);
        var single = BayesFactors.Posteriors([20], 0.02);
        Assert.True(single[0] > 0.99);
        Assert.True(BayesFactors.Posteriors([Math.Log(10)], 0.02)[0] < 0.2);
    }
}
