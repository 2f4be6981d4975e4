using Correlator.Ingestion;
using Correlator.Ingestion.Events;

namespace Correlator.Correlation;

/// <summary>
/// An input with its idempotency key, knowledge time (when Correlator could know it) and event time.
/// <see cref="Rank"/> orders facts known at the same moment: manifests, then failures, then feedback, then watermarks.
/// </summary>
internal sealed record Fact(string Id, DateTimeOffset Known, int Rank, DateTimeOffset EventTime, object Payload)
{
    public static Fact? From(object o) => o switch
    {
        IInputEvent i => new(i.Id, Or(i.KnownAt, i.EventTime), InputEvents.Of(i.GetType()).Rank, i.EventTime, i),
        FindingFeedback f => new(f.Id, Or(f.ObservedAt, f.At), 2, f.At, f),
        IngestWatermarkAdvanced w => new(WatermarkId(w), w.At.ToUniversalTime(), 3, w.At, w),
        _ => null,
    };

    /// <summary>Watermarks carry no id; two for the same minute say the same thing.</summary>
    private static string WatermarkId(IngestWatermarkAdvanced w) => $"watermark/{w.At.UtcTicks}";

    private static DateTimeOffset Or(DateTimeOffset known, DateTimeOffset eventTime) =>
        (known == default ? eventTime : known).ToUniversalTime();

    public static int Compare(Fact a, Fact b)
    {
        var c = a.Known.CompareTo(b.Known);
        if (c != 0) return c;
        c = a.Rank.CompareTo(b.Rank);
        if (c != 0) return c;
        c = a.EventTime.CompareTo(b.EventTime);
        return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
    }
}
