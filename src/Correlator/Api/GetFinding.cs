using Correlator.Findings;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Correlator.Api;

public static class GetFinding
{
    public static Task<FindingView?> LoadAsync(string id, IQuerySession session, CancellationToken ct) => session.LoadAsync<FindingView>(id, ct);

    public static ProblemDetails Validate(FindingView? finding, string id) => finding is null ? Problems.NotFound("finding", id) : Problems.None;

    /// <summary>One finding: its current state with the full evidence, and every transition and feedback it went through.</summary>
    [WolverineGet("/api/findings/{id}", OperationId = "getFinding"), Authorize(Policy = ApiPolicies.Read), Tags("Findings"), EndpointSummary("Get a finding with its evidence and history")]
    public static FindingView Get(FindingView finding) => finding;
}
