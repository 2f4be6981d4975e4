using System.Diagnostics;
using System.Diagnostics.Metrics;
using Correlator.Ingestion;

namespace Correlator.Telemetry;

/// <summary>
/// Correlator's own instruments (meter <c>Correlator</c>). Counters are added where the work is durable (after the
/// store transaction committed, after a webhook attempt ended), so a retried batch is not counted twice. Gauges are
/// read from what the ingestor and <see cref="ProjectionLag"/> already keep; they report this node's view.
/// </summary>
public sealed class CorrelatorMetrics
{
    public const string MeterName = "Correlator";
    public static readonly ActivitySource Traces = new(MeterName);

    private readonly Counter<long> _messages;
    private readonly Counter<long> _rejections;
    private readonly Counter<long> _findings;
    private readonly Counter<long> _webhooks;
    private readonly Histogram<double> _batchSeconds;

    public CorrelatorMetrics(IMeterFactory meters, IngestionProgress progress, ProjectionLag projections)
    {
        var meter = meters.Create(MeterName);
        _messages = meter.CreateCounter<long>("correlator.ingest.messages", "{message}",
            "Input messages stored, by topic and outcome (accepted, duplicate, rejected)");
        _rejections = meter.CreateCounter<long>("correlator.ingest.rejections", "{message}",
            "Input messages rejected to the dead-letter topic, by topic and reason code");
        _batchSeconds = meter.CreateHistogram<double>("correlator.ingest.batch.duration", "s",
            "Time to store one ingestion batch (receipts, events, dead letters) in one transaction");
        _findings = meter.CreateCounter<long>("correlator.findings.transitions", "{transition}",
            "Finding transitions appended by the findings subscription, by kind (raised, updated, confirmed, dismissed, resolved)");
        _webhooks = meter.CreateCounter<long>("correlator.webhook.deliveries", "{attempt}",
            "Webhook delivery attempts, by subscriber and outcome (delivered, retried, dead_lettered, interrupted)");
        meter.CreateObservableGauge("correlator.consumer.lag", () => progress.ConsumerLag.Select(p =>
                new Measurement<long>(p.Value, new("topic", p.Key.Topic), new("partition", p.Key.Partition.Value))),
            "{message}", "Messages on the broker not yet committed by this node's consumer, per assigned partition");
        meter.CreateObservableGauge("correlator.projection.lag", () => projections.Latest.Select(s =>
                new Measurement<long>(s.Behind, new KeyValuePair<string, object?>("shard", s.Shard))),
            "{event}", "Events appended but not yet processed by each async projection and subscription (cluster-wide, from the store)");
    }

    public void Stored(string topic, string outcome, int count)
    {
        if (count > 0) _messages.Add(count, new("topic", topic), new("outcome", outcome));
    }

    public void Rejected(string topic, string reason, int count) =>
        _rejections.Add(count, new("topic", topic), new("reason", reason));

    public void BatchStored(TimeSpan elapsed) => _batchSeconds.Record(elapsed.TotalSeconds);

    public void FindingTransition(string kind, int count = 1) => _findings.Add(count, new KeyValuePair<string, object?>("kind", kind));

    public void WebhookAttempt(string subscriber, string outcome) => _webhooks.Add(1, new("subscriber", subscriber), new("outcome", outcome));
}
