using Correlator.Ingestion.Events;
using Marten.Events.Projections;

namespace Correlator.Rollouts;

public partial class FleetHostProjection : MultiStreamProjection<FleetHost, string>
{
    public FleetHostProjection()
    {
        Identity<CrashReported>(e => e.HostId);
    }

    public void Apply(CrashReported e, FleetHost view) => view.Apply(e);
}
