using Correlator.Findings;
using JasperFx.Events;
using Wolverine;

namespace Correlator.Alerts;

/// <summary>
/// What one stored finding transition becomes on the way out: one CloudEvent for the findings topic and one delivery
/// per webhook subscriber that wants it. Runs inside the <c>alerts-relay</c> subscription, whose progress commits
/// with these messages in Wolverine's outbox.
/// </summary>
public static class AlertRelay
{
    public const string SubscriptionName = "alerts-relay";

    public static async ValueTask PublishAsync<T>(IEvent<T> e, IMessageBus bus, AlertsOptions options) where T : IFindingTransition
    {
        var cloudEvent = FindingCloudEvent.From(e.Data, options.Source);
        await bus.PublishAsync(cloudEvent, new DeliveryOptions { PartitionKey = cloudEvent.FindingId });
        foreach (var delivery in Deliveries(e.Data, options)) await bus.PublishAsync(delivery);
    }

    public static IEnumerable<WebhookDelivery> Deliveries(IFindingTransition transition, AlertsOptions options)
    {
        var type = FindingEventType.Of(transition);
        for (var i = 0; i < options.Webhooks.Count; i++)
        {
            var subscriber = options.Webhooks[i];
            if (subscriber.EventTypes.Count > 0 && !subscriber.EventTypes.Contains(type, StringComparer.OrdinalIgnoreCase)) continue;
            if (!FindingEventType.ClosesIncident(type) && transition.Finding.Confidence < subscriber.MinConfidence) continue;
            yield return new WebhookDelivery(SubscriberName(options, i), FindingEventType.IdOf(transition), type, transition.At, transition.Finding);
        }
    }

    public static string SubscriberName(AlertsOptions options, int index) => options.Webhooks[index].Name ?? $"webhook-{index}";

    public static WebhookSubscriber? Find(AlertsOptions options, string name)
    {
        for (var i = 0; i < options.Webhooks.Count; i++)
            if (SubscriberName(options, i) == name) return options.Webhooks[i];
        return null;
    }
}
