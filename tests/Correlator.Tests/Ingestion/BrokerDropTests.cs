using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Correlator.Api;
using Correlator.Ingestion;
using Correlator.Tests.Support;

namespace Correlator.Tests.Ingestion;

/// <summary>Issue 23: `serve` used not to notice messages the embedded broker dropped (it keeps about 5 MB a partition).</summary>
[Collection(IntegrationCollection.Name)]
public class BrokerDropTests
{
    private const string Key = "reader-key-for-health";

    [Fact]
    public async Task Messages_the_broker_dropped_before_they_were_read_are_counted_logged_and_reported_by_the_health_route()
    {
        var scope = (await TestServices.Instance).NewScope(partitions: 1);
        var settings = new Dictionary<string, string?>
        {
            ["Api:Keys:0:Name"] = "health", ["Api:Keys:0:Role"] = ApiRoles.Reader, ["Api:Keys:0:Sha256"] = ApiKeyAuthentication.HashOf(Key),
        };
        using var producer = new ProducerBuilder<string?, string>(new ProducerConfig { BootstrapServers = scope.BootstrapServers, LingerMs = 5 }).Build();
        await using (var first = await ServiceHost.StartAsync(scope, settings))
        {
            await producer.ProduceAsync(scope.Topics.Crashes, new Message<string?, string> { Key = "h", Value = Crash(0) });
            await IngestionEndToEndTests.WaitForAsync(first, 1);
            Assert.Equal("healthy", (await HealthAsync(first))["status"]!.GetValue<string>());
        }

        // Nobody reads while ~8 MB arrive: the broker drops the oldest segments, among them offsets the group has not read.
        const int more = 8_000;
        for (var i = 1; i <= more; i++) producer.Produce(scope.Topics.Crashes, new Message<string?, string> { Key = "h", Value = Crash(i) });
        producer.Flush(TimeSpan.FromSeconds(60));

        await using var second = await ServiceHost.StartAsync(scope, settings);
        var progress = second.Get<IngestionProgress>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (progress.Accepted + progress.DroppedRecords < more)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"accepted {progress.Accepted}, dropped {progress.DroppedRecords} of {more}");
            await Task.Delay(50);
        }

        Assert.Equal(more, progress.Accepted + progress.DroppedRecords);
        Assert.InRange(progress.DroppedRecords, 1, more - 1);
        var health = await HealthAsync(second);
        Assert.Equal("degraded", health["status"]!.GetValue<string>());
        Assert.Equal(progress.DroppedRecords, health["droppedRecords"]!.GetValue<long>());
        Assert.Equal($"{scope.Topics.Crashes} [0]: offsets 1–{progress.DroppedRecords}", health["lastDrop"]!.GetValue<string>());

        // The public readiness probe says the same, as a degraded ingestion check with the count.
        using var probe = second.Client();
        using var response = await probe.GetAsync("/health/ready"); // 503 if another check failed: the body says which
        var ready = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var ingestion = ready["checks"]!.AsArray().Single(c => (string?)c!["name"] == "ingestion")!;
        Assert.Equal("Degraded", (string?)ingestion["status"]);
        Assert.Equal(progress.DroppedRecords, ingestion["data"]!["droppedRecords"]!.GetValue<long>());
    }

    private static async Task<JsonObject> HealthAsync(ServiceHost host)
    {
        using var client = host.Client(Key);
        return (await client.GetFromJsonAsync<JsonObject>("/api/health/ingestion"))!;
    }

    private static string Crash(int i) => new JsonObject
    {
        ["id"] = $"c-{i}", ["hostId"] = "h", ["occurredAt"] = "2024-07-19T04:15:00Z", ["platform"] = "windows", ["kind"] = "kernel",
        ["padding"] = new string('p', 1000),
    }.ToJsonString();
}
