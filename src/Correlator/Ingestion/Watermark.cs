using Confluent.Kafka;

namespace Correlator.Ingestion;

/// <summary>
/// This consumer's side of the ingestion watermark, Flink-style: per assigned partition, the newest knowledge time
/// read from it (the record timestamp, or the running event time: see <see cref="KnowledgeTimeSource"/>; either is
/// in order within a partition) and whether it is at its end. <see cref="Clocks"/> is what the node stores with each
/// batch; <c>Advance(group, partitions, now, logEnds)</c> turns the whole group's stored clocks into the watermark (see <see cref="GlobalWatermark"/>). Reported in whole minutes.
/// </summary>
public sealed class Watermark(TimeSpan idleClose, TimeSpan? stale = null)
{
    private readonly Dictionary<TopicPartition, State> _partitions = [];
    /// <summary><see cref="Next"/>: the offset after the last record read, or the end offset the broker reported.</summary>
    private readonly record struct State(DateTimeOffset? Newest, bool AtEnd, DateTime? AtEndSince, long? Next);
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
        foreach (var p in partitions) Changed |= _partitions.TryAdd(p, default);
    }

    public void Revoked(IEnumerable<TopicPartition> partitions)
    {
        foreach (var p in partitions) Changed |= _partitions.Remove(p);
    }

    /// <summary>A record was read from <paramref name="p"/> at <paramref name="knownAt"/>.</summary>
    public void Read(TopicPartition p, DateTimeOffset knownAt, long? offset = null)
    {
        Touched(p, offset);
        Observe(p, knownAt);
    }

    /// <summary>The record at <paramref name="offset"/> was read from <paramref name="p"/>: it is busy again, its knowledge time is still to come.</summary>
    public void Touched(TopicPartition p, long? offset = null)
    {
        var known = _partitions.TryGetValue(p, out var s);
        var next = offset + 1 ?? s.Next;
        if (known && !s.AtEnd) { if (next != s.Next) _partitions[p] = s with { Next = next }; return; }
        _partitions[p] = new State(s.Newest, false, null, next);
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
            _partitions[p] = s with { Newest = knownAt };
            Changed = true;
        }
    }

    /// <summary>The consumer reached the end of <paramref name="p"/>, at <paramref name="endOffset"/> (the offset the next record will get).</summary>
    public void ReachedEnd(TopicPartition p, long? endOffset = null)
    {
        var s = _partitions.GetValueOrDefault(p);
        var next = endOffset ?? s.Next;
        if (s.AtEnd && next == s.Next) return;
        _partitions[p] = new State(s.Newest, true, s.AtEnd ? s.AtEndSince : null, next);
        Changed = true;
    }

    /// <summary>This node's partitions as they stand now (a partition's quiet time starts at the first look after its end).</summary>
    public List<PartitionClock> Clocks(DateTime nowUtc)
    {
        foreach (var (p, s) in _partitions.Where(e => e.Value is { AtEnd: true, AtEndSince: null }).ToList())
            _partitions[p] = s with { AtEndSince = nowUtc };
        Changed = false;
        return _partitions.Select(e => new PartitionClock(e.Key.Topic, e.Key.Partition.Value, e.Value.Newest, e.Value.AtEndSince, Next: e.Value.Next)).ToList();
    }

    /// <summary>The new watermark from this node's partitions alone (one consumer, nothing stored).</summary>
    public DateTimeOffset? Advance(DateTime nowUtc) => Next(GlobalWatermark.Candidate(Clocks(nowUtc), null, nowUtc, idleClose, Stale)) is { } w ? Confirm(w) : null;

    /// <summary>
    /// The new watermark (floored to the minute) from the whole group's clocks, when it is past the last one this node
    /// reported, else null; <see cref="Confirm"/> it once stored. Thread-safe: called by the store stage while the read stage goes on.
    /// Null without <paramref name="partitions"/> (the broker's partition counts): the stored clocks are only the partitions
    /// some node has reported, and one no node has read yet (its owner still starting, or dead before its first batch)
    /// must hold the watermark back. A node that had just joined, not assigned anything yet, once closed every minute of
    /// a night this way, and the facts of the unread partitions all came late (issue 20, docs/architecture.md).
    /// </summary>
    public DateTimeOffset? Advance(IReadOnlyCollection<PartitionClock> group, IReadOnlyDictionary<string, int>? partitions, DateTime nowUtc,
        IReadOnlyDictionary<(string Topic, int Partition), long>? logEnds = null) =>
        partitions is null ? null : Next(GlobalWatermark.Candidate(group, partitions, nowUtc, idleClose, Stale, logEnds));

    private DateTimeOffset? Next(DateTimeOffset? candidate)
    {
        if (candidate is not { } c) return null;
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
