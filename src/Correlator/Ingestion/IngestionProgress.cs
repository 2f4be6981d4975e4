using System.Collections.Concurrent;
using Confluent.Kafka;

namespace Correlator.Ingestion;

/// <summary>What the ingestor has durably done in this process: committed offsets and counts. Used to wait for a backlog.</summary>
public sealed class IngestionProgress
{
    private readonly ConcurrentDictionary<TopicPartition, long> _committed = new();
    private long _accepted, _duplicates, _rejected, _batches;
    private readonly SemaphoreSlim _changed = new(0);

    public long Accepted => Interlocked.Read(ref _accepted);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long Rejected => Interlocked.Read(ref _rejected);
    public long Batches => Interlocked.Read(ref _batches);

    public void Record(IngestWriter.Outcome outcome, IReadOnlyDictionary<TopicPartition, Offset> committed)
    {
        Interlocked.Add(ref _accepted, outcome.Accepted);
        Interlocked.Add(ref _duplicates, outcome.Duplicates);
        Interlocked.Add(ref _rejected, outcome.Rejected);
        Interlocked.Increment(ref _batches);
        foreach (var (tp, offset) in committed) _committed.AddOrUpdate(tp, offset.Value, (_, old) => Math.Max(old, offset.Value));
        _changed.Release();
    }

    public long CommittedOffset(TopicPartition tp) => _committed.TryGetValue(tp, out var o) ? o : 0;

    /// <summary>Waits until every partition's committed offset reaches the given end offset (exclusive).</summary>
    public async Task WaitForAsync(IReadOnlyDictionary<TopicPartition, long> endOffsets, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            while (endOffsets.Any(e => CommittedOffset(e.Key) < e.Value))
                await _changed.WaitAsync(TimeSpan.FromMilliseconds(200), cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var behind = endOffsets.Where(e => CommittedOffset(e.Key) < e.Value).Select(e => $"{e.Key}: {CommittedOffset(e.Key)}/{e.Value}");
            throw new TimeoutException($"ingestion did not catch up within {timeout}: {string.Join(", ", behind)}");
        }
    }
}
