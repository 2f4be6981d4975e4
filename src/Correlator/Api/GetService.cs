using Correlator.Ingestion;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Correlator.Api;

public static class GetService
{
    public static Task<ServiceStatusHistory?> LoadAsync(string service, string region, IQuerySession session, CancellationToken ct) =>
        session.Events.AggregateStreamAsync<ServiceStatusHistory>(StreamKeys.Service(service, region), token: ct);

    public static ProblemDetails Validate(ServiceStatusHistory? history, string service, string region) =>
        history is null ? Problems.NotFound("service", $"{service}@{region}") : Problems.None;

    /// <summary>A service's status history in one region (<c>global</c> when observations name no region).</summary>
    [WolverineGet("/api/services/{service}/{region}", OperationId = "getService"), Authorize(Policy = ApiPolicies.Read), Tags("Services"), EndpointSummary("Get a service region's status history")]
    public static ServiceReport Get(ServiceStatusHistory history) => ServiceReport.From(history);
}
