using Correlator.Findings;

namespace Correlator.Alerts;

/// <summary>The CloudEvents <c>type</c> of each finding transition. <c>confirmed</c> is an <c>updated</c> with status confirmed.</summary>
public static class FindingEventType
{
    public const string Raised = "correlator.finding.raised";
    public const string Updated = "correlator.finding.updated";
    public const string Resolved = "correlator.finding.resolved";
    public const string Dismissed = "correlator.finding.dismissed";

    public static string Of(IFindingTransition transition) => transition switch
    {
        FindingRaised => Raised,
        FindingUpdated or FindingConfirmed => Updated,
        FindingResolved => Resolved,
        FindingDismissed => Dismissed,
        _ => throw new ArgumentOutOfRangeException(nameof(transition), transition.GetType().Name, "not a finding transition"),
    };

    /// <summary>Deterministic per transition, so a consumer that sees it twice can tell.</summary>
    public static string IdOf(IFindingTransition transition) => $"{transition.Finding.FindingId}/{transition.Transition}";

    public static bool ClosesIncident(string type) => type is Resolved or Dismissed;
}
