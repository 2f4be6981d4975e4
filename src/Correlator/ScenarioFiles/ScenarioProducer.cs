using Confluent.Kafka;
using Correlator.Hosting;

namespace Correlator.Scenarios;

/// <summary>
/// Produces a scenario file to Kafka like real collectors would: key and value as given (rawValue byte for byte),
/// the record timestamp set to the line's arrival time. Topics named in the file are mapped through the configured names.
/// With a <see cref="ConsumerPace"/>, it produces no faster than that consumer group commits.
/// </summary>
public sealed class ScenarioProducer(string bootstrapServers, TopicNames topics, IReadOnlyDictionary<string, string>? client = null, ConsumerPace? pace = null)
{
    /// <summary>To the configured cluster, with its security settings (<see cref="KafkaOptions.Client"/>).</summary>
    public ScenarioProducer(KafkaOptions kafka, ConsumerPace? pace = null) : this(kafka.BootstrapServers ?? "", kafka.Topics, kafka.Client, pace) { }

    /// <summary>How often a producer held back by its pace says so.</summary>
    public static readonly TimeSpan WaitingReport = TimeSpan.FromSeconds(10);

    public sealed record Result(int Messages, IReadOnlyDictionary<TopicPartition, long> EndOffsets, DateTimeOffset? LastTimestamp);

    /// <param name="waiting">Told, every <see cref="WaitingReport"/> the pace holds the producer back, how far ahead it is.</param>
    public async Task<Result> ProduceAsync(string path, IProgress<int>? progress = null, CancellationToken ct = default, Action<string>? waiting = null)
    {
        using var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig(new Dictionary<string, string>(client ?? new Dictionary<string, string>()))
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = 10,
            BatchNumMessages = 10_000,
            MessageMaxBytes = 16 * 1024 * 1024,
        }).Build();
        var ends = new Dictionary<TopicPartition, long>();
        var failures = new List<string>();
        var clock = new ArrivalClock();
        var count = 0;
        await foreach (var line in ScenarioReader.ReadAsync(path, ct))
        {
            var message = new Message<string?, byte[]>
            {
                Key = line.Key,
                Value = line.Bytes(),
                Timestamp = new Timestamp(clock.Advance(line).UtcDateTime, TimestampType.CreateTime),
            };
            if (pace is not null) await WaitForRoomAsync(pace, ConsumerPace.Cost(message), waiting, ct);
            Produce(producer, Map(line.Topic), message, ends, failures, pace);
            if (++count % 10_000 == 0) progress?.Report(count);
        }
        producer.Flush(ct);
        if (failures.Count > 0)
            throw new InvalidOperationException($"{failures.Count} of {count} messages were not delivered; first: {failures[0]}");
        progress?.Report(count);
        return new Result(count, ends, clock.Now);
    }

    private static async Task WaitForRoomAsync(ConsumerPace pace, int cost, Action<string>? waiting, CancellationToken ct)
    {
        if (pace.HasRoom(cost)) return;
        var since = DateTime.UtcNow;
        var reported = since;
        while (true)
        {
            await pace.RefreshAsync(ct);
            if (pace.HasRoom(cost)) return;
            if (waiting is not null && DateTime.UtcNow - reported >= WaitingReport)
            {
                reported = DateTime.UtcNow;
                var (partition, bytes) = pace.FurthestAhead();
                waiting($"waiting {(reported - since).TotalSeconds:0} s for group {pace.Group} to consume: " +
                        $"{bytes / 1024} KiB unread on {partition?.ToString() ?? "a partition"} (at most {pace.Budget / 1024} KiB ahead)");
            }
            await Task.Delay(20, ct);
        }
    }

    private static void Produce(IProducer<string?, byte[]> producer, string topic, Message<string?, byte[]> message,
        Dictionary<TopicPartition, long> ends, List<string> failures, ConsumerPace? pace)
    {
        var cost = ConsumerPace.Cost(message);
        pace?.Sent(cost);
        while (true)
        {
            try
            {
                producer.Produce(topic, message, report =>
                {
                    lock (ends)
                    {
                        if (report.Error.IsError) failures.Add($"{topic}: {report.Error.Reason}");
                        else ends[report.TopicPartition] = Math.Max(ends.GetValueOrDefault(report.TopicPartition), report.Offset.Value + 1);
                    }
                    if (report.Error.IsError) pace?.Failed(cost);
                    else pace?.Delivered(report.TopicPartitionOffset, cost);
                });
                return;
            }
            catch (ProduceException<string?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(100));
            }
        }
    }

    private string Map(string topic) => topic switch
    {
        "crash-dumps" => topics.Crashes,
        "service-status" => topics.Status,
        "update-manifests" => topics.Manifests,
        _ => topic,
    };
}
