using Marten;
using Wolverine.Http;

namespace Correlator.Alerts;

public static class GetDeadLetters
{
    [WolverineGet("/api/alerts/dead-letters")]
    public static Task<IReadOnlyList<WebhookDeliveryFailed>> Get(IQuerySession session, CancellationToken ct) =>
        WebhookDeadLetters.ListAsync(session, ct);
}
