using System.Text;
using Confluent.Kafka;
using Correlator.Embedded;
using Correlator.Tests.Support;

namespace Correlator.Tests.Embedded;

[Collection(IntegrationCollection.Name)]
public class EmbeddedKafkaTests
{
    [Fact]
    public async Task A_consumer_group_resumes_from_committed_offsets()
    {
        var scope = (await TestServices.Instance).NewScope(partitions: 3);
        var topic = scope.Topics.Crashes;
        using (var producer = Producer(scope.BootstrapServers))
        {
            for (var i = 0; i < 100; i++)
                await producer.ProduceAsync(topic, new Message<string, string> { Key = $"host-{i % 7}", Value = $"m{i}" });
        }

        var seen = new HashSet<string>();
        using (var first = Consumer(scope))
        {
            first.Subscribe(topic);
            while (seen.Count < 40)
            {
                var r = first.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException("no message within 10 s");
                seen.Add(r.Message.Value);
                first.StoreOffset(r);
            }
            first.Commit();
            first.Close();
        }

        using var second = Consumer(scope);
        second.Subscribe(topic);
        var resumed = new List<string>();
        while (seen.Count + resumed.Count < 100)
        {
            var r = second.Consume(TimeSpan.FromSeconds(30)) ?? throw new TimeoutException($"only {seen.Count + resumed.Count} of 100 arrived");
            resumed.Add(r.Message.Value);
        }
        Assert.Empty(resumed.Intersect(seen));
        Assert.Equal(100, seen.Union(resumed).Count());
        Assert.Null(second.Consume(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task A_producer_sees_a_broker_outage_and_recovers()
    {
        var services = await TestServices.Instance;
        // A private single-broker cluster, so taking it down cannot disturb other tests.
        using var kafka = EmbeddedKafka.Start(brokers: 1);
        kafka.CreateTopic("outage", partitions: 1);
        using var producer = Producer(kafka.BootstrapServers, messageTimeoutMs: 1500);
        await producer.ProduceAsync("outage", new Message<string, string> { Key = "k", Value = "before" });

        kafka.SetBrokerDown(1);
        var e = await Assert.ThrowsAsync<ProduceException<string, string>>(() =>
            producer.ProduceAsync("outage", new Message<string, string> { Key = "k", Value = "during" }));
        Assert.Equal(ErrorCode.Local_MsgTimedOut, e.Error.Code);

        kafka.SetBrokerUp(1);
        var result = await RetryAsync(() => producer.ProduceAsync("outage", new Message<string, string> { Key = "k", Value = "after" }));
        Assert.Equal(PersistenceStatus.Persisted, result.Status);
        Assert.NotNull(services);
    }

    [Fact]
    public async Task Injected_request_errors_are_retried_by_an_idempotent_producer()
    {
        using var kafka = EmbeddedKafka.Start(brokers: 1);
        kafka.CreateTopic("flaky", partitions: 1);
        using var producer = Producer(kafka.BootstrapServers, messageTimeoutMs: 10000);
        await producer.ProduceAsync("flaky", new Message<string, string> { Key = "k", Value = "warm-up" });
        kafka.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut);
        var result = await producer.ProduceAsync("flaky", new Message<string, string> { Key = "k", Value = "survives" });
        Assert.Equal(PersistenceStatus.Persisted, result.Status);
        Assert.Equal(1, result.Offset.Value);
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> action)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { return await action(); }
            catch (ProduceException<string, string>) when (attempt < 10) { }
        }
    }

    private static IProducer<string, string> Producer(string bootstrap, int messageTimeoutMs = 10000) =>
        new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            EnableIdempotence = true,
            MessageTimeoutMs = messageTimeoutMs,
            ReconnectBackoffMs = 50,
            ReconnectBackoffMaxMs = 200,
        }).Build();

    private static IConsumer<string, string> Consumer(TestScope scope) =>
        new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = scope.BootstrapServers,
            GroupId = scope.GroupId,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            SessionTimeoutMs = 6000,
            HeartbeatIntervalMs = 500,
        }).Build();
}
