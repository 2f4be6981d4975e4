using Confluent.Kafka;

namespace Correlator.Hosting;

/// <summary>Configuration keys (appsettings, or environment variables such as <c>Kafka__BootstrapServers</c>).</summary>
public sealed class KafkaOptions
{
    public const string Section = "Kafka";

    /// <summary>A real cluster; unset means the embedded broker.</summary>
    public string? BootstrapServers { get; set; }
    public string GroupId { get; set; } = "correlator";
    public TopicNames Topics { get; set; } = new();
    /// <summary>Partitions for topics the embedded broker creates.</summary>
    public int Partitions { get; set; } = 6;
    public int EmbeddedBrokers { get; set; } = 3;

    /// <summary>
    /// librdkafka properties given to every client Correlator makes (the ingestor's consumer and dead-letter producer,
    /// the findings publisher, <c>ingest</c>, the health check): <c>security.protocol</c>, <c>sasl.mechanism</c>,
    /// <c>sasl.username</c>, <c>sasl.password</c>, <c>ssl.ca.location</c>, … under their librdkafka names
    /// (<c>Kafka:Client:security.protocol</c>, or <c>Kafka__Client__security.protocol</c> in the environment).
    /// </summary>
    public Dictionary<string, string> Client { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The bootstrap servers and <see cref="Client"/>: what every consumer, producer and admin client starts from.</summary>
    public ClientConfig ClientConfig() => new(new Dictionary<string, string>(Client, StringComparer.Ordinal)) { BootstrapServers = BootstrapServers };

    /// <summary>Copies <see cref="Client"/> onto a config Wolverine made (it inherits only some SASL settings on its own).</summary>
    public void ApplyTo(ClientConfig config)
    {
        foreach (var (key, value) in Client) config.Set(key, value);
    }
}

public sealed class TopicNames
{
    public string Crashes { get; set; } = "crash-dumps";
    public string Status { get; set; } = "service-status";
    public string Manifests { get; set; } = "update-manifests";
    public string Findings { get; set; } = "correlation-findings";

    public IReadOnlyList<string> Inputs => [Crashes, Status, Manifests];
    public IReadOnlyList<string> All => [Crashes, Status, Manifests, Findings, .. Inputs.Select(DeadLetterTopic)];

    public static string DeadLetterTopic(string topic) => topic + ".dlq";
}

public sealed class StoreOptions
{
    public const string ConnectionStringName = "Marten";
    public string Schema { get; set; } = "correlator";
}
