using Correlator.Api;
using Correlator.Ingestion;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Correlator.Rollouts;

/// <summary>
/// <c>GET /api/rollouts/{updateId}/gate</c>: may the next wave of this update go? Always 200 with the decision in the
/// body (<c>$.decision</c>: go | hold | stop), the shape Argo Rollouts' web metric provider reads. The update id goes in
/// the path URL-encoded (<c>contoso%2Fcard-reader-driver%2F3.0.1</c>). <c>asOf</c> (RFC 3339) asks what the gate would
/// have said at an earlier knowledge time.
/// </summary>
public static class GetRolloutGate
{
    public static Task<UpdateImpact?> LoadAsync(string updateId, IQuerySession session, CancellationToken ct) =>
        session.LoadAsync<UpdateImpact>(Uri.UnescapeDataString(updateId), ct);

    public static ProblemDetails Validate(UpdateImpact? update, string updateId, string? asOf)
    {
        if (update is null) return Problems.NotFound("update", Uri.UnescapeDataString(updateId));
        return asOf is not null && !Rfc3339.TryParse(asOf, out _) ? Problems.BadRequest([$"asOf '{asOf}' is not an RFC 3339 timestamp with an offset."]) : Problems.None;
    }

    /// <summary>The gate's decision now (or at <c>asOf</c>) with its reasons and evidence, and its decision before each wave.</summary>
    [WolverineGet("/api/rollouts/{updateId}/gate", OperationId = "getRolloutGate"), Authorize(Policy = ApiPolicies.Read), Tags("Rollouts"), EndpointSummary("Ask whether the next wave of an update may go")]
    public static async Task<GateReport> Get(UpdateImpact update, string? asOf, IQuerySession session, GateSettings settings, CancellationToken ct)
    {
        var gate = await RolloutStore.GateAsync(session, update, settings, ct);
        return gate.Report(AsOf(gate, asOf));
    }

    internal static DateTimeOffset AsOf(RolloutGate gate, string? asOf) =>
        asOf is not null && Rfc3339.TryParse(asOf, out var t) ? t : gate.Latest();
}

/// <summary>The body Flagger posts to a webhook (<c>CanaryWebhookPayload</c>): the canary, its phase, the webhook's metadata.</summary>
public sealed record FlaggerWebhook(string? Name, string? Namespace, string? Phase, string? Checksum, Dictionary<string, string>? Metadata);

/// <summary>
/// <c>POST /api/rollouts/{updateId}/gate</c>: the same gate as a Flagger webhook (confirm-rollout, pre-rollout, rollout,
/// confirm-traffic-increase, confirm-promotion). Flagger advances on 200-202 and halts on anything else, so: go → 200,
/// hold → 503 with Retry-After (too little exposure yet; ask again), stop → 412. The body is the gate report either way,
/// which Flagger copies into its events on a halt. Flagger sends no custom headers: put the key in the URL's user info
/// (<c>http://gate:KEY@correlator/…</c>), which Go's HTTP client sends as Basic authentication.
/// </summary>
public static class PostRolloutGate
{
    public static Task<UpdateImpact?> LoadAsync(string updateId, IQuerySession session, CancellationToken ct) => GetRolloutGate.LoadAsync(updateId, session, ct);

    public static ProblemDetails Validate(UpdateImpact? update, string updateId) =>
        update is null ? Problems.NotFound("update", Uri.UnescapeDataString(updateId)) : Problems.None;

    [WolverinePost("/api/rollouts/{updateId}/gate", OperationId = "rolloutGateWebhook"), Authorize(Policy = ApiPolicies.Read), Tags("Rollouts"), EndpointSummary("Ask the rollout gate as a Flagger webhook")]
    [ProducesResponseType<GateReport>(StatusCodes.Status200OK), ProducesResponseType<GateReport>(StatusCodes.Status412PreconditionFailed),
     ProducesResponseType<GateReport>(StatusCodes.Status503ServiceUnavailable)]
    public static async Task<IResult> Post(FlaggerWebhook webhook, UpdateImpact update, IQuerySession session, GateSettings settings, HttpResponse response, CancellationToken ct)
    {
        var gate = await RolloutStore.GateAsync(session, update, settings, ct);
        var report = gate.Report(gate.Latest());
        var code = StatusFor(report.Decision);
        if (code == StatusCodes.Status503ServiceUnavailable) response.Headers.RetryAfter = "60";
        return Results.Json(report, ApiJson.Options, statusCode: code);
    }

    public static int StatusFor(string decision) => decision switch
    {
        GateDecisions.Go => StatusCodes.Status200OK,
        GateDecisions.Stop => StatusCodes.Status412PreconditionFailed,
        _ => StatusCodes.Status503ServiceUnavailable,
    };
}
