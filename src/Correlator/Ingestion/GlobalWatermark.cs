namespace Correlator.Ingestion;

/// <summary>
/// The watermark of the whole consumer group, from every partition's stored clock, whichever node reads it: the minimum
/// over busy partitions of the newest knowledge time stored from each. A partition at its end does not hold it back;
/// one with no clock yet (of the <c>partitions</c> each topic has), whose clock no live node has refreshed for <c>stale</c>,
/// or (given the broker's <c>logEnds</c>) whose end has been written past since its clock was stored, does. When every partition has
/// been at its end for <c>idleClose</c>, it moves one minute past the newest record, closing the last minute.
/// Pure: the same clocks give the same watermark on every node, so findings do not depend on how partitions are spread.
/// </summary>
public static class GlobalWatermark
{
    public static DateTimeOffset? Candidate(IReadOnlyCollection<PartitionClock> clocks, IReadOnlyDictionary<string, int>? partitions,
        DateTime nowUtc, TimeSpan idleClose, TimeSpan stale, IReadOnlyDictionary<(string Topic, int Partition), long>? logEnds = null)
    {
        if (partitions is not null)
        {
            // A topic re-created with fewer partitions leaves rows no node will refresh: only today's partitions count.
            clocks = clocks.Where(c => partitions.TryGetValue(c.Topic, out var n) && c.Partition < n).ToList();
            var known = clocks.Select(c => (c.Topic, c.Partition)).ToHashSet();
            foreach (var (topic, count) in partitions)
                for (var p = 0; p < count; p++)
                    if (!known.Contains((topic, p))) return null; // nobody has reported it yet: it may hold anything
        }
        if (clocks.Count == 0) return null;
        var busy = clocks.Where(c => !AtEnd(c, stale, logEnds)).ToList();
        if (busy.Count > 0) return busy.Any(c => c.Newest is null) ? null : busy.Min(c => c.Newest);
        var newest = clocks.Max(c => c.Newest);
        var quietSince = clocks.Max(c => c.AtEndSince!.Value);
        return newest is { } n && nowUtc - quietSince >= idleClose ? n.AddMinutes(1) : newest;
    }

    /// <summary>
    /// At its end as far as anyone can tell: its node said so, recently, and (when the broker's end offsets are known)
    /// nothing has been written to it since: records just produced into it, not yet read or stored, would otherwise
    /// find their minute closed. The clock every other node reads is up to a refresh old; a dead node's, until stale.
    /// </summary>
    public static bool AtEnd(PartitionClock c, TimeSpan stale, IReadOnlyDictionary<(string Topic, int Partition), long>? logEnds) =>
        SaysAtEnd(c, stale) &&
        (logEnds is null || (c.Next is { } next && logEnds.TryGetValue((c.Topic, c.Partition), out var end) && next >= end));

    /// <summary>Its node said it is at its end, recently enough to be alive: the partitions whose end offsets are worth asking the broker for.</summary>
    public static bool SaysAtEnd(PartitionClock c, TimeSpan stale) => c.AtEndSince is not null && c.Age <= stale;
}
