using Correlator.Correlation;
using Correlator.Ingestion.Events;
using Marten.Events.Projections;

namespace Correlator.Api;

public partial class CrashHourProjection : MultiStreamProjection<CrashHour, string>
{
    public CrashHourProjection() => Identity<CrashReported>(e => CrashHour.Key(e.OccurredAt));

    public void Apply(CrashReported e, CrashHour view)
    {
        view.Hour = CrashHour.Floor(e.OccurredAt);
        var minute = CrashHour.FloorMinute(e.OccurredAt);
        var signature = Signature.Of(e);
        var region = e.Region ?? Signature.Unknown;
        var key = $"{CrashHour.MinuteKey(e.OccurredAt)}|{signature}|{region}";
        if (!view.Counts.TryGetValue(key, out var count))
            view.Counts[key] = count = new CrashCount { Minute = minute, Signature = signature, Region = region };
        count.Crashes++;
    }
}
