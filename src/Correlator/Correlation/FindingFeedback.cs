namespace Correlator.Correlation;

/// <summary>
/// An SRE's verdict on a finding. <see cref="Action"/> is one of <see cref="FeedbackAction"/>.
/// <see cref="At"/> is when it was given; <see cref="ObservedAt"/> (knowledge time) defaults to it.
/// </summary>
public sealed record FindingFeedback(string Id, string FindingId, string Action, string? Note, DateTimeOffset At)
{
    public DateTimeOffset ObservedAt { get; init; }
}

public static class FeedbackAction
{
    public const string Confirm = "confirm";
    public const string Dismiss = "dismiss";
    public const string Resolve = "resolve";
}
