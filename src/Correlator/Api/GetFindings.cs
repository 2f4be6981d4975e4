using Correlator.Findings;
using Correlator.Replay;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Correlator.Api;

public static class GetFindings
{
    public static ProblemDetails Validate(string? status, string? from, string? to, string? vendor, double? minConfidence, string? asOf, int? page, int? pageSize)
    {
        var (_, errors) = FindingsFilter.Parse(status, from, to, vendor, minConfidence, asOf, page, pageSize);
        return errors.Count == 0 ? Problems.None : Problems.BadRequest(errors);
    }

    /// <summary>
    /// Findings, most confident first; at equal confidence (two decimals) the one with more crashes, hosts, then degraded service regions first. <c>status</c>: suspected|confirmed|dismissed|resolved; <c>from</c>/<c>to</c>: detectedAt range;
    /// <c>asOf</c>: what the engine believed at that event time, folded from the stored transitions.
    /// </summary>
    [WolverineGet("/api/findings", OperationId = "listFindings"), Authorize(Policy = ApiPolicies.Read), Tags("Findings"), EndpointSummary("List findings, most confident first")]
    public static Task<Paged<FindingSummary>> Get(string? status, string? from, string? to, string? vendor, double? minConfidence,
        string? asOf, int? page, int? pageSize, IQuerySession session, CancellationToken ct)
    {
        var (filter, _) = FindingsFilter.Parse(status, from, to, vendor, minConfidence, asOf, page, pageSize);
        return QueryAsync(session, filter, ct);
    }

    public static async Task<Paged<FindingSummary>> QueryAsync(IQuerySession session, FindingsFilter filter, CancellationToken ct)
    {
        if (filter.AsOf is { } asOf) return await AsOfAsync(session, filter, asOf, ct);

        IQueryable<FindingView> q = session.Query<FindingView>();
        if (filter.Status is { } s) q = q.Where(v => v.Current.Status == s);
        if (filter.Vendor is { } vendor) q = q.Where(v => v.Current.Vendor.Equals(vendor, StringComparison.OrdinalIgnoreCase));
        if (filter.MinConfidence is { } min) q = q.Where(v => v.Current.Confidence >= min);
        if (filter.From is { } from) q = q.Where(v => v.DetectedAt >= from);
        if (filter.To is { } to) q = q.Where(v => v.DetectedAt <= to);
        // Impact is a sum over each finding's signatures, which SQL cannot order by here; a store holds one finding per
        // incident (hundreds, not millions), so the filtered rows are ordered and paged in memory, like the as-of fold.
        var rows = await q.ToListAsync(ct);
        var ordered = FindingSummary.Sort(rows.Select(v => FindingSummary.From(v.Current, v.DetectedAt, v.UpdatedAt)));
        return new Paged<FindingSummary>(ordered.Skip(filter.Paging.Skip).Take(filter.Paging.PageSize).ToList(),
            ordered.Count, filter.Paging.Page, filter.Paging.PageSize);
    }

    private static async Task<Paged<FindingSummary>> AsOfAsync(IQuerySession session, FindingsFilter filter, DateTimeOffset asOf, CancellationToken ct)
    {
        var believed = (await FindingsAsOf.BeliefsAsync(session, asOf, ct))
            .Select(b => FindingSummary.From(b.Latest.Finding, b.FirstAt, b.Latest.At))
            .Where(filter.Matches);
        var ordered = FindingSummary.Sort(believed);
        return new Paged<FindingSummary>(ordered.Skip(filter.Paging.Skip).Take(filter.Paging.PageSize).ToList(),
            ordered.Count, filter.Paging.Page, filter.Paging.PageSize);
    }
}
