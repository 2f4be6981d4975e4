using Correlator.Correlation;

namespace Correlator.Api;

/// <summary>
/// One span in which a service region was degraded (<c>degraded</c>, <c>partial_outage</c> or <c>major_outage</c>), in a
/// window: from its first degraded observation to the next healthy one (<c>maintenance</c> neither extends nor ends
/// it), clipped to the window. <see cref="Status"/> is the worst status in it; <see cref="Ongoing"/>: no healthy
/// observation ended it, so it runs to the window's end.
/// </summary>
public sealed record DegradedSpan(string Service, string Region, string Status, DateTimeOffset From, DateTimeOffset To, bool Ongoing)
{
    /// <summary>The spans of one service region that meet [<paramref name="from"/>, <paramref name="to"/>), oldest first (pure).</summary>
    public static List<DegradedSpan> Of(ServiceStatusHistory history, DateTimeOffset from, DateTimeOffset to)
    {
        var spans = new List<DegradedSpan>();
        DateTimeOffset? onset = null;
        var worst = "operational";
        void Close(DateTimeOffset end, bool ongoing)
        {
            if (onset is { } start && end > from && start < to)
                spans.Add(new DegradedSpan(history.Service, history.Region, worst, start < from ? from : start, end > to ? to : end, ongoing));
            (onset, worst) = (null, "operational");
        }
        foreach (var o in history.Observations.OrderBy(o => o.ObservedAt))
        {
            var status = o.Status.ToLowerInvariant();
            if (status == "maintenance") continue;
            if (ServiceHistory.IsDegraded(status))
            {
                onset ??= o.ObservedAt;
                if (ServiceHistory.Severity(status) > ServiceHistory.Severity(worst)) worst = status;
            }
            else Close(o.ObservedAt, ongoing: false);
        }
        Close(to, ongoing: true);
        return spans;
    }
}
