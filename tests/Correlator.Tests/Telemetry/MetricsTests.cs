using Correlator.Backtest;
using Correlator.Correlation;
using Correlator.Tests.Alerts;
using Correlator.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Correlator.Tests.Telemetry;

/// <summary>The Prometheus scrape of a real host, before and after a scenario went through Kafka, the store and the daemon.</summary>
[Collection(IntegrationCollection.Name)]
public class MetricsTests
{
    [Fact]
    public async Task The_scrape_counts_what_a_scenario_ingested_raised_and_delivered()
    {
        var scope = (await TestServices.Instance).NewScope();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await ServiceHost.StartAsync(scope, new Dictionary<string, string?>
        {
            ["Telemetry:LagSampleInterval"] = "00:00:00.200",
            ["Alerts:PublicBaseUrl"] = "https://correlator.test",
            ["Alerts:Delivery:SchedulerPollingInterval"] = "00:00:00.100",
            ["Alerts:Webhooks:0:Name"] = "ce",
            ["Alerts:Webhooks:0:Url"] = receiver.Url("ce"),
            ["Alerts:Webhooks:0:Secret"] = WebhookReceiver.Secret,
        });
        using var http = host.Client(); // no key: the scrape is public
        var before = await PrometheusScrape.GetAsync(http);

        var report = await BacktestRun.RunAsync(host.App, Corpus.Path("tiny-fleet.ndjson"), NullLogger.Instance, TimeSpan.FromMinutes(3), CancellationToken.None);
        var findings = report.Findings.Cast<Finding>().ToList();
        Assert.NotEmpty(findings);
        Assert.True(report.Rejected > 0, "tiny-fleet carries malformed lines");
        foreach (var f in findings) await receiver.WaitAsync("ce", f.FindingId, r => r.Count > 0);

        // The counters moved by exactly what the store holds, on this scope's topics.
        var after = await PrometheusScrape.GetAsync(http);
        double Delta(string metric, params (string, string)[] where) => after.Sum(metric, where) - before.Sum(metric, where);
        double OnInputs(string metric, params (string, string)[] where) =>
            scope.Topics.Inputs.Sum(t => Delta(metric, [.. where, ("topic", t)]));
        Assert.Equal(report.Accepted, OnInputs("correlator_ingest_messages_total", ("outcome", "accepted")));
        Assert.Equal(report.Rejected, OnInputs("correlator_ingest_messages_total", ("outcome", "rejected")));
        Assert.Equal(report.Duplicates, OnInputs("correlator_ingest_messages_total", ("outcome", "duplicate")));
        Assert.Equal(report.Rejected, OnInputs("correlator_ingest_rejections_total"));
        var reasons = after.Named("correlator_ingest_rejections_total").Where(s => scope.Topics.Inputs.Contains(s.Labels["topic"])).Select(s => s.Labels["reason"]).ToHashSet();
        Assert.NotEmpty(reasons);
        Assert.Subset(typeof(Correlator.Ingestion.RejectionCodes).GetFields().Select(f => (string)f.GetValue(null)!).ToHashSet(), reasons);
        Assert.Equal(findings.Count, Delta("correlator_findings_transitions_total", ("kind", TransitionKind.Raised)));
        Assert.True(after.Sum("correlator_ingest_batch_duration_seconds_count") > before.Sum("correlator_ingest_batch_duration_seconds_count"));

        // Gauges settle at zero once everything is consumed and projected; webhooks count what the receiver got.
        var settled = await EventuallyAsync(http, s =>
            s.Named("correlator_consumer_lag").Any(x => scope.Topics.Inputs.Contains(x.Labels["topic"]))
            && s.Named("correlator_consumer_lag").Where(x => scope.Topics.Inputs.Contains(x.Labels["topic"])).All(x => x.Value == 0)
            && s.Named("correlator_projection_lag").Any(x => x.Labels["shard"] == "Findings:All")
            && s.Named("correlator_projection_lag").All(x => x.Value == 0)
            && s.Sum("correlator_webhook_deliveries_total", ("subscriber", "ce"), ("outcome", "delivered")) - before.Sum("correlator_webhook_deliveries_total", ("subscriber", "ce"), ("outcome", "delivered"))
                == findings.Sum(f => receiver.For("ce", f.FindingId).Count));
        Assert.Equal(scope.Partitions * scope.Topics.Inputs.Count, settled.Named("correlator_consumer_lag").Count(x => scope.Topics.Inputs.Contains(x.Labels["topic"])));

        // The libraries' instruments are there too: ASP.NET Core requests and Npgsql's connection metrics.
        Assert.NotEmpty(settled.Named("http_server_request_duration_seconds_count"));
        Assert.Contains(settled.Samples, s => s.Name.StartsWith("db_client_", StringComparison.Ordinal));
    }

    /// <summary>Scrapes until <paramref name="done"/> holds (gauges are sampled, so they trail the store by a moment).</summary>
    private static async Task<PrometheusScrape> EventuallyAsync(HttpClient http, Func<PrometheusScrape, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var scrape = await PrometheusScrape.GetAsync(http);
            if (done(scrape)) return scrape;
            if (DateTime.UtcNow > deadline) Assert.Fail("the scrape did not settle within 30 s:\n" + string.Join('\n', scrape.Text.Split('\n').Where(l => l.StartsWith("correlator_", StringComparison.Ordinal))));
            await Task.Delay(100);
        }
    }
}
