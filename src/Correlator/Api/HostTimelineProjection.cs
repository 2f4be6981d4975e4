using Correlator.Correlation;
using Correlator.Ingestion.Events;
using Marten.Events.Aggregation;

namespace Correlator.Api;

public partial class HostTimelineProjection : SingleStreamProjection<HostTimeline, string>
{
    public void Apply(CrashReported e, HostTimeline view)
    {
        view.HostId = e.HostId;
        view.Platform = e.Platform;
        view.Region = e.Region ?? view.Region;
        view.Fleet = e.Fleet ?? view.Fleet;
        view.OsVersion = e.OsVersion ?? view.OsVersion;
        view.Crashes.Add(new HostCrash(e.Id, e.OccurredAt, Signature.Of(e), e.Kind, Signature.FaultingModule(e), e.OsVersion, e.Region));
    }

    public void Apply(UpdateInstalled e, HostTimeline view)
    {
        view.HostId = e.HostId;
        view.Installations.Add(new HostInstallation(e.UpdateId, e.InstalledAt));
    }
}
