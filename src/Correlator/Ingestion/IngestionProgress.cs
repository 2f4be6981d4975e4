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

    private long _isolated;
    private volatile string? _fault;

    /// <summary>Records the store refused for good, found by bisecting their batch and dead-lettered.</summary>
    public long IsolatedRecords => Interlocked.Read(ref _isolated);

    /// <summary>Set while the ingestor retries a failure it cannot blame on a message (for a health check); null when healthy.</summary>
    public string? Fault { get => _fault; internal set => _fault = value; }

    internal void Isolated() => Interlocked.Increment(ref _isolated);

    private long _dropped;
    private volatile string? _lastDrop;

    /// <summary>
    /// Records the broker no longer had when the ingestor came to read them (offsets skipped): the embedded broker drops
    /// old segments beyond about 5 MB a partition. Those messages are lost to Correlator; the health route says so.
    /// </summary>
    public long DroppedRecords => Interlocked.Read(ref _dropped);

    /// <summary>The newest gap, e.g. <c>crash-dumps [0]: offsets 1–5123</c>; null when none was seen.</summary>
    public string? LastDrop => _lastDrop;

    /// <summary>
    /// What both health routes report: faulted while a store failure is being retried; degraded once the broker dropped
    /// records before they were read (lost to Correlator, but ingestion goes on); healthy otherwise.
    /// </summary>
    public IngestionState State => Fault is not null ? IngestionState.Faulted : DroppedRecords > 0 ? IngestionState.Degraded : IngestionState.Healthy;

    /// <summary>The knowledge-time source the ingestor of this process stamps with.</summary>
    public KnowledgeTimeSource KnowledgeTime { get; internal set; }

    private long _historic;
    private volatile string? _lastHistoric;

    /// <summary>
    /// Valid messages (redeliveries included) whose event time was older than <see cref="IngestionOptions.HistoricAge"/> at their record
    /// timestamp (record-timestamp knowledge): stored, but outside the engine's lookback, so they give no finding.
    /// </summary>
    public long HistoricRecords => Interlocked.Read(ref _historic);

    /// <summary>The newest such message, e.g. <c>crash-dumps: event time 2024-07-19 04:15Z, 868 days before its record timestamp</c>.</summary>
    public string? LastHistoric => _lastHistoric;

    internal void Historic(long count, string example)
    {
        Interlocked.Add(ref _historic, count);
        _lastHistoric = example;
    }

    internal void Dropped(long count, string where)
    {
        Interlocked.Add(ref _dropped, count);
        _lastDrop = where;
    }
    private volatile IReadOnlyDictionary<TopicPartition, long> _lag = new Dictionary<TopicPartition, long>();

    /// <summary>Per partition this node is assigned: the broker's end offset minus what this consumer committed (or read).</summary>
    public IReadOnlyDictionary<TopicPartition, long> ConsumerLag { get => _lag; internal set => _lag = value; }

    private long _watermarkTicks;
    private long _validateTicks, _storeTicks, _commitTicks, _firstRecordTicks, _lastStoredTicks;

    /// <summary>Where the ingestor's time went, for the benchmark (Stopwatch ticks).</summary>
    public (TimeSpan Validate, TimeSpan Store, TimeSpan Commit) Spent =>
        (TimeSpan.FromTicks(Interlocked.Read(ref _validateTicks) * TimeSpan.TicksPerSecond / System.Diagnostics.Stopwatch.Frequency),
         TimeSpan.FromTicks(Interlocked.Read(ref _storeTicks) * TimeSpan.TicksPerSecond / System.Diagnostics.Stopwatch.Frequency),
         TimeSpan.FromTicks(Interlocked.Read(ref _commitTicks) * TimeSpan.TicksPerSecond / System.Diagnostics.Stopwatch.Frequency));

    /// <summary>From the first record read to the last batch stored (Stopwatch timestamps).</summary>
    public TimeSpan Busy => TimeSpan.FromTicks((Interlocked.Read(ref _lastStoredTicks) - Interlocked.Read(ref _firstRecordTicks)) * TimeSpan.TicksPerSecond / System.Diagnostics.Stopwatch.Frequency);

    internal void FirstRecordRead(long timestamp) => Interlocked.CompareExchange(ref _firstRecordTicks, timestamp, 0);
    internal void Spend(long validate, long store, long commit)
    {
        Interlocked.Add(ref _validateTicks, validate);
        Interlocked.Add(ref _storeTicks, store);
        Interlocked.Add(ref _commitTicks, commit);
        if (store > 0 || commit > 0) Interlocked.Exchange(ref _lastStoredTicks, System.Diagnostics.Stopwatch.GetTimestamp());
    }

    /// <summary>The newest ingestion watermark stored.</summary>
    public DateTimeOffset? Watermark => Interlocked.Read(ref _watermarkTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    public void Record(IngestWriter.Outcome outcome, IReadOnlyDictionary<TopicPartition, Offset> committed, DateTimeOffset? watermark = null)
    {
        if (watermark is { } w) Interlocked.Exchange(ref _watermarkTicks, w.UtcTicks);
        Interlocked.Add(ref _accepted, outcome.Accepted);
        Interlocked.Add(ref _duplicates, outcome.Duplicates);
        Interlocked.Add(ref _rejected, outcome.Rejected);
        Interlocked.Increment(ref _batches);
        foreach (var (tp, offset) in committed) _committed.AddOrUpdate(tp, offset.Value, (_, old) => Math.Max(old, offset.Value));
        _changed.Release();
    }

    public long CommittedOffset(TopicPartition tp) => _committed.TryGetValue(tp, out var o) ? o : 0;

    /// <summary>Waits until the stored watermark is past <paramref name="time"/>: everything known by then is final.</summary>
    public async Task WaitForWatermarkAsync(DateTimeOffset time, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Watermark is not { } w || w <= time)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the ingestion watermark ({Watermark:O}) did not pass {time:O} within {timeout}");
            await _changed.WaitAsync(TimeSpan.FromMilliseconds(200), ct);
        }
    }

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

public enum IngestionState { Healthy, Degraded, Faulted }
