using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Correlator.Api;

public static class GetSignature
{
    public static Task<SignatureTimeline?> LoadAsync(string signature, IQuerySession session, CancellationToken ct) =>
        session.LoadAsync<SignatureTimeline>(Uri.UnescapeDataString(signature), ct);

    public static ProblemDetails Validate(SignatureTimeline? timeline, string signature) =>
        timeline is null ? Problems.NotFound("signature", Uri.UnescapeDataString(signature)) : Problems.None;

    /// <summary>A crash signature's history (e.g. <c>windows-kernel:0x00000050:csagent.sys</c>): crashes per minute and hour, hosts, regions, first and last seen.</summary>
    [WolverineGet("/api/signatures/{**signature}", OperationId = "GetSignature"), Authorize(Policy = ApiPolicies.Read), Tags("Signatures")]
    public static SignatureReport Get(SignatureTimeline timeline) => SignatureReport.From(timeline);
}
