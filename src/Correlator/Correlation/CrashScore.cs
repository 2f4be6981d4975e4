namespace Correlator.Correlation;

/// <summary>
/// The evidence of one update for one crash signature at one tick, from the change-point model at the update's
/// best onset delay (<see cref="ChangeModel"/>). Host counts are distinct hosts; times are host-hours.
/// </summary>
public sealed record CrashScore(
    UpdateExposure Update,
    SignatureHistory Signature,
    DateTimeOffset Start,
    double DelayHours,
    int ExposedHosts,
    int ExposedCrashes,
    int UnexposedHosts,
    int OtherHosts,
    double ExposedHostHours,
    double OtherHostHours,
    double ExposedFraction,
    double BaselineHours,
    double LogLikelihoodRatio,
    double LogPRise,
    double Module,
    double LogWeight,
    double OnsetMinutes,
    DateTimeOffset? FirstExposedFailure)
{
    /// <summary>ln Bayes factor against "nothing changed" (prior excluded).</summary>
    public double LogBayesFactor => LogWeight;
}

/// <summary>The evidence of one update for one degraded service region at one tick.</summary>
public sealed record ServiceScore(
    UpdateExposure Update,
    ServiceHistory Service,
    int Observations,
    string Worst,
    DateTimeOffset FirstFailure,
    bool Named,
    bool RegionTargeted,
    int ExposedDegraded,
    int UnexposedDegraded,
    double ExposedFraction,
    double LogPContrast,
    double DelayHours,
    double LogLikelihoodRatio,
    double Naming,
    double LogWeight)
{
    public double LogBayesFactor => LogWeight;
}

/// <summary>The best "unknown local cause" for a failure pattern: a group of hosts (or service regions) whose rate
/// changed at <see cref="Since"/>, with its log weight (likelihood, Occam factor and prior).</summary>
public sealed record LocalCause(string Group, DateTimeOffset Since, int Units, double LogLikelihoodRatio, double LogWeight)
{
    public string Describe() => $"unknown cause in {Group} since {Since.UtcDateTime:yyyy-MM-dd HH:mm}Z";
}
