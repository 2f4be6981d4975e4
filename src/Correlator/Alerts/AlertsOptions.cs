namespace Correlator.Alerts;

/// <summary>The <c>Alerts</c> configuration section (docs/alerts.md).</summary>
public sealed class AlertsOptions
{
    public const string Section = "Alerts";

    /// <summary>CloudEvents <c>source</c> of every finding event.</summary>
    public string Source { get; set; } = "urn:correlator";

    /// <summary>Where people open a finding: links are <c>{PublicBaseUrl}/findings/{id}</c>.</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    public List<WebhookSubscriber> Webhooks { get; set; } = [];

    public WebhookDeliveryOptions Delivery { get; set; } = new();

    /// <summary>How long the Kafka producer keeps trying one send of a finding event before it fails back to the outbox, which retries it.</summary>
    public TimeSpan KafkaSendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public string FindingUrl(string findingId) => $"{PublicBaseUrl.TrimEnd('/')}/findings/{Uri.EscapeDataString(findingId)}";
}

public sealed class WebhookSubscriber
{
    /// <summary>Names the subscriber in dead letters and logs; defaults to its position, e.g. <c>webhook-0</c>.</summary>
    public string? Name { get; set; }
    public string Url { get; set; } = "";
    /// <summary><c>cloudevents</c> (default), <c>slack</c> or <c>pagerduty</c>.</summary>
    public string Format { get; set; } = WebhookFormat.CloudEvents;
    /// <summary>CloudEvents types to send (e.g. <c>correlator.finding.raised</c>); empty means all.</summary>
    public List<string> EventTypes { get; set; } = [];
    /// <summary>Raised/updated findings below this confidence are not sent; resolved and dismissed always are, so an incident opened earlier gets closed.</summary>
    public double MinConfidence { get; set; }
    /// <summary>HMAC-SHA256 key for the signature headers (see <see cref="Signature"/>); none when unset.</summary>
    public string? Secret { get; set; }
    /// <summary>
    /// <c>correlator</c> (default): the <c>Correlator-Signature</c> header. <c>standard</c>: Standard Webhooks'
    /// <c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>, with a <c>whsec_</c> base64 secret.
    /// </summary>
    public string Signature { get; set; } = WebhookSignatureScheme.Correlator;
    /// <summary>PagerDuty Events API v2 integration (routing) key.</summary>
    public string? RoutingKey { get; set; }
}

public static class WebhookFormat
{
    public const string CloudEvents = "cloudevents";
    public const string Slack = "slack";
    public const string PagerDuty = "pagerduty";
}

public static class WebhookSignatureScheme
{
    public const string Correlator = "correlator";
    public const string Standard = "standard";
}

public sealed class WebhookDeliveryOptions
{
    /// <summary>Attempts before a delivery becomes a dead letter.</summary>
    public int MaxAttempts { get; set; } = 8;
    /// <summary>Backoff before the second attempt; it doubles per attempt, with jitter, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>A receiver that has not answered within this is treated like a 5xx.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>
    /// Retries are scheduled messages in Wolverine's durable inbox, which it polls for due ones (default every 5 s, so a
    /// retry fires up to that much after its delay). Set this to poll more often; it is Wolverine's
    /// <c>Durability.ScheduledJobPollingTime</c>, shared by all scheduled messages of the service.
    /// </summary>
    public TimeSpan? SchedulerPollingInterval { get; set; }
    /// <summary>The longest <c>Retry-After</c> honoured; a longer one is clamped to this.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(15);
}
