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
        // A host that reports installing it again keeps its first installation.
        if (!view.Installations.TryGetValue(e.HostId, out var first) || e.InstalledAt < first) view.Installations[e.HostId] = e.InstalledAt;
    }
}
