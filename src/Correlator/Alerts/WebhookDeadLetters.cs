using Marten.Events;
using JasperFx.Events;
using Marten;

namespace Correlator.Alerts;

/// <summary>The dead-lettered webhook deliveries, oldest first: what the API route and the CLI list.</summary>
public static class WebhookDeadLetters
{
    public static async Task<IReadOnlyList<WebhookDeliveryFailed>> ListAsync(IQuerySession session, CancellationToken ct = default)
    {
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.EventTypesAre(typeof(WebhookDeliveryFailed)))
            .OrderBy(e => e.Sequence)
            .ToListAsync(ct);
        return events.Select(e => (WebhookDeliveryFailed)e.Data).ToList();
    }
}
