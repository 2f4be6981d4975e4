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
}
