using Correlator.Api;
using Correlator.Findings;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Correlator.Rollouts;

public static class GetBlastRadius
{
    public static Task<FindingView?> LoadAsync(string id, IQuerySession session, CancellationToken ct) => session.LoadAsync<FindingView>(id, ct);

    public static ProblemDetails Validate(FindingView? finding, string id) => finding is null ? Problems.NotFound("finding", id) : Problems.None;

    /// <summary>
    /// Which attributes (platform, region, fleet, OS build, loaded modules and their versions) set the hosts that failed
    /// with the finding's signatures apart from exposed hosts that did not, with a one-sided Fisher exact test each, and
    /// how many hosts not yet exposed share them.
    /// </summary>
    [WolverineGet("/api/findings/{id}/blast-radius", OperationId = "getFindingBlastRadius"), Authorize(Policy = ApiPolicies.Read), Tags("Findings"), EndpointSummary("Get what sets a finding's failing hosts apart")]
    public static async Task<BlastRadiusReport> Get(FindingView finding, IQuerySession session, GateSettings settings, CancellationToken ct) =>
        await ForAsync(finding, session, settings, ct);

    public static async Task<BlastRadiusReport> ForAsync(FindingView finding, IQuerySession session, GateSettings settings, CancellationToken ct)
    {
        var f = finding.Current;
        var update = await session.LoadAsync<UpdateImpact>(f.UpdateId, ct) ?? new UpdateImpact { Id = f.UpdateId };
        var gate = await RolloutStore.GateAsync(session, update, settings, ct);
        var asOf = gate.Latest();
        return BlastRadius.Of(f.FindingId, f.UpdateId, f.Signatures.Select(s => s.Signature).ToList(), gate.ExposedHosts(asOf),
            gate.Hosts, update.Releases.SelectMany(r => r.Artifacts ?? []).Select(a => a.Name), asOf);
    }
}
