using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Correlator.Scenarios;

/// <summary>
/// Flow control for a producer that must not outrun one consumer group: it keeps the bytes a partition holds
/// beyond the group's committed offset under <see cref="Budget"/>. librdkafka's mock broker keeps only the newest
/// ~5 MB of each partition and silently drops older segments, read or not, so without this a scenario produced
/// faster than it is ingested loses its oldest unread messages. The committed offsets come from the broker
/// (OffsetFetch through the admin client), so this works for a group in another process too.
/// </summary>
public sealed class ConsumerPace : IDisposable
{
    /// <summary>Half of what the mock keeps per partition: room for record overhead and a commit that lags a batch.</summary>
    public const long DefaultBudget = 2 * 1024 * 1024;

    /// <summary>What a record costs the broker beyond its key and value (record and batch headers), estimated high.</summary>
    private const int RecordOverhead = 80;

    private readonly IAdminClient _admin;
    private readonly string _group;
    private readonly Dictionary<TopicPartition, Partition> _partitions = new();
    private readonly object _gate = new();
    private long _inFlight;

    public long Budget { get; }
    public string Group => _group;

    public ConsumerPace(string bootstrapServers, string group, IReadOnlyDictionary<string, string>? client = null, long budget = DefaultBudget)
    {
        if (budget < 64 * 1024) throw new ArgumentOutOfRangeException(nameof(budget), "at least 64 KiB");
        _group = group;
        Budget = budget;
        _admin = new AdminClientBuilder(new AdminClientConfig(new Dictionary<string, string>(client ?? new Dictionary<string, string>())) { BootstrapServers = bootstrapServers }).Build();
    }

    public static int Cost(Message<string?, byte[]> message) =>
        (message.Value?.Length ?? 0) + (message.Key?.Length ?? 0) + RecordOverhead;

    /// <summary>True when a record of <paramref name="cost"/> may be produced now without exceeding the budget.</summary>
    public bool HasRoom(int cost)
    {
        lock (_gate)
        {
            var ahead = _partitions.Count == 0 ? 0 : _partitions.Values.Max(p => p.Unconsumed);
            // Records in flight have no partition yet: count them against every partition. A record larger than the
            // budget still goes once nothing else is outstanding, or it could never be sent.
            return ahead + _inFlight + cost <= Budget || ahead + _inFlight == 0;
        }
    }

    public void Sent(int cost)
    {
        lock (_gate) _inFlight += cost;
    }

    public void Delivered(TopicPartitionOffset at, int cost)
    {
        lock (_gate)
        {
            _inFlight -= cost;
            if (!_partitions.TryGetValue(at.TopicPartition, out var p)) _partitions[at.TopicPartition] = p = new Partition();
            p.Append(at.Offset.Value, cost);
        }
    }

    public void Failed(int cost)
    {
        lock (_gate) _inFlight -= cost;
    }

    /// <summary>Asks the broker where the group stands and releases what it has committed.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        TopicPartition[] behind;
        lock (_gate) behind = _partitions.Where(p => p.Value.Unconsumed > 0).Select(p => p.Key).ToArray();
        if (behind.Length == 0) return;
        List<ListConsumerGroupOffsetsResult> results;
        try
        {
            results = await _admin.ListConsumerGroupOffsetsAsync([new ConsumerGroupTopicPartitions(_group, [.. behind])],
                new ListConsumerGroupOffsetsOptions { RequestTimeout = TimeSpan.FromSeconds(5) }).WaitAsync(ct);
        }
        catch (KafkaException) { return; } // the coordinator is busy (a rebalance) or briefly away: ask again next time
        lock (_gate)
            foreach (var tp in results.SelectMany(r => r.Partitions))
                if (tp.Error.Code == ErrorCode.NoError && tp.Offset.Value >= 0 && _partitions.TryGetValue(tp.TopicPartition, out var p))
                    p.CommittedUpTo(tp.Offset.Value);
    }

    /// <summary>The partition furthest ahead of the group and by how many bytes, for a progress line.</summary>
    public (TopicPartition? Partition, long Bytes) FurthestAhead()
    {
        lock (_gate)
        {
            if (_partitions.Count == 0) return (null, 0);
            var top = _partitions.MaxBy(p => p.Value.Unconsumed);
            return (top.Key, top.Value.Unconsumed);
        }
    }

    public void Dispose() => _admin.Dispose();

    /// <summary>Delivered records not yet committed by the group, as (offset, cost) in offset order.</summary>
    private sealed class Partition
    {
        private readonly Queue<(long Offset, int Cost)> _pending = new();
        public long Unconsumed { get; private set; }

        public void Append(long offset, int cost)
        {
            _pending.Enqueue((offset, cost));
            Unconsumed += cost;
        }

        /// <summary><paramref name="next"/> is the group's committed offset: the next record it will read.</summary>
        public void CommittedUpTo(long next)
        {
            while (_pending.TryPeek(out var r) && r.Offset < next)
            {
                _pending.Dequeue();
                Unconsumed -= r.Cost;
            }
        }
    }
}
