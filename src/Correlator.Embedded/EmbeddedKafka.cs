using System.Runtime.InteropServices;
using System.Text;

namespace Correlator.Embedded;

/// <summary>
/// A Kafka-protocol broker cluster inside this process: librdkafka's mock cluster, listening on loopback TCP,
/// so every client speaks the real protocol. It does not implement the Admin API: create topics with
/// <see cref="CreateTopic"/>, never with CreateTopics.
/// </summary>
public sealed class EmbeddedKafka : IDisposable
{
    private const int ProducerType = 0;
    private IntPtr _handle;
    private IntPtr _cluster;

    public string BootstrapServers { get; }
    public int BrokerCount { get; }

    private EmbeddedKafka(IntPtr handle, IntPtr cluster, int brokers)
    {
        _handle = handle;
        _cluster = cluster;
        BrokerCount = brokers;
        BootstrapServers = Marshal.PtrToStringUTF8(NativeRdKafka.rd_kafka_mock_cluster_bootstraps(cluster))
                           ?? throw new InvalidOperationException("the mock cluster reported no bootstrap servers");
    }

    public static EmbeddedKafka Start(int brokers = 3)
    {
        if (brokers < 1) throw new ArgumentOutOfRangeException(nameof(brokers), "at least one broker");
        NativeRdKafka.EnsureLoaded();
        var err = new byte[512];
        var conf = NativeRdKafka.rd_kafka_conf_new();
        // The handle only owns the mock cluster; keep it quiet and off the network.
        Set(conf, "log_level", "3");
        Set(conf, "bootstrap.servers", "");
        var handle = NativeRdKafka.rd_kafka_new(ProducerType, conf, err, (nuint)err.Length);
        if (handle == IntPtr.Zero) throw new InvalidOperationException("rd_kafka_new failed: " + Text(err));
        var cluster = NativeRdKafka.rd_kafka_mock_cluster_new(handle, brokers);
        if (cluster == IntPtr.Zero)
        {
            NativeRdKafka.rd_kafka_destroy(handle);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        }
        return new EmbeddedKafka(handle, cluster, brokers);
    }

    public void CreateTopic(string topic, int partitions = 6, int replicationFactor = -1)
    {
        var rf = replicationFactor < 1 ? Math.Min(3, BrokerCount) : replicationFactor;
        Check(NativeRdKafka.rd_kafka_mock_topic_create(Cluster, topic, partitions, rf), $"create topic {topic}");
    }

    /// <summary>Broker ids are 1..<see cref="BrokerCount"/>.</summary>
    public void SetBrokerDown(int brokerId) => Check(NativeRdKafka.rd_kafka_mock_broker_set_down(Cluster, brokerId), $"broker {brokerId} down");

    public void SetBrokerUp(int brokerId) => Check(NativeRdKafka.rd_kafka_mock_broker_set_up(Cluster, brokerId), $"broker {brokerId} up");

    /// <summary>The next <paramref name="errors"/>.Length requests of <paramref name="apiKey"/> fail with these error codes.</summary>
    public void PushRequestErrors(KafkaApiKey apiKey, params Confluent.Kafka.ErrorCode[] errors) =>
        NativeRdKafka.rd_kafka_mock_push_request_errors_array(Cluster, (short)apiKey, (nuint)errors.Length, errors.Select(e => (int)e).ToArray());

    private IntPtr Cluster => _cluster != IntPtr.Zero ? _cluster : throw new ObjectDisposedException(nameof(EmbeddedKafka));

    public void Dispose()
    {
        if (_cluster != IntPtr.Zero) NativeRdKafka.rd_kafka_mock_cluster_destroy(_cluster);
        if (_handle != IntPtr.Zero) NativeRdKafka.rd_kafka_destroy(_handle);
        _cluster = _handle = IntPtr.Zero;
    }

    private static void Set(IntPtr conf, string name, string value)
    {
        var err = new byte[512];
        if (NativeRdKafka.rd_kafka_conf_set(conf, name, value, err, (nuint)err.Length) != 0)
            throw new InvalidOperationException($"rd_kafka_conf_set {name}: {Text(err)}");
    }

    private static void Check(int err, string what)
    {
        if (err != 0) throw new InvalidOperationException($"{what}: {Marshal.PtrToStringUTF8(NativeRdKafka.rd_kafka_err2str(err))}");
    }

    private static string Text(byte[] err) => Encoding.UTF8.GetString(err).TrimEnd('\0');
}

/// <summary>Kafka protocol API keys used for fault injection.</summary>
public enum KafkaApiKey : short
{
    Produce = 0,
    Fetch = 1,
    ListOffsets = 2,
    Metadata = 3,
    OffsetCommit = 8,
    OffsetFetch = 9,
    FindCoordinator = 10,
    JoinGroup = 11,
    Heartbeat = 12,
    SyncGroup = 14,
    InitProducerId = 22,
}
