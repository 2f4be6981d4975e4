namespace Correlator.Correlation;

/// <summary>UTC minute and hour buckets of event and knowledge time: the watermark's unit, the charts' bins.</summary>
public static class TimeBuckets
{
    public static DateTimeOffset Minute(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);

    public static DateTimeOffset Hour(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);
}
