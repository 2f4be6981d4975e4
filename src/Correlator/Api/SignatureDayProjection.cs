using Correlator.Correlation;
using Correlator.Ingestion.Events;
using Marten.Events.Projections;

namespace Correlator.Api;

public partial class SignatureDayProjection : MultiStreamProjection<SignatureDay, string>
{
    public SignatureDayProjection() => Identity<CrashReported>(e => SignatureDay.Key(Signature.Of(e), e.OccurredAt));

    public void Apply(CrashReported e, SignatureDay view)
    {
        if (view.Crashes == 0)
        {
            view.Signature = Signature.Of(e);
            view.Day = SignatureDay.DayOf(e.OccurredAt);
        }
        if (view.Crashes == 0 || e.OccurredAt < view.FirstSeen) view.FirstSeen = e.OccurredAt;
        if (view.Crashes == 0 || e.OccurredAt > view.LastSeen) view.LastSeen = e.OccurredAt;
        view.Crashes++;
        view.Hosts.Add(e.HostId);
        var region = e.Region ?? Signature.Unknown;
        view.Regions[region] = view.Regions.GetValueOrDefault(region) + 1;
        var key = SignatureDay.MinuteKey(e.OccurredAt) + "|" + region;
        view.PerMinuteRegion[key] = view.PerMinuteRegion.GetValueOrDefault(key) + 1;
    }
}
