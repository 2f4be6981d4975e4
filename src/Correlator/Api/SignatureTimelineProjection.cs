using Correlator.Correlation;
using Correlator.Ingestion.Events;
using Marten.Events.Projections;

namespace Correlator.Api;

public partial class SignatureTimelineProjection : MultiStreamProjection<SignatureTimeline, string>
{
    public SignatureTimelineProjection() => Identity<CrashReported>(e => Signature.Of(e));

    public void Apply(CrashReported e, SignatureTimeline view)
    {
        if (view.Crashes == 0 || e.OccurredAt < view.FirstSeen) view.FirstSeen = e.OccurredAt;
        if (view.Crashes == 0 || e.OccurredAt > view.LastSeen) view.LastSeen = e.OccurredAt;
        view.Crashes++;
        view.Hosts.Add(e.HostId);
        var region = e.Region ?? Signature.Unknown;
        view.Regions[region] = view.Regions.GetValueOrDefault(region) + 1;
        var minute = CrashMinute.Key(e.OccurredAt);
        view.PerMinute[minute] = view.PerMinute.GetValueOrDefault(minute) + 1;
    }
}
