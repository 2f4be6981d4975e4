using Correlator.Api;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Correlator.Alerts;

public static class GetDeadLetters
{
    [WolverineGet("/api/alerts/dead-letters", OperationId = "listWebhookDeadLetters"), Authorize(Policy = ApiPolicies.Read), Tags("Alerts"), EndpointSummary("List webhook deliveries that were given up on")]
    public static Task<IReadOnlyList<WebhookDeliveryFailed>> Get(IQuerySession session, CancellationToken ct) =>
        WebhookDeadLetters.ListAsync(session, ct);
}
