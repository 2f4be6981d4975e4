using System.Text.Json.Nodes;
using Confluent.Kafka;
using Correlator.Backtest;
using Correlator.Embedded;
using Correlator.Ingestion;
using Correlator.Ingestion.Events;
using Correlator.Tests.Support;
using Marten;

namespace Correlator.Tests.Ingestion;

[Collection(IntegrationCollection.Name)]
public class IngestionResilienceTests
{
    private const int Messages = 3000;

    [Fact]
    public async Task Stopping_mid_stream_and_starting_again_loses_and_duplicates_nothing()
    {
        var scope = (await TestServices.Instance).NewScope();
        await ProduceCrashesAsync(scope.BootstrapServers, scope.Topics.Crashes, Messages);
        var small = new Dictionary<string, string?> { ["Ingestion:BatchSize"] = "150" };

        await using (var first = await ServiceHost.StartAsync(scope, small))
        {
            var progress = first.Get<IngestionProgress>();
            await Until(() => progress.Accepted >= 300, "the first host to commit some batches");
            Assert.True(progress.Accepted < Messages, "the first host should stop mid-stream");
        }

        await using var second = await ServiceHost.StartAsync(scope, small);
        await AssertExactlyOnceAsync(second, scope.Topics.Crashes);
    }

    [Fact]
    public async Task A_broker_down_for_a_few_seconds_mid_stream_loses_and_duplicates_nothing()
    {
        using var kafka = EmbeddedKafka.Start(brokers: 3);
        var scope = (await TestServices.Instance).NewScope() with { };
        var settings = new Dictionary<string, string?> { ["Kafka:BootstrapServers"] = kafka.BootstrapServers, ["Ingestion:BatchSize"] = "150" };
        foreach (var t in scope.Topics.All) kafka.CreateTopic(t, 3);
        await ProduceCrashesAsync(kafka.BootstrapServers, scope.Topics.Crashes, Messages);

        await using var host = await ServiceHost.StartAsync(scope, settings);
        var progress = host.Get<IngestionProgress>();
        await Until(() => progress.Accepted >= 150, "ingestion to start");
        kafka.SetBrokerDown(1);
        await Task.Delay(TimeSpan.FromSeconds(3));
        kafka.SetBrokerUp(1);

        await AssertExactlyOnceAsync(host, scope.Topics.Crashes);
    }

    [Fact]
    public async Task A_message_the_store_refuses_is_dead_lettered_and_its_batch_neighbours_are_stored()
    {
        var scope = (await TestServices.Instance).NewScope(partitions: 1);
        using (var producer = new ProducerBuilder<string?, string>(new ProducerConfig { BootstrapServers = scope.BootstrapServers }).Build())
        {
            // Valid per the schema (hostId has no length limit), but its stream key is beyond PostgreSQL's btree index row limit.
            var poison = CrashJson("poison", UnindexableHostId());
            await producer.ProduceAsync(scope.Topics.Crashes, new Message<string?, string> { Key = "a", Value = CrashJson("before", "WIN-1") });
            await producer.ProduceAsync(scope.Topics.Crashes, new Message<string?, string> { Key = "a", Value = poison });
            await producer.ProduceAsync(scope.Topics.Crashes, new Message<string?, string> { Key = "a", Value = CrashJson("after", "WIN-2") });
        }
        await using var host = await ServiceHost.StartAsync(scope);
        await IngestionEndToEndTests.WaitForAsync(host, 3);

        await using var session = host.Store.QuerySession();
        Assert.Equal(["after", "before"], (await session.StoredAsync<CrashReported>()).Select(c => c.Id).Order());
        var refused = Assert.Single(await session.Events.QueryRawEventDataOnly<MessageRejected>().ToListAsync());
        Assert.StartsWith(RejectionCodes.StoreError, refused.Reason);
        Assert.Equal("poison", refused.MessageId);
        Assert.Single(IngestionEndToEndTests.ReadAll(scope, [Correlator.Hosting.TopicNames.DeadLetterTopic(scope.Topics.Crashes)], 1));
    }

    private static async Task AssertExactlyOnceAsync(ServiceHost host, string topic)
    {
        var progress = host.Get<IngestionProgress>();
        await Until(async () => await StoreCounts.AcceptedAsync(host.Store, [topic], default) >= Messages, "all messages to be stored", TimeSpan.FromSeconds(120));
        await Task.Delay(500); // anything extra would be appended by now
        await using var session = host.Store.QuerySession();
        var ids = (await session.StoredAsync<CrashReported>()).Select(c => c.Id).ToList();
        Assert.Equal(Messages, ids.Count);
        Assert.Equal(Messages, ids.Distinct().Count());
        Assert.Equal(0, await session.Events.QueryRawEventDataOnly<MessageRejected>().CountAsync());
        Assert.True(progress.Rejected == 0);
    }

    /// <summary>Random hex (incompressible) far beyond a btree index row (about 2.7 KB): the store refuses it for good.</summary>
    internal static string UnindexableHostId() => "WIN-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8_000));

    private static string CrashJson(string id, string host) => new JsonObject
    {
        ["id"] = id, ["hostId"] = host, ["occurredAt"] = "2024-07-19T04:15:00Z", ["platform"] = "windows", ["kind"] = "kernel",
        ["bugcheckCode"] = "0x50", ["faultingModule"] = new JsonObject { ["name"] = "csagent.sys" },
    }.ToJsonString();

    private static async Task ProduceCrashesAsync(string bootstrap, string topic, int count)
    {
        using var producer = new ProducerBuilder<string?, string>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true, LingerMs = 5 }).Build();
        for (var i = 0; i < count; i++)
            producer.Produce(topic, new Message<string?, string> { Key = $"WIN-{i % 97:00000}", Value = CrashJson($"crash-{i}", $"WIN-{i % 97:00000}") });
        producer.Flush(TimeSpan.FromSeconds(30));
        await Task.CompletedTask;
    }

    private static Task Until(Func<bool> condition, string what) => Until(() => Task.FromResult(condition()), what);

    private static async Task Until(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("timed out waiting for " + what);
            await Task.Delay(20);
        }
    }
}
