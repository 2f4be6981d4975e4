using Confluent.Kafka;

namespace Correlator.Ingestion;

/// <summary>
/// The ingestion watermark, Flink-style: the minimum over busy partitions of the newest broker timestamp read
/// from each (records within a partition arrive in timestamp order). A partition at its end does not hold it back;
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

    public void Read(TopicPartition p, DateTimeOffset timestamp)
    {
        var newest = _partitions.TryGetValue(p, out var s) && s.Newest > timestamp ? s.Newest : timestamp;
        _partitions[p] = (newest, false);
        _allIdleSince = null;
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
