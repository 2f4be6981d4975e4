using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Correlator.Backtest;
using Correlator.Ingestion;
using Correlator.Ingestion.Events;
using Correlator.Tests.Support;
using Marten;

namespace Correlator.Tests.Ingestion;

[Collection(IntegrationCollection.Name)]
public class IngestionEndToEndTests
{
    private static string Crash(string id, string host = "WIN-00042", string at = "2024-07-19T04:15:00Z") =>
        new JsonObject
        {
            ["id"] = id, ["hostId"] = host, ["occurredAt"] = at, ["platform"] = "windows", ["kind"] = "kernel",
            ["bugcheckCode"] = "0x50", ["faultingModule"] = new JsonObject { ["name"] = "csagent.sys" },
        }.ToJsonString();

    [Fact]
    public async Task Good_duplicate_and_every_kind_of_bad_message_give_exact_counts_in_the_store_and_the_dlq()
    {
        var scope = (await TestServices.Instance).NewScope();
        await using var host = await ServiceHost.StartAsync(scope, new Dictionary<string, string?> { ["Ingestion:MaxMessageBytes"] = "4096" });
        var t = scope.Topics;
        var messages = new List<(string Topic, string? Key, string Value, string? Code)>
        {
            (t.Crashes, "WIN-00042", Crash("c-1"), null),
            (t.Crashes, "WIN-00043", Crash("c-2", "WIN-00043"), null),
            (t.Crashes, "WIN-00042", Crash("c-1"), "duplicate"),
            (t.Crashes, "WIN-00042", Crash("c-1"), "duplicate"),
            (t.Status, "checkout-api", """{"id":"s-1","service":"checkout-api","status":"degraded","observedAt":"2024-07-19T04:20:00+02:00","region":"centralus"}""", null),
            (t.Manifests, "u-1", """{"id":"r-1","type":"release","updateId":"u-1","vendor":"CrowdStrike","product":"Falcon","version":"291","releasedAt":"2024-07-19T04:09:00Z"}""", null),
            (t.Manifests, "u-1", """{"id":"i-1","type":"installation","updateId":"u-1","hostId":"WIN-00042","installedAt":"2024-07-19T04:10:00Z"}""", null),
            (t.Manifests, "u-1", """{"id":"x-1","type":"recall","updateId":"u-1","recalledAt":"2024-07-19T05:27:00Z","reason":"bad content"}""", null),
            (t.Crashes, "k", "this is not json", RejectionCodes.NotJson),
            (t.Crashes, "k", "[1,2,3]", RejectionCodes.NotObject),
            (t.Crashes, "k", Crash("big") + new string(' ', 5000), RejectionCodes.TooLarge),
            (t.Crashes, "k", """{"id":"c-bad","hostId":"WIN-1","platform":"windows","kind":"kernel"}""", RejectionCodes.Schema),
            (t.Crashes, "k", Crash("c-ts", at: "2024-07-19 04:15:00"), RejectionCodes.BadTimestamp),
            (t.Manifests, "u-1", """{"id":"m-bad","type":"rollback","updateId":"u-1"}""", RejectionCodes.UnknownType),
        };
        using (var producer = new ProducerBuilder<string?, string>(new ProducerConfig { BootstrapServers = scope.BootstrapServers }).Build())
            foreach (var m in messages)
                await producer.ProduceAsync(m.Topic, new Message<string?, string> { Key = m.Key, Value = m.Value });

        await WaitForAsync(host, messages.Count);

        Assert.Equal(6, await StoreCounts.AcceptedAsync(host.Store, t.Inputs, default));
        await using var session = host.Store.QuerySession();
        var rejected = await session.Events.QueryRawEventDataOnly<MessageRejected>().ToListAsync();
        var expectedCodes = messages.Where(m => m.Code is not null and not "duplicate").Select(m => m.Code!).Order().ToList();
        Assert.Equal(expectedCodes, rejected.Select(r => r.Reason.Split(':')[0]).Order().ToList());
        Assert.Equal(2, (await session.Events.FetchStreamAsync(StreamKeys.Host("WIN-00042"))).Count); // crash + installation
        Assert.Single(await session.StoredAsync<ServiceStatusObserved>());
        Assert.Equal(2, host.Get<IngestionProgress>().Duplicates);

        var dlq = ReadAll(scope, [IngestionTopicsDlq(t.Crashes), IngestionTopicsDlq(t.Manifests)], expectedCodes.Count);
        Assert.Equal(expectedCodes.Count, dlq.Count);
        var notJson = dlq.Single(d => d.Message.Value.SequenceEqual(Encoding.UTF8.GetBytes("this is not json")));
        Assert.Equal(t.Crashes, Header(notJson, DeadLetters.SourceTopicHeader));
        Assert.Equal(RejectionCodes.NotJson, Header(notJson, DeadLetters.CodeHeader));
        Assert.NotNull(Header(notJson, DeadLetters.SourceOffsetHeader));
        Assert.NotNull(Header(notJson, DeadLetters.RejectedAtHeader));
        Assert.Contains("not valid UTF-8 JSON", Header(notJson, DeadLetters.ReasonHeader));
    }

