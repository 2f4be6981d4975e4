using Confluent.Kafka;

namespace Correlator.Ingestion;

/// <summary>
/// The ingestion watermark, Flink-style: the minimum over busy partitions of the newest knowledge time read
/// from each (the record timestamp, or the running event time: see <see cref="KnowledgeTimeSource"/>; either is in
/// order within a partition). A partition at its end does not hold it back;
/// when every partition has been at its end for <see cref="IdleClose"/>, the watermark moves one minute past the
/// newest record, closing the last minute. Reported in whole minutes.
/// </summary>
public sealed class Watermark(TimeSpan idleClose)
{
    private readonly Dictionary<TopicPartition, (DateTimeOffset? Newest, bool AtEnd)> _partitions = [];
    private DateTime? _allIdleSince;

    public TimeSpan IdleClose => idleClose;
    public DateTimeOffset? Reported { get; private set; }

    public void Assigned(IEnumerable<TopicPartition> partitions)
    {
        foreach (var p in partitions) _partitions.TryAdd(p, (null, false));
    }

    public void Revoked(IEnumerable<TopicPartition> partitions)
    {
        foreach (var p in partitions) _partitions.Remove(p);
    }

    /// <summary>A record was read from <paramref name="p"/> at <paramref name="knownAt"/>.</summary>
    public void Read(TopicPartition p, DateTimeOffset knownAt)
    {
        Touched(p);
        Observe(p, knownAt);
    }

    /// <summary>A record was read from <paramref name="p"/>: it is busy again, its knowledge time is still to come.</summary>
    public void Touched(TopicPartition p)
    {
        _partitions[p] = (_partitions.TryGetValue(p, out var s) ? s.Newest : null, false);
        _allIdleSince = null;
    }

    /// <summary>
    /// The knowledge time of a record read from <paramref name="p"/>, once known (after validation). Does not change
    /// whether the partition is at its end: the end may have been reached since the record was read.
    /// </summary>
    public void Observe(TopicPartition p, DateTimeOffset knownAt)
    {
        // A partition revoked since its record was read stays out: it is another consumer's now.
        if (_partitions.TryGetValue(p, out var s) && (s.Newest is null || s.Newest < knownAt)) _partitions[p] = (knownAt, s.AtEnd);
    }

    public void ReachedEnd(TopicPartition p)
    {
        _partitions[p] = (_partitions.TryGetValue(p, out var s) ? s.Newest : null, true);
    }

    /// <summary>The new watermark (floored to the minute) when it advanced past the last reported one, else null.</summary>
    public DateTimeOffset? Advance(DateTime nowUtc)
    {
        if (_partitions.Count == 0) return null;
        DateTimeOffset? candidate;
        var busy = _partitions.Values.Where(s => !s.AtEnd).ToList();
        if (busy.Count > 0)
        {
            _allIdleSince = null;
            candidate = busy.Any(s => s.Newest is null) ? null : busy.Min(s => s.Newest);
        }
        else
        {
            _allIdleSince ??= nowUtc;
            var newest = _partitions.Values.Max(s => s.Newest);
            candidate = newest is { } n && nowUtc - _allIdleSince >= idleClose ? n.AddMinutes(1) : newest;
        }
        if (candidate is not { } c) return null;
        var minute = Correlation.TimeBuckets.Minute(c);
        if (Reported is { } r && minute <= r) return null;
        Reported = minute;
        return minute;
    }
}
