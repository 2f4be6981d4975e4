using Correlator.Correlation;
using Correlator.Ingestion.Events;
using Marten.Events.Projections;

namespace Correlator.Api;

public partial class CrashMinuteProjection : MultiStreamProjection<CrashMinute, string>
{
    public CrashMinuteProjection() => Identity<CrashReported>(e => CrashMinute.Key(e.OccurredAt));

    public void Apply(CrashReported e, CrashMinute view)
    {
        view.Minute = CrashMinute.Floor(e.OccurredAt);
        var signature = Signature.Of(e);
        var region = e.Region ?? Signature.Unknown;
        var count = view.Counts.Find(c => c.Signature == signature && c.Region == region);
        if (count is null) view.Counts.Add(count = new CrashCount { Signature = signature, Region = region });
        count.Crashes++;
    }
}
