using Correlator.Correlation;
using Correlator.Hosting;
using Correlator.Scenarios;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Correlator.Backtest;

/// <summary>
/// Scores every <c>NAME.ndjson</c> + <c>NAME.expected.json</c> of a folder through the real pipeline (Kafka → Marten →
/// projections → findings), one <see cref="BacktestRun"/> each on one set of services: each scenario gets its own store
/// schema, consumer group and topics, so no run reads another's messages. Topics are created on the embedded broker; a
/// configured broker must create them itself (auto-creation or its operators).
/// </summary>
public static class PipelineAccuracy
{
    public static async Task<AccuracyReport> RunDirectoryAsync(string directory, IConfiguration config, ILogger log, CancellationToken ct = default)
    {
        await using var infra = await Infrastructure.StartAsync(config, log, durable: false, ct: ct);
        var partitions = config.GetSection(KafkaOptions.Section).Get<KafkaOptions>()?.Partitions ?? 6;
        var results = new List<ScenarioAccuracy>();
        var n = 0;
        foreach (var path in Directory.GetFiles(directory, "*.ndjson").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            var expectedPath = Path.Combine(directory, name + ".expected.json");
            if (!File.Exists(expectedPath)) continue;
            var expected = ExpectedOutcomeFile.Read(expectedPath);
            var run = $"acc{DateTime.UtcNow:yyyyMMddHHmmss}{++n:000}";
            var topics = new TopicNames { Crashes = $"{run}.crash-dumps", Status = $"{run}.service-status", Manifests = $"{run}.update-manifests", Findings = $"{run}.findings" };
            if (infra.EmbeddedKafka is { } kafka)
                foreach (var topic in topics.All) kafka.CreateTopic(topic, partitions);
            var settings = infra.AsConfiguration().Concat(
            [
                new("Store:Schema", run),
                new("Kafka:GroupId", run),
                new("Kafka:Topics:Crashes", topics.Crashes),
                new("Kafka:Topics:Status", topics.Status),
                new("Kafka:Topics:Manifests", topics.Manifests),
                new("Kafka:Topics:Findings", topics.Findings),
            ]);
            var started = DateTime.UtcNow;
            var report = await BacktestRun.RunAsync(path, settings, log, ct: ct);
            var histories = report.Findings.Cast<Finding>()
                .Select(f => new FindingHistory(f.FindingId, f.UpdateId, [new FindingTransition(TransitionKind.Raised, f.DetectedAt, f)]))
                .ToList();
            results.Add(Accuracy.Score(name, ScenarioFacts.Read(path), expected, histories, DateTime.UtcNow - started));
            log.LogInformation("{Scenario}: {Findings} findings through the pipeline", name, histories.Count);
        }
        return new AccuracyReport(results);
    }
}
