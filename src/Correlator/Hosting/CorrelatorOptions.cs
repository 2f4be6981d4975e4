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