    [Fact]
    public async Task Late_out_of_order_and_future_dated_messages_are_accepted_and_the_future_one_is_flagged()
    {
        var scope = (await TestServices.Instance).NewScope(partitions: 1);
        var brokerTime = DateTimeOffset.Parse("2024-07-19T05:00:00Z");
        using (var producer = new ProducerBuilder<string?, string>(new ProducerConfig { BootstrapServers = scope.BootstrapServers }).Build())
        {
            foreach (var (id, at) in new[] { ("now", "2024-07-19T05:00:00Z"), ("late", "2024-07-18T23:00:00Z"), ("future", "2024-07-19T06:00:00Z"), ("slightly-ahead", "2024-07-19T05:05:00Z") })
                await producer.ProduceAsync(scope.Topics.Crashes, new Message<string?, string>
                {
                    Key = "WIN-1", Value = Crash(id, "WIN-1", at), Timestamp = new Timestamp(brokerTime.UtcDateTime, TimestampType.CreateTime),
                });
        }
        await using var host = await ServiceHost.StartAsync(scope);
        await WaitForAsync(host, 4);

        await using var session = host.Store.QuerySession();
        var crashes = await session.StoredAsync<CrashReported>();
        Assert.Equal(["future", "late", "now", "slightly-ahead"], crashes.Select(c => c.Id).Order());
        Assert.All(crashes, c => Assert.Equal(brokerTime, c.ObservedAt));
        var flag = Assert.Single(await session.Events.QueryRawEventDataOnly<Correlator.Ingestion.EventTimeSkewFlagged>().ToListAsync());
        Assert.Equal("future", flag.MessageId);
        Assert.Equal(TimeSpan.FromHours(1), flag.Skew);
    }

    private static string IngestionTopicsDlq(string topic) => Correlator.Hosting.TopicNames.DeadLetterTopic(topic);

    private static string? Header(ConsumeResult<string?, byte[]> r, string name) =>
        r.Message.Headers.TryGetLastBytes(name, out var b) ? Encoding.UTF8.GetString(b) : null;

    internal static async Task WaitForAsync(ServiceHost host, int total)
    {
        var progress = host.Get<IngestionProgress>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (progress.Accepted + progress.Duplicates + progress.Rejected < total)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"ingested {progress.Accepted}+{progress.Duplicates}+{progress.Rejected} of {total}");
            await Task.Delay(50);
        }
    }

    internal static List<ConsumeResult<string?, byte[]>> ReadAll(TestScope scope, string[] topics, int expected)
    {
        using var consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = scope.BootstrapServers,
            GroupId = "reader-" + Guid.NewGuid(),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topics);
        var all = new List<ConsumeResult<string?, byte[]>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var r = consumer.Consume(TimeSpan.FromMilliseconds(all.Count >= expected ? 1000 : 5000));
            if (r is null) { if (all.Count >= expected) break; continue; }
            all.Add(r);
        }
        return all;
    }
}
