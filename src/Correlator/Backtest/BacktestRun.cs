using Correlator.Correlation;
using Correlator.Findings;
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
        ILogger log, string? expectedPath = null, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var limit = timeout ?? TimeSpan.FromMinutes(10);
        await using var app = CorrelatorHost.Build(settings, logLevel: LogLevel.Warning);
        await app.StartAsync(ct);
        try
        {
            var report = await RunAsync(app, scenarioPath, log, limit, ct);
            if (expectedPath is null) return report;
            var expected = ExpectedOutcomeFile.Read(expectedPath);
            var histories = report.Findings.Cast<Finding>()
                .Select(f => new FindingHistory(f.FindingId, f.UpdateId, [new FindingTransition(TransitionKind.Raised, f.DetectedAt, f)]))
                .ToList();
            var score = Accuracy.Score(Path.GetFileNameWithoutExtension(scenarioPath), ScenarioFacts.Read(scenarioPath), expected, histories);
            return report with { Accuracy = AccuracySummary.From(score) };
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Runs a scenario through an already started host.</summary>
    public static async Task<BacktestReport> RunAsync(WebApplication app, string scenarioPath, ILogger log, TimeSpan limit, CancellationToken ct)
    {
        // A host that stops on its own (a service failed) can never catch up: end the run now, not at the limit.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct, app.Lifetime.ApplicationStopping);
        try
        {
            return await RunUntilCaughtUpAsync(app, scenarioPath, log, limit, stopping.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new InvalidOperationException("the service stopped before the backtest finished (interrupted, or a service failed: see the log above)");
        }
    }

    private static async Task<BacktestReport> RunUntilCaughtUpAsync(WebApplication app, string scenarioPath, ILogger log, TimeSpan limit, CancellationToken ct)
    {
        var kafka = app.Services.GetRequiredService<IOptions<KafkaOptions>>().Value;
        // Paced by our own group's commits: the embedded broker drops what a partition holds beyond ~5 MB, read or not.
        ScenarioProducer.Result produced;
        using (var pace = new ConsumerPace(kafka.BootstrapServers!, kafka.GroupId, kafka.Client))
            produced = await new ScenarioProducer(kafka, pace)
                .ProduceAsync(scenarioPath, ct: ct, waiting: w => log.LogInformation("{Waiting}", w));
        log.LogInformation("Produced {Count} messages", produced.Messages);

        var progress = app.Services.GetRequiredService<IngestionProgress>();
        await progress.WaitForAsync(produced.EndOffsets, limit, ct);
        var handled = progress.Accepted + progress.Duplicates + progress.Rejected;
        if (handled < produced.Messages)
            throw new InvalidOperationException(
                $"the broker delivered {handled} of {produced.Messages} messages to the consumers: it dropped {produced.Messages - handled} before they were read " +
                "(librdkafka's embedded mock broker keeps only about 5 MB per partition; another producer on these topics can push unread messages out)");
        if (produced.LastTimestamp is { } last) await progress.WaitForWatermarkAsync(last, limit, ct);
        var store = app.Services.GetRequiredService<IDocumentStore>();
        // Twice: the findings subscription appends events that the read model then has to catch up with.
        await store.WaitForNonStaleProjectionDataAsync(limit);
        await store.WaitForNonStaleProjectionDataAsync(limit);

        var accepted = await StoreCounts.AcceptedAsync(store, kafka.Topics.Inputs, ct);
        var rejected = await StoreCounts.RejectedAsync(store, ct);
        await using var session = store.QuerySession();
        var findings = (await session.Query<FindingView>().ToListAsync(ct))
            .OrderBy(f => f.DetectedAt).ThenBy(f => f.Id, StringComparer.Ordinal)
            .Select(f => (object)f.Current)
            .ToList();
        return new BacktestReport(produced.Messages, accepted, produced.Messages - accepted - rejected, rejected, findings);
    }
}
