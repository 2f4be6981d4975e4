using Correlator.Correlation;
using Marten.Events.Aggregation;

namespace Correlator.Findings;

/// <summary>Folds a finding's stream into <see cref="FindingView"/>. Time comes from the events only.</summary>
public partial class FindingViewProjection : SingleStreamProjection<FindingView, string>
{
    public FindingView Create(FindingRaised e) => Record(new FindingView { Id = e.Finding.FindingId, DetectedAt = e.At }, e);

    public void Apply(FindingUpdated e, FindingView view) => Record(view, e);
    public void Apply(FindingConfirmed e, FindingView view) => Record(view, e);
    public void Apply(FindingDismissed e, FindingView view) => Record(view, e);
    public void Apply(FindingResolved e, FindingView view) => Record(view, e);

    public void Apply(FindingFeedback e, FindingView view) =>
        view.History.Add(new FindingView.HistoryEntry("feedback:" + e.Action, e.At, view.Current?.Confidence ?? 0, view.Current?.Status ?? "", e.Note));

    // Not named Apply: Marten takes any Apply method for a handler, and one taking an interface turns off its
    // event-type filter, so a rebuild would read and deserialize every event in the store.
    private static FindingView Record(FindingView view, IFindingTransition e)
    {
        view.Current = e.Finding;
        view.UpdatedAt = e.At;
        view.History.Add(new FindingView.HistoryEntry(FindingTransitions.KindOf(e), e.At, e.Finding.Confidence, e.Finding.Status, Reason: e.Reason));
        return view;
    }
}
