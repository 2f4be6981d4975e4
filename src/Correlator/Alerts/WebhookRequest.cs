using System.Text;
using System.Text.Json;
using StandardWebhooks;

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
        if (!string.IsNullOrEmpty(subscriber.Secret)) headers.AddRange(SignatureHeaders(subscriber, d, now, body));
        return new WebhookRequest(url, contentType, body, headers);
    }

    private static IEnumerable<KeyValuePair<string, string>> SignatureHeaders(WebhookSubscriber subscriber, WebhookDelivery d, DateTimeOffset now, byte[] body)
    {
        var secret = subscriber.Secret!;
        switch (subscriber.Signature.ToLowerInvariant())
        {
            case WebhookSignatureScheme.Correlator:
                return [new(WebhookSignature.Header, WebhookSignature.Sign(secret, now, body))];
            case WebhookSignatureScheme.Standard:
                // Standard Webhooks (standardwebhooks.com), signed by its .NET package: the id is the delivery's, the same on every attempt.
                StandardWebhook signer;
                try { signer = new StandardWebhook(secret); }
                catch (FormatException) { throw new InvalidOperationException($"webhook {d.Subscriber}: a standard signature needs a base64 Secret (whsec_…)"); }
                var timestamp = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
                return
                [
                    new(StandardHeaders.Id, d.DeliveryId),
                    new(StandardHeaders.Timestamp, timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new(StandardHeaders.Signature, signer.Sign(d.DeliveryId, timestamp, Encoding.UTF8.GetString(body))),
                ];
            default:
                throw new InvalidOperationException($"webhook {d.Subscriber}: unknown Signature '{subscriber.Signature}' (correlator, standard)");
        }
    }

    /// <summary>The header names Standard Webhooks defines.</summary>
    public static class StandardHeaders
    {
        public const string Id = "webhook-id", Timestamp = "webhook-timestamp", Signature = "webhook-signature";
    }

    private static byte[] Json(System.Text.Json.Nodes.JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString(FindingPayload.Json));
}
