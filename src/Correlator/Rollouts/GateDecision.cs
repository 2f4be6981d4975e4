namespace Correlator.Rollouts;

public static class GateDecisions
{
    public const string Go = "go";
    public const string Hold = "hold";
    public const string Stop = "stop";
}

/// <summary>
/// The gate's answer for an update at one moment (<see cref="AsOf"/>, knowledge time). Rates are fresh failures per
/// host-hour (see <see cref="GateSettings.FreshAfterHours"/>); <see cref="FailingExposed"/> counts exposed hosts that
/// failed after their exposure.
/// </summary>
public sealed record GateDecision(
    string UpdateId,
    string Decision,
    double Confidence,
    IReadOnlyList<string> Reasons,
    int Exposed,
    int FailingExposed,
    double BaselineRate,
    double ExposedRate,
    GateEvidence Evidence,
    DateTimeOffset AsOf);

/// <summary>
/// What the decision rests on. <see cref="LikelihoodRatio"/> is the running maximum of the mixture SPRT statistic
/// (<see cref="HazardRatioMixture"/>); <see cref="AlwaysValidPValue"/> = min(1, 1 / it), valid at any stopping time.
/// </summary>
public sealed record GateEvidence(
    string Test,
    double Alpha,
    double StopThreshold,
    double LikelihoodRatio,
    double AlwaysValidPValue,
    int InformativeFailures,
    int ExposedFailures,
    int UnexposedFailures,
    double ExposedHostHours,
    double UnexposedHostHours,
    int Strata,
    int ComparableStrata,
    string ExposureBasis,
    DateTimeOffset? ExposureStart,
    DateTimeOffset? RecalledAt,
    IReadOnlyList<string> Findings);

/// <summary>
/// One wave of a rollout: when it started, the hosts it exposed (and how many of those failed after their exposure,
/// as of the report), and what the gate said just before it started.
/// </summary>
public sealed record GateWave(
    int Wave,
    DateTimeOffset StartsAt,
    double? Percent,
    int NewlyExposed,
    int NewlyExposedFailing,
    int ExposedBefore,
    string Decision,
    double Confidence,
    string Reason);

/// <summary>The answer of <c>GET /api/rollouts/{updateId}/gate</c>: the decision now and at each wave.</summary>
public sealed record GateReport(
    string UpdateId,
    string Decision,
    double Confidence,
    IReadOnlyList<string> Reasons,
    int Exposed,
    int FailingExposed,
    double BaselineRate,
    double ExposedRate,
    GateEvidence Evidence,
    DateTimeOffset AsOf,
    IReadOnlyList<GateWave> Waves)
{
    public static GateReport From(GateDecision d, IReadOnlyList<GateWave> waves) => new(d.UpdateId, d.Decision, d.Confidence, d.Reasons,
        d.Exposed, d.FailingExposed, d.BaselineRate, d.ExposedRate, d.Evidence, d.AsOf, waves);
}

/// <summary>A finding about the update as the gate sees it: raised at <see cref="DetectedAt"/>, maybe dismissed later.</summary>
public sealed record GateFinding(string FindingId, DateTimeOffset DetectedAt, DateTimeOffset? DismissedAt, double Confidence, string Explanation);
