using Correlator.Correlation;

namespace Correlator.Alerts;

/// <summary>
/// One finding transition to send to one configured webhook subscriber; <see cref="Attempt"/> counts from 1.
/// The subscriber's URL and secrets are read from configuration at send time, never stored with the message.
/// </summary>
public sealed record WebhookDelivery(string Subscriber, string EventId, string Type, DateTimeOffset Time, Finding Finding, int Attempt = 1)
{
    /// <summary>Stable across attempts and restarts: the receiver's idempotency key.</summary>
    public string DeliveryId => $"{Subscriber}/{EventId}";
}
