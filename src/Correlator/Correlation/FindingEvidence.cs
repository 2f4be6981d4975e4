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
/// The statistics for one crash signature against the update. Host counts are distinct hosts (a boot loop is
/// one host). Rates are distinct crashing hosts per hour. Bayes factors are natural-log scale-free numbers.
/// </summary>
public sealed record SignatureEvidence(
    string Signature,
    int Crashes,
    int Hosts,
    int ExposedHosts,
    int UnexposedHosts,
    int BaselineHosts,
    double BaselineHours,
    double AfterHours,
    double RateBefore,
    double RateAfter,
    double Lift,
    double RisePValue,
    double ExposedFraction,
    double ContrastPValue,
    double UnexposedRisePValue,
    double HeterogeneityPValue,
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
    double Posterior);

internal static class Evidence
{
    public static SignatureEvidence For(CrashScore s, CorrelationRun.Attribution a)
    {
        var c = s.Candidate;
        var before = s.BaselineHours > 0 ? c.BaselineExposed / s.BaselineHours : double.NaN;
        var after = c.ExposedHosts / s.AfterHours;
        // Lift against the baseline with half a host of continuity correction, so an empty baseline gives a finite number.
        var lift = s.BaselineHours > 0 ? after / ((c.BaselineExposed + 0.5) / s.BaselineHours) : double.PositiveInfinity;
        return new SignatureEvidence(
            c.Signature.Signature, c.ExposedCrashes, c.ExposedHosts, c.ExposedHosts, c.UnexposedHosts, c.BaselineExposed,
            Round(s.BaselineHours), Round(s.AfterHours), Round(before), Round(after), Round(lift),
            Math.Exp(s.LogPRise), Round(s.ExposedFraction), Math.Exp(s.LogPContrast), Math.Exp(s.LogPUnexposedRise),
            Math.Exp(s.LogPHeterogeneity), s.Module > 0, c.Signature.Module, Round(s.DelayHours * 60),
            Math.Exp(Math.Min(700, s.LogBayesFactor)), Math.Round(a.Posterior, 4), a.Alternative, Math.Round(a.AlternativePosterior, 4));
    }

    public static ServiceEvidence For(ServiceScore s, CorrelationRun.Attribution a) => new(
        s.Service.Service, s.Service.Region, s.Worst, s.Observations, s.Named, s.RegionTargeted, s.ExposedDegraded,
        s.UnexposedDegraded, Round(s.ExposedFraction), Math.Exp(s.LogPContrast), Round(s.DelayHours * 60),
        Math.Exp(Math.Min(700, s.LogBayesFactor)), Math.Round(a.Posterior, 4));

    private static double Round(double v) => double.IsFinite(v) ? Math.Round(v, 3) : v;
}
