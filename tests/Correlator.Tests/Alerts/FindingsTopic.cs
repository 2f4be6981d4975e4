using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace Correlator.Tests.Alerts;

/// <summary>Reads the findings topic from the beginning with a plain Confluent consumer, as a downstream system would.</summary>
public static class FindingsTopic
{
    public sealed record Record(string Key, string? ContentType, JsonElement CloudEvent, int Partition, long Offset)
    {
        public string Id => CloudEvent.GetProperty("id").GetString()!;
        public string Subject => CloudEvent.GetProperty("subject").GetString()!;
        public string Type => CloudEvent.GetProperty("type").GetString()!;
    }

    /// <summary>Consumes until <paramref name="done"/> holds for the records read so far, or throws after the timeout.</summary>
    public static List<Record> ReadUntil(string bootstrap, string topic, Func<List<Record>, bool> done, TimeSpan? timeout = null)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "findings-reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var records = new List<Record>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            while (!done(records))
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"{topic}: condition not met; read {records.Count}: {string.Join(", ", records.Select(r => r.Id))}");
                var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result?.Message is null) continue;
                var contentType = result.Message.Headers?.TryGetLastBytes("content-type", out var ct) == true ? Encoding.UTF8.GetString(ct) : null;
                using var doc = JsonDocument.Parse(result.Message.Value);
                records.Add(new Record(result.Message.Key, contentType, doc.RootElement.Clone(), result.Partition.Value, result.Offset.Value));
            }
        }
        finally { consumer.Close(); }
        return records;
    }
}
