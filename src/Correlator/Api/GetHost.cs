using Correlator.Ingestion;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Correlator.Api;

public static class GetHost
{
    public static Task<HostTimeline?> LoadAsync(string hostId, IQuerySession session, CancellationToken ct) =>
        session.Events.AggregateStreamAsync<HostTimeline>(StreamKeys.Host(hostId), token: ct);

    public static ProblemDetails Validate(HostTimeline? host, string hostId) => host is null ? Problems.NotFound("host", hostId) : Problems.None;

    /// <summary>A host's timeline: its crashes (with signatures) and the updates it installed, in event time.</summary>
    [WolverineGet("/api/hosts/{hostId}", OperationId = "getHost"), Authorize(Policy = ApiPolicies.Read), Tags("Hosts"), EndpointSummary("Get a host's timeline")]
    public static HostReport Get(HostTimeline host) => HostReport.From(host);
}
