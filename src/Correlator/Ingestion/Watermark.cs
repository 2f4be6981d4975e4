using Confluent.Kafka;

namespace Correlator.Ingestion;

/// <summary>
/// This consumer's side of the ingestion watermark, Flink-style: per assigned partition, the newest knowledge time
/// read from it (the record timestamp, or the running event time: see <see cref="KnowledgeTimeSource"/>; either is
/// in order within a partition) and whether it is at its end. <see cref="Clocks"/> is what the node stores with each
/// batch; <see cref="Advance(IReadOnlyCollection{PartitionClock}, IReadOnlyDictionary{string, int}?, DateTime)"/>
/// turns the whole group's stored clocks into the watermark (see <see cref="GlobalWatermark"/>). Reported in whole minutes.
/// </summary>
public sealed class Watermark(TimeSpan idleClose, TimeSpan? stale = null)
{
    private readonly Dictionary<TopicPartition, (DateTimeOffset? Newest, bool AtEnd, DateTime? AtEndSince)> _partitions = [];
    private readonly Lock _reporting = new();
    private DateTimeOffset? _reported;

    public TimeSpan IdleClose => idleClose;
    /// <summary>A stored clock not refreshed for this long holds the watermark back: its node may be dead.</summary>
    public TimeSpan Stale { get; } = stale ?? TimeSpan.FromSeconds(15);
    public DateTimeOffset? Reported { get { lock (_reporting) return _reported; } }
    /// <summary>Something changed since the last <see cref="Clocks"/>: worth storing even without records.</summary>
    public bool Changed { get; private set; }

    public void Assigned(IEnumerable<TopicPartition> partitions)
    {
        foreach (var p in partitions) Changed |= _partitions.TryAdd(p, (null, false, null));
    }

    public void Revoked(IEnumerable<TopicPartition> partitions)
    {
        foreach (var p in partitions) Changed |= _partitions.Remove(p);
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
        var newest = _partitions.TryGetValue(p, out var s) ? s.Newest : null;
        if (!s.AtEnd && _partitions.ContainsKey(p)) return;
        _partitions[p] = (newest, false, null);
        Changed = true;
    }

    /// <summary>
    /// The knowledge time of a record read from <paramref name="p"/>, once known (after validation). Does not change
    /// whether the partition is at its end: the end may have been reached since the record was read.
    /// </summary>
    public void Observe(TopicPartition p, DateTimeOffset knownAt)
    {
        // A partition revoked since its record was read stays out: it is another consumer's now.
        if (_partitions.TryGetValue(p, out var s) && (s.Newest is null || s.Newest < knownAt))
        {
            _partitions[p] = (knownAt, s.AtEnd, s.AtEndSince);
            Changed = true;
        }
    }

    public void ReachedEnd(TopicPartition p)
    {
        var s = _partitions.TryGetValue(p, out var v) ? v : (null, false, null);
        if (s.AtEnd) return;
        _partitions[p] = (s.Newest, true, null);
        Changed = true;
    }

    /// <summary>This node's partitions as they stand now (a partition's quiet time starts at the first look after its end).</summary>
    public List<PartitionClock> Clocks(DateTime nowUtc)
    {
        foreach (var (p, s) in _partitions.Where(e => e.Value is { AtEnd: true, AtEndSince: null }).ToList())
            _partitions[p] = (s.Newest, true, nowUtc);
        Changed = false;
        return _partitions.Select(e => new PartitionClock(e.Key.Topic, e.Key.Partition.Value, e.Value.Newest, e.Value.AtEndSince)).ToList();
    }

    /// <summary>The new watermark from this node's partitions alone (one consumer, nothing stored).</summary>
    public DateTimeOffset? Advance(DateTime nowUtc) => Advance(Clocks(nowUtc), null, nowUtc) is { } w ? Confirm(w) : null;

    /// <summary>
    /// The new watermark (floored to the minute) from the whole group's clocks, when it is past the last one this node
    /// reported, else null; <see cref="Confirm"/> it once stored. Thread-safe: called by the store stage while the read stage goes on.
    /// </summary>
    public DateTimeOffset? Advance(IReadOnlyCollection<PartitionClock> group, IReadOnlyDictionary<string, int>? partitions, DateTime nowUtc)
    {
        if (GlobalWatermark.Candidate(group, partitions, nowUtc, idleClose, Stale) is not { } c) return null;
        var minute = Correlation.TimeBuckets.Minute(c);
        lock (_reporting) return _reported is { } r && minute <= r ? null : minute;
    }

    /// <summary>The watermark <paramref name="minute"/> was stored.</summary>
    public DateTimeOffset Confirm(DateTimeOffset minute)
    {
        lock (_reporting) if (_reported is not { } r || r < minute) _reported = minute;
        return minute;
    }
}
