using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Correlator.Alerts;
using Correlator.Findings;
using Correlator.Ingestion;
using Json.Schema;
using Newtonsoft.Json.Linq;
using Snapshooter.Xunit;

namespace Correlator.Tests.Alerts;

/// <summary>The bytes each integration receives, from fixed inputs (times and ids are the fixture's, not the clock's).</summary>
public class AlertPayloadTests
{
    private static readonly AlertsOptions Options = new() { PublicBaseUrl = "https://correlator.example.com/" };
    private static readonly DateTimeOffset SentAt = new(2024, 7, 19, 4, 14, 0, TimeSpan.Zero);

    [Fact]
    public void Every_transition_is_a_cloudevent_whose_data_is_valid_against_the_contract_schema()
    {
        var schema = ContractSchemas.Build(ContractSchemas.CorrelationFindings);
        var life = AlertFindings.Life("F-schema");
        var low = new FindingDismissed(AlertFindings.Finding("F-schema-2", 0.04, "dismissed"), AlertFindings.Night, 1);
        foreach (var t in life.Append(low))
        {
            var message = FindingCloudEvent.From(t, Options.Source);
            var decoded = new JsonEventFormatter().DecodeStructuredModeMessage(message.Body, new System.Net.Mime.ContentType("application/cloudevents+json"), null);
            Assert.Equal(CloudEventsSpecVersion.V1_0, decoded.SpecVersion);
            Assert.Equal($"{t.Finding.FindingId}/{t.Transition}", decoded.Id);
            Assert.Equal(new Uri("urn:correlator"), decoded.Source);
            Assert.Equal(t.At, decoded.Time);
            Assert.Equal(t.Finding.FindingId, decoded.Subject);
            Assert.Equal("application/json", decoded.DataContentType);
            Assert.Equal(FindingEventType.Of(t), decoded.Type);

            var data = JsonNode.Parse(((JsonElement)decoded.Data!).GetRawText());
            var result = schema.Evaluate(data, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
            Assert.True(result.IsValid, string.Join("; ", result.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
            Assert.EndsWith("Z", (string?)data!["detectedAt"]);
        }
        Assert.Equal(
            [FindingEventType.Raised, FindingEventType.Updated, FindingEventType.Updated, FindingEventType.Resolved, FindingEventType.Dismissed],
            life.Append(low).Select(FindingEventType.Of));
    }

    [Fact]
    public void Kafka_cloudevent_snapshot() =>
        Snapshot.Match(JToken.Parse(Encoding.UTF8.GetString(FindingCloudEvent.From(AlertFindings.Life("F-snap")[0], Options.Source).Body)));

    [Fact]
    public void Cloudevents_webhook_snapshot() => Snapshot.Match(Request(WebhookFormat.CloudEvents, 2));

    [Fact]
    public void Slack_snapshot() => Snapshot.Match(Request(WebhookFormat.Slack, 0));

    [Fact]
    public void PagerDuty_trigger_snapshot() => Snapshot.Match(Request(WebhookFormat.PagerDuty, 1));

    [Fact]
    public void PagerDuty_resolve_snapshot() => Snapshot.Match(Request(WebhookFormat.PagerDuty, 3));

    [Fact]
    public void Subscribers_get_only_the_types_and_confidence_they_asked_for_but_always_the_close()
    {
        var options = new AlertsOptions
        {
            Webhooks =
            [
                new WebhookSubscriber { Name = "all", Url = "http://x/all" },
                new WebhookSubscriber { Url = "http://x/raised", EventTypes = [FindingEventType.Raised] },
                new WebhookSubscriber { Name = "sure", Url = "http://x/sure", MinConfidence = 0.95 },
            ],
        };
        var sent = AlertFindings.Life("F-filter").Select(t => AlertRelay.Deliveries(t, options).Select(d => d.Subscriber).ToArray()).ToArray();

        Assert.Equal(["all", "webhook-1"], sent[0]);  // raised at 0.93: below "sure"
        Assert.Equal(["all", "sure"], sent[1]);       // updated at 0.97
        Assert.Equal(["all", "sure"], sent[2]);       // confirmed = updated
        Assert.Equal(["all", "sure"], sent[3]);       // resolved: sent whatever the confidence
        Assert.All(AlertRelay.Deliveries(AlertFindings.Life("F-filter")[0], options), d => Assert.Equal("F-filter/0", d.EventId));
    }

    private static JObject Request(string format, int transition)
    {
        var subscriber = new WebhookSubscriber { Name = format, Url = $"https://hooks.example.com/{format}", Format = format, Secret = "whsec_snap", RoutingKey = "R0UT1NGKEY" };
        var t = AlertFindings.Life("F-snap")[transition];
        var delivery = AlertRelay.Deliveries(t, new AlertsOptions { Webhooks = [subscriber] }).Single();
        var request = WebhookRequest.For(subscriber, delivery, Options, SentAt);
        var body = Encoding.UTF8.GetString(request.Body);
        Assert.True(WebhookSignature.Verify("whsec_snap", request.Headers.Single(h => h.Key == WebhookSignature.Header).Value, request.Body, SentAt, TimeSpan.FromMinutes(5)));
        return new JObject
        {
            ["url"] = request.Url,
            ["contentType"] = request.ContentType,
            ["headers"] = new JObject(request.Headers.Select(h => new JProperty(h.Key, h.Value))),
            ["body"] = JToken.Parse(body),
        };
    }
}
