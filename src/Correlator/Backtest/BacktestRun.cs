using Correlator.Hosting;
using Correlator.Ingestion;
using Correlator.Scenarios;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Correlator.Backtest;

/// <summary>
/// A self-contained run of a scenario through the real pipeline: produce the file to Kafka, ingest it with the
/// real consumers into the event store, wait until everything is consumed and every projection caught up, report.
/// </summary>
public static class BacktestRun
{
    public static async Task<BacktestReport> RunAsync(string scenarioPath, IEnumerable<KeyValuePair<string, string?>> settings,
        ILogger log, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var limit = timeout ?? TimeSpan.FromMinutes(10);
        await using var app = CorrelatorHost.Build(settings, logLevel: LogLevel.Warning);
        await app.StartAsync(ct);
        try
        {
            var kafka = app.Services.GetRequiredService<IOptions<KafkaOptions>>().Value;
            var produced = await new ScenarioProducer(kafka.BootstrapServers!, kafka.Topics).ProduceAsync(scenarioPath, ct: ct);
            log.LogInformation("Produced {Count} messages", produced.Messages);

            await app.Services.GetRequiredService<IngestionProgress>().WaitForAsync(produced.EndOffsets, limit, ct);
            var store = app.Services.GetRequiredService<IDocumentStore>();
            await store.WaitForNonStaleProjectionDataAsync(limit);

            var accepted = await StoreCounts.AcceptedAsync(store, kafka.Topics.Inputs, ct);
            var rejected = await StoreCounts.RejectedAsync(store, ct);
            return new BacktestReport(produced.Messages, accepted, produced.Messages - accepted - rejected, rejected, []);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }
}
