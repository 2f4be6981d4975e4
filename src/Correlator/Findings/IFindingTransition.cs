using Correlator.Correlation;

namespace Correlator.Findings;

/// <summary>One change of a finding as stored in its stream (<c>finding/{findingId}</c>).</summary>
public interface IFindingTransition
{
    Finding Finding { get; }
    DateTimeOffset At { get; }
    int Transition { get; }
    /// <summary>Why the finding changed, in words (a resolution's cause, an SRE verdict and its note); null when nothing more than the kind.</summary>
    string? Reason { get; }
}

public static class FindingTransitions
{
    public static readonly Type[] Types = [typeof(FindingRaised), typeof(FindingUpdated), typeof(FindingConfirmed), typeof(FindingDismissed), typeof(FindingResolved)];

    public static IFindingTransition From(FindingTransition t, int index) => t.Kind switch
    {
        TransitionKind.Raised => new FindingRaised(t.Finding, t.At, index, t.Reason),
        TransitionKind.Updated => new FindingUpdated(t.Finding, t.At, index, t.Reason),
        TransitionKind.Confirmed => new FindingConfirmed(t.Finding, t.At, index, t.Reason),
        TransitionKind.Dismissed => new FindingDismissed(t.Finding, t.At, index, t.Reason),
        TransitionKind.Resolved => new FindingResolved(t.Finding, t.At, index, t.Reason),
        _ => throw new ArgumentOutOfRangeException(nameof(t), t.Kind, "unknown transition kind"),
    };

    public static string KindOf(IFindingTransition t) => t switch
    {
        FindingRaised => TransitionKind.Raised,
        FindingUpdated => TransitionKind.Updated,
        FindingConfirmed => TransitionKind.Confirmed,
        FindingDismissed => TransitionKind.Dismissed,
        FindingResolved => TransitionKind.Resolved,
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };
}
