using Correlator.Backtest;
using Correlator.Ingestion.Events;
using Correlator.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Correlator.Tests.Ingestion;

/// <summary>Issue 23: a record whose Kafka key jsonb cannot hold used to stop the host and crash-loop it.</summary>
[Collection(IntegrationCollection.Name)]
public class PoisonMessageTests
{
    [Fact]
    public async Task A_key_with_NUL_is_rejected_and_stored_with_its_bytes_and_ingestion_goes_on()
    {
        var scope = (await TestServices.Instance).NewScope(partitions: 1);
        var file = Path.Combine(Path.GetTempPath(), $"poison-{Guid.NewGuid():N}.ndjson");
        File.WriteAllLines(file,
        [
            """{"topic":"service-status","key":"a\u0000b","rawValue":"garbage"}""",
            """{"topic":"service-status","key":"a\u0000b","value":{"id":"s-1","service":"dns","status":"degraded","observedAt":"2024-07-19T04:10:00Z"}}""",
        ]);
        try
        {
            await using var app = Correlator.Hosting.CorrelatorHost.Build(scope.Configuration(), logLevel: Microsoft.Extensions.Logging.LogLevel.Warning);
            await app.StartAsync();
            var report = await BacktestRun.RunAsync(app, file, NullLogger.Instance, TimeSpan.FromSeconds(60), default);

            Assert.Equal((2, 1, 1, 0), (report.Messages, report.Accepted, report.Rejected, report.Duplicates));
            Assert.False(app.Lifetime.ApplicationStopping.IsCancellationRequested, "the host must keep running");
            await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
            var refused = Assert.Single(await session.Events.QueryRawEventDataOnly<MessageRejected>().ToListAsync());
            Assert.Equal("a\0b", refused.OriginalKey());
            Assert.Equal("a\uFFFDb", refused.Key);
            Assert.Equal("garbage"u8.ToArray(), Convert.FromBase64String(refused.Value));
            Assert.StartsWith("not-json", refused.Reason);
            await app.StopAsync();
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_re_sent_malformed_message_is_dead_lettered_again_but_recorded_once_and_other_bytes_or_keys_are_new_rejections()
    {
        var scope = (await TestServices.Instance).NewScope(partitions: 1);
        using (var producer = new Confluent.Kafka.ProducerBuilder<string?, string>(new Confluent.Kafka.ProducerConfig { BootstrapServers = scope.BootstrapServers }).Build())
            foreach (var (key, value) in new[] { ("k", "garbage"), ("k", "garbage"), ("k", "garbage"), ("other", "garbage"), ("k", "garbage!") })
                await producer.ProduceAsync(scope.Topics.Status, new Confluent.Kafka.Message<string?, string> { Key = key, Value = value });
        await using var host = await ServiceHost.StartAsync(scope);
        await IngestionEndToEndTests.WaitForAsync(host, 3);

        await using var session = host.Store.QuerySession();
        var recorded = await session.Events.QueryRawEventDataOnly<MessageRejected>().ToListAsync();
        Assert.Equal([0L, 3L, 4L], recorded.Select(r => r.Offset).Order());
        Assert.Equal(5, IngestionEndToEndTests.ReadAll(scope, [Correlator.Hosting.TopicNames.DeadLetterTopic(scope.Topics.Status)], 5).Count);
    }
}
