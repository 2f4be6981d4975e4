using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Correlator.Api;

public static class GetSignature
{
    public static async Task<IReadOnlyList<SignatureDay>> LoadAsync(string signature, IQuerySession session, CancellationToken ct)
    {
        var id = Uri.UnescapeDataString(signature);
        return await session.Query<SignatureDay>().Where(d => d.Signature == id).OrderBy(d => d.Day).ToListAsync(ct);
    }

    public static ProblemDetails Validate(IReadOnlyList<SignatureDay> days, string signature) =>
        days.Count == 0 ? Problems.NotFound("signature", Uri.UnescapeDataString(signature)) : Problems.None;

    /// <summary>A crash signature's history (e.g. <c>windows-kernel:0x00000050:csagent.sys</c>): crashes per minute and hour, hosts, regions, first and last seen.</summary>
    [WolverineGet("/api/signatures/{**signature}", OperationId = "getSignature"), Authorize(Policy = ApiPolicies.Read), Tags("Signatures"), EndpointSummary("Get a crash signature's history and hosts")]
    public static SignatureReport Get(IReadOnlyList<SignatureDay> days) => SignatureReport.From(days);
}
