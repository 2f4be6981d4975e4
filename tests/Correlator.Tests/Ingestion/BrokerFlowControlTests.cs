using System.Text;
using Confluent.Kafka;
using Correlator.Backtest;
using Correlator.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Correlator.Tests.Ingestion;

[Collection(IntegrationCollection.Name)]
public class BrokerFlowControlTests
{
    /// <summary>About 12 MB on one partition: more than twice what the embedded broker keeps (~5 MB a partition).</summary>
    private const int Crashes = 4_000;

    [Fact]
    public async Task A_backtest_larger_than_the_embedded_broker_keeps_ingests_every_message()
    {
        var scope = (await TestServices.Instance).NewScope(partitions: 1);
        var scenario = await WriteScenarioAsync();
        try
        {
            var report = await BacktestRun.RunAsync(scenario.Path, scope.Configuration(), NullLogger.Instance);

            Assert.Equal(Crashes, report.Messages);
            Assert.Equal(Crashes, report.Accepted);
            Assert.Equal(0, report.Duplicates + report.Rejected);
            // The broker did drop its oldest segments (read ones): the scenario really was bigger than it keeps.
            if ((await TestServices.Instance).Kafka is not null)
            {
                using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = scope.BootstrapServers, GroupId = "watermarks" }).Build();
                var marks = consumer.QueryWatermarkOffsets(new TopicPartition(scope.Topics.Crashes, 0), TimeSpan.FromSeconds(10));
                Assert.Equal(Crashes, marks.High.Value);
                Assert.True(marks.Low.Value > 0, $"the broker kept all {Crashes} messages ({scenario.Bytes / 1024} KiB): the test no longer exceeds what it keeps");
            }
        }
        finally
        {
            File.Delete(scenario.Path);
        }
    }

    private static async Task<(string Path, long Bytes)> WriteScenarioAsync()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"flow-control-{Guid.NewGuid():N}.ndjson");
        var modules = string.Join(",", Enumerable.Range(0, 60).Select(m => $$"""{"name":"module-{{m:000}}.sys","version":"10.0.{{m}}.1"}"""));
        var start = DateTimeOffset.Parse("2024-07-19T04:00:00Z");
        long bytes = 0;
        await using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            for (var i = 0; i < Crashes; i++)
            {
                var host = $"HOST-{i % 500:00000}";
                var at = start.AddSeconds(i).ToString("yyyy-MM-ddTHH:mm:ssZ");
                var value = $$"""{"id":"crash-{{i}}","hostId":"{{host}}","occurredAt":"{{at}}","platform":"windows","kind":"kernel","bugcheckCode":"0x50","modules":[{{modules}}]}""";
                bytes += value.Length;
                await writer.WriteLineAsync($$"""{"topic":"crash-dumps","key":"{{host}}","value":{{value}}}""");
            }
        }
        return (path, bytes);
    }
}
