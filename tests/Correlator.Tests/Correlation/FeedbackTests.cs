using Correlator.Correlation;

namespace Correlator.Tests.Correlation;

public class FeedbackTests
{
    private const string Cs291 = "crowdstrike/falcon-content/C-00000291-00000000-00000032";

    [Fact]
    public void Dismissed_finding_stays_dismissed_and_is_not_raised_again_for_the_same_signatures()
    {
        var w = HardCaseTests.JulyNight(withStorageManifest: false);
        var id = CorrelationEngine.Run(w.Facts).Single(f => f.UpdateId == Cs291).FindingId;
        var at = World.Night.AddHours(4).AddMinutes(30);
        w.Facts.Add(new FindingFeedback("fb-1", id, FeedbackAction.Dismiss, "known test content, ignore", at) { ObservedAt = at });
        var findings = CorrelationEngine.Run(w.Facts).Where(f => f.UpdateId == Cs291).ToList();
        var f = Assert.Single(findings);
        Assert.Equal(FindingStatus.Dismissed, f.Current.Status);
        Assert.Equal(TransitionKind.Dismissed, f.Transitions[^1].Kind);
        Assert.Contains("known test content", f.Current.Explanation);
        Assert.Equal("Dismissed by SRE feedback: known test content, ignore", f.Transitions[^1].Reason);
    }

    [Fact]
    public void Resolving_by_feedback_says_so_with_the_note_and_without_one()
    {
        var w = HardCaseTests.JulyNight(withStorageManifest: false);
        var id = CorrelationEngine.Run(w.Facts).Single(f => f.UpdateId == Cs291).FindingId;
        var at = World.Night.AddHours(4).AddMinutes(40);
        w.Facts.Add(new FindingFeedback("fb-3", id, FeedbackAction.Resolve, "  rolled back by hand  ", at) { ObservedAt = at });
        var resolved = CorrelationEngine.Run(w.Facts).Single(x => x.UpdateId == Cs291).Transitions.Single(t => t.Kind == TransitionKind.Resolved);
        Assert.Equal("Resolved by SRE feedback: rolled back by hand", resolved.Reason);
        Assert.Equal("Confirmed by SRE feedback (no note).", FindingReasons.Feedback(FeedbackAction.Confirm, null));
    }

    [Fact]
    public void Confirmed_finding_stays_confirmed_until_resolved()
    {
        var w = HardCaseTests.JulyNight(withStorageManifest: false);
        var id = CorrelationEngine.Run(w.Facts).Single(f => f.UpdateId == Cs291).FindingId;
        var at = World.Night.AddHours(4).AddMinutes(20);
        w.Facts.Add(new FindingFeedback("fb-2", id, FeedbackAction.Confirm, null, at) { ObservedAt = at });
        var f = CorrelationEngine.Run(w.Facts).Single(x => x.UpdateId == Cs291);
        Assert.Contains(f.Transitions, t => t.Kind == TransitionKind.Confirmed && t.Finding.Status == FindingStatus.Confirmed);
        var afterConfirm = f.Transitions.SkipWhile(t => t.Kind != TransitionKind.Confirmed).ToList();
        Assert.All(afterConfirm.Take(afterConfirm.Count - 1), t => Assert.Equal(FindingStatus.Confirmed, t.Finding.Status));
        Assert.Equal(FindingStatus.Resolved, f.Current.Status);
    }
}
