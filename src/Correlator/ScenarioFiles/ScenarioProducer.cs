using Confluent.Kafka;
using Correlator.Hosting;

namespace Correlator.Scenarios;

/// <summary>
/// Produces a scenario file to Kafka like real collectors would: key and value as given (rawValue byte for byte),
/// the record timestamp set to the line's arrival time. Topics named in the file are mapped through the configured names.
/// </summary>
public sealed class ScenarioProducer(string bootstrapServers, TopicNames topics, IReadOnlyDictionary<string, string>? client = null)
{
    /// <summary>To the configured cluster, with its security settings (<see cref="KafkaOptions.Client"/>).</summary>
    public ScenarioProducer(KafkaOptions kafka) : this(kafka.BootstrapServers ?? "", kafka.Topics, kafka.Client) { }

    public sealed record Result(int Messages, IReadOnlyDictionary<TopicPartition, long> EndOffsets, DateTimeOffset? LastTimestamp);

    public async Task<Result> ProduceAsync(string path, IProgress<int>? progress = null, CancellationToken ct = default)
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
            Produce(producer, Map(line.Topic), message, ends, failures);
            if (++count % 10_000 == 0) progress?.Report(count);
        }
        producer.Flush(ct);
        if (failures.Count > 0)
            throw new InvalidOperationException($"{failures.Count} of {count} messages were not delivered; first: {failures[0]}");
        progress?.Report(count);
        return new Result(count, ends, clock.Now);
    }

    private static void Produce(IProducer<string?, byte[]> producer, string topic, Message<string?, byte[]> message,
        Dictionary<TopicPartition, long> ends, List<string> failures)
    {
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
