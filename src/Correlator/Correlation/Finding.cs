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

/// <summary>
/// One change of a finding, at the knowledge time <see cref="At"/>, with the finding as it was then, and why when there
/// is more to say than the kind (<see cref="FindingReasons"/>).
/// </summary>
public sealed record FindingTransition(string Kind, DateTimeOffset At, Finding Finding, string? Reason = null);

/// <summary>A finding's whole life. <see cref="Current"/> is the last snapshot.</summary>
public sealed record FindingHistory(string FindingId, string UpdateId, IReadOnlyList<FindingTransition> Transitions)
{
    public Finding Current => Transitions[^1].Finding;
    public DateTimeOffset DetectedAt => Transitions[0].At;
}

/// <summary>Why a finding changed, in the words its history shows (pure).</summary>
public static class FindingReasons
{
    private static string Utc(DateTimeOffset t, string format) => t.UtcDateTime.ToString(format, System.Globalization.CultureInfo.InvariantCulture) + " UTC";

    /// <summary>The recall fixed it: after <paramref name="recalledAt"/>, the failures it explains stayed at baseline for <paramref name="window"/>.</summary>
    public static string RecallFixedIt(DateTimeOffset recalledAt, DateTimeOffset at, TimeSpan window, bool crashes, bool services)
    {
        var what = (crashes, services) switch
        {
            (true, true) => "its crash signatures were back at their baseline rate and its service regions operational",
            (false, true) => "its service regions were operational",
            _ => "its crash signatures were back at their baseline rate",
        };
        return $"The recall fixed it: recalled {Utc(recalledAt, "yyyy-MM-dd HH:mm")}; in the {(int)window.TotalMinutes} minutes to {Utc(at, "HH:mm")} {what}.";
    }

    /// <summary>An SRE's verdict, with the note they gave.</summary>
    public static string Feedback(string action, string? note)
    {
        var verb = action.ToLowerInvariant() switch
        {
            FeedbackAction.Confirm => "Confirmed",
            FeedbackAction.Dismiss => "Dismissed",
            FeedbackAction.Resolve => "Resolved",
            var a => a,
        };
        return string.IsNullOrWhiteSpace(note) ? $"{verb} by SRE feedback (no note)." : $"{verb} by SRE feedback: {note.Trim()}";
    }
}
