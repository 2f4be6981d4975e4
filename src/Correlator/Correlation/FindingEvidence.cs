namespace Correlator.Correlation;

/// <summary>Why the engine believes a finding (contract: Output, <c>evidence</c>).</summary>
public sealed record FindingEvidence(
    DateTimeOffset ReleasedAt,
    DateTimeOffset? RecalledAt,
    string ExposureBasis,
    double PriorProbability,
    double Posterior,
    IReadOnlyList<SignatureEvidence> Signatures,
    IReadOnlyList<ServiceEvidence> Services);

/// <summary>
/// The statistics for one crash signature against the update, from the change-point model at the update's best
/// onset delay. Host counts are distinct hosts (a boot loop is one host); rates are failing hosts per host-hour.
/// <see cref="BaselineHosts"/> are failing hosts outside the update's changed host-time (unexposed hosts, and exposed
/// hosts before their change point); <see cref="StrongestAlternative"/> may be an unknown local cause.
/// </summary>
public sealed record SignatureEvidence(
    string Signature,
    int Crashes,
    int Hosts,
    int ExposedHosts,
    int UnexposedHosts,
    int BaselineHosts,
    double BaselineHours,
    double ExposedHostHours,
    double RateBefore,
    double RateAfter,
    double Lift,
    double RisePValue,
    double ExposedFraction,
    double LogLikelihoodRatio,
    double OnsetDelayHours,
    bool ModuleMatch,
    string Module,
    double MinutesFromExposureToFailure,
    double BayesFactor,
    double Posterior,
    string? StrongestAlternative,
    double AlternativePosterior);

public sealed record ServiceEvidence(
    string Service,
    string Region,
    string Status,
    int Observations,
    bool NamedByUpdate,
    bool RegionTargeted,
    int ExposedDegraded,
    int UnexposedDegraded,
    double ExposedFraction,
    double ContrastPValue,
    double MinutesFromExposureToFailure,
    double BayesFactor,
    double Posterior,
    string? StrongestAlternative = null,
    double AlternativePosterior = 0);

internal static class Evidence
{
    public static SignatureEvidence For(CrashScore s, CorrelationRun.Attribution a)
    {
        var before = s.OtherHostHours > 0 ? s.OtherHosts / s.OtherHostHours : 0;
        var after = s.ExposedHostHours > 0 ? s.ExposedHosts / s.ExposedHostHours : 0;
        // Lift with half a host of continuity correction, so an empty baseline gives a finite number.
        var lift = s.OtherHostHours > 0 ? after / ((s.OtherHosts + 0.5) / s.OtherHostHours) : double.PositiveInfinity;
        return new SignatureEvidence(
            s.Signature.Signature, s.ExposedCrashes, s.ExposedHosts, s.ExposedHosts, s.UnexposedHosts, s.OtherHosts,
            Round(s.BaselineHours), Round(s.ExposedHostHours), Round(before), Round(after), Round(lift),
            Math.Exp(s.LogPRise), Round(s.ExposedFraction), Round(s.LogLikelihoodRatio), s.DelayHours, s.Module > 0, s.Signature.Module,
            Round(s.OnsetMinutes), Math.Exp(Math.Min(700, s.LogBayesFactor)), Math.Round(a.Posterior, 4), a.Alternative,
            Math.Round(a.AlternativePosterior, 4));
    }

    public static ServiceEvidence For(ServiceScore s, CorrelationRun.Attribution a) => new(
        s.Service.Service, s.Service.Region, s.Worst, s.Observations, s.Named, s.RegionTargeted, s.ExposedDegraded,
        s.UnexposedDegraded, Round(s.ExposedFraction), Math.Exp(s.LogPContrast),
        Round((s.FirstFailure - (s.Update.ServiceExposedSince(s.Service.Service, s.Service.Region) ?? s.FirstFailure)).TotalMinutes),
        Math.Exp(Math.Min(700, s.LogBayesFactor)), Math.Round(a.Posterior, 4), a.Alternative, Math.Round(a.AlternativePosterior, 4));

    private static double Round(double v) => double.IsFinite(v) ? Math.Round(v, 3) : v;
}
