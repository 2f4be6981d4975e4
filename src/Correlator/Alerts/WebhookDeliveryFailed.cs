namespace Correlator.Alerts;

/// <summary>
/// A webhook delivery given up on: a dead letter, in stream <c>webhook-delivery/{DeliveryId}</c>. Holds no URL or
/// secret (a Slack URL is one); <see cref="Subscriber"/> names the configured subscriber.
/// </summary>
public sealed record WebhookDeliveryFailed(
    string DeliveryId,
    string Subscriber,
    string Format,
    string FindingId,
    string EventId,
    string EventType,
    int Attempts,
    int? LastStatus,
    string Reason,
    DateTimeOffset FailedAt)
{
    public static string StreamKey(string deliveryId) => "webhook-delivery/" + deliveryId;
}
