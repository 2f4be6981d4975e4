using Correlator.Findings;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Correlator.Api;

public static class GetUpdate
{
    // Kestrel leaves %2F encoded in the path, so an encoded id arrives still encoded.
    public static Task<UpdateImpact?> LoadAsync(string updateId, IQuerySession session, CancellationToken ct) =>
        session.LoadAsync<UpdateImpact>(Uri.UnescapeDataString(updateId), ct);

    public static ProblemDetails Validate(UpdateImpact? update, string updateId) =>
        update is null ? Problems.NotFound("update", Uri.UnescapeDataString(updateId)) : Problems.None;

    /// <summary>
    /// An update's impact: the release (amendments merged), recall, hosts that installed it, crashes per minute by signature
    /// and region from an hour before the release to a day after, and the findings that name it. Update ids contain
    /// <c>/</c>: put them in the path as they are (<c>/api/updates/crowdstrike/falcon-content/C-…</c>) or URL-encoded.
    /// </summary>
    [WolverineGet("/api/updates/{**updateId}", OperationId = "getUpdate"), Authorize(Policy = ApiPolicies.Read), Tags("Updates"), EndpointSummary("Get an update's release, exposure and findings")]
    public static async Task<UpdateReport> Get(UpdateImpact update, IQuerySession session, CancellationToken ct)
    {
        var (from, to) = UpdateReport.WindowOf(update);
        var (first, last) = (SignatureDay.DayOf(from), to);
        var days = await session.Query<SignatureDay>().Where(d => d.Day >= first && d.Day < last).ToListAsync(ct);
        var findings = await session.Query<FindingView>().Where(f => f.Current.UpdateId == update.Id).ToListAsync(ct);
        return UpdateReport.From(update, days,
            findings.Select(f => new UpdateFinding(f.Id, f.Current.Status, f.Current.Confidence, f.DetectedAt, f.UpdatedAt, f.Current.Explanation)).ToList());
    }
}
