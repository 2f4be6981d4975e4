using Correlator.Findings;
using Correlator.Ingestion.Events;
using Marten.Events.Projections;

namespace Correlator.Api;

public partial class UpdateImpactProjection : MultiStreamProjection<UpdateImpact, string>
{
    public UpdateImpactProjection()
    {
        Identity<UpdateReleased>(e => e.UpdateId);
        Identity<UpdateRecalled>(e => e.UpdateId);
        Identity<UpdateInstalled>(e => e.UpdateId);
        Identity<FindingRaised>(e => e.Finding.UpdateId);
        Identity<FindingUpdated>(e => e.Finding.UpdateId);
        Identity<FindingConfirmed>(e => e.Finding.UpdateId);
        Identity<FindingDismissed>(e => e.Finding.UpdateId);
        Identity<FindingResolved>(e => e.Finding.UpdateId);
    }

    public void Apply(UpdateReleased e, UpdateImpact view) => view.Releases.Add(e);

    public void Apply(UpdateRecalled e, UpdateImpact view)
    {
        if (view.RecalledAt is null || e.RecalledAt < view.RecalledAt)
        {
            view.RecalledAt = e.RecalledAt;
            view.RecallReason = e.Reason;
        }
    }

    public void Apply(UpdateInstalled e, UpdateImpact view)
    {
        var i = view.Installations.FindIndex(x => x.HostId == e.HostId);
        if (i < 0) view.Installations.Add(new UpdateInstallation(e.HostId, e.InstalledAt));
        else if (e.InstalledAt < view.Installations[i].InstalledAt) view.Installations[i] = new UpdateInstallation(e.HostId, e.InstalledAt);
    }

    public void Apply(FindingRaised e, UpdateImpact view) => Track(e, view);
    public void Apply(FindingUpdated e, UpdateImpact view) => Track(e, view);
    public void Apply(FindingConfirmed e, UpdateImpact view) => Track(e, view);
    public void Apply(FindingDismissed e, UpdateImpact view) => Track(e, view);
    public void Apply(FindingResolved e, UpdateImpact view) => Track(e, view);

    private static void Track(IFindingTransition e, UpdateImpact view)
    {
        var f = e.Finding;
        var i = view.Findings.FindIndex(x => x.FindingId == f.FindingId);
        var detected = i < 0 ? e.At : view.Findings[i].DetectedAt;
        var entry = new UpdateFinding(f.FindingId, f.Status, f.Confidence, detected, e.At, f.Explanation);
        if (i < 0) view.Findings.Add(entry); else view.Findings[i] = entry;
    }
}
