namespace Correlator.Correlation;

/// <summary>
/// A suspected cause (contract: Output). A snapshot: <see cref="FindingHistory"/> holds one per transition.
/// </summary>
public sealed record Finding(
    string FindingId,
    string Status,
    string UpdateId,
    string Vendor,
    string Product,
    string Version,
    double Confidence,
    IReadOnlyList<FindingSignature> Signatures,
    IReadOnlyList<FindingService> Services,
    FindingEvidence Evidence,
    string Explanation,
    DateTimeOffset FirstFailureAt,
    DateTimeOffset DetectedAt);

public sealed record FindingSignature(string Signature, int Crashes, int Hosts);

public sealed record FindingService(string Service, string Region, string Status);

public static class FindingStatus
{
    public const string Suspected = "suspected";
    public const string Confirmed = "confirmed";
    public const string Dismissed = "dismissed";
    public const string Resolved = "resolved";
}

/// <summary>
/// Transition kinds. <c>confirmed</c> is published as <c>correlator.finding.updated</c> (status confirmed).
/// </summary>
public static class TransitionKind
{
    public const string Raised = "raised";
    public const string Updated = "updated";
    public const string Confirmed = "confirmed";
    public const string Dismissed = "dismissed";
    public const string Resolved = "resolved";
}

/// <summary>One change of a finding, at the knowledge time <see cref="At"/>, with the finding as it was then.</summary>
public sealed record FindingTransition(string Kind, DateTimeOffset At, Finding Finding);

/// <summary>A finding's whole life. <see cref="Current"/> is the last snapshot.</summary>
public sealed record FindingHistory(string FindingId, string UpdateId, IReadOnlyList<FindingTransition> Transitions)
{
    public Finding Current => Transitions[^1].Finding;
    public DateTimeOffset DetectedAt => Transitions[0].At;
}
