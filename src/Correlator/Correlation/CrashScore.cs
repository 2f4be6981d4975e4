namespace Correlator.Correlation;

/// <summary>The evidence of one update for one crash signature at one tick (log Bayes factors).</summary>
public sealed record CrashScore(
    CrashCandidate Candidate,
    bool Gated,
    double AfterHours,
    double BaselineHours,
    double LogPRise,
    double ExposedFraction,
    double LogPContrast,
    double LogPUnexposedRise,
    double LogPHeterogeneity,
    double Statistical,
    double Module,
    double Timing,
    double Heterogeneity,
    double DelayHours,
    double Onset = 0)
{
    public double LogBayesFactor => Statistical + Module + Timing + Heterogeneity + Onset;
}

/// <summary>The evidence of one update for one degraded service region at one tick.</summary>
public sealed record ServiceScore(
    UpdateExposure Update,
    ServiceHistory Service,
    bool Gated,
    int Observations,
    string Worst,
    DateTimeOffset FirstFailure,
    bool Named,
    bool RegionTargeted,
    int ExposedDegraded,
    int UnexposedDegraded,
    double ExposedFraction,
    double LogPContrast,
    double Statistical,
    double Naming,
    double Timing,
    double DelayHours)
{
    public double LogBayesFactor => Statistical + Naming + Timing;
}
