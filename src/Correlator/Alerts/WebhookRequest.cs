using System.Text;
using System.Text.Json;

namespace Correlator.Alerts;

/// <summary>What one attempt of a delivery sends: URL, body and headers, by the subscriber's format. Pure.</summary>
public sealed record WebhookRequest(string Url, string ContentType, byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public const string EventIdHeader = "Correlator-Event-Id";
    public const string DeliveryIdHeader = "Correlator-Delivery-Id";
    public const string AttemptHeader = "Correlator-Attempt";

    public static WebhookRequest For(WebhookSubscriber subscriber, WebhookDelivery d, AlertsOptions options, DateTimeOffset now)
    {
        var (url, contentType, body) = subscriber.Format.ToLowerInvariant() switch
        {
            WebhookFormat.CloudEvents => (subscriber.Url, FindingCloudEvent.ContentType,
                FindingCloudEvent.Build(d.EventId, d.Type, d.Time, d.Finding, options.Source).Body),
            WebhookFormat.Slack => (subscriber.Url, "application/json", Json(SlackMessage.For(d, options))),
            WebhookFormat.PagerDuty => (string.IsNullOrEmpty(subscriber.Url) ? PagerDutyEvent.DefaultUrl : subscriber.Url, "application/json",
                Json(PagerDutyEvent.For(d, subscriber.RoutingKey ?? throw new InvalidOperationException($"webhook {d.Subscriber}: pagerduty needs a RoutingKey"), options))),
            _ => throw new InvalidOperationException($"webhook {d.Subscriber}: unknown format '{subscriber.Format}' (cloudevents, slack, pagerduty)"),
        };
        var headers = new List<KeyValuePair<string, string>>
        {
            new(EventIdHeader, d.EventId),
            new(DeliveryIdHeader, d.DeliveryId),
            new(AttemptHeader, d.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (!string.IsNullOrEmpty(subscriber.Secret)) headers.Add(new(WebhookSignature.Header, WebhookSignature.Sign(subscriber.Secret, now, body)));
        return new WebhookRequest(url, contentType, body, headers);
    }

    private static byte[] Json(System.Text.Json.Nodes.JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(FindingPayload.Json));
}
