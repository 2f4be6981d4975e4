using Marten;
using Marten.Linq;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Correlator.Api;

public static class GetRejections
{
    public static ProblemDetails Validate(int? page, int? pageSize)
    {
        var errors = new List<string>();
        Paging.Parse(page, pageSize, errors);
        return errors.Count == 0 ? Problems.None : Problems.BadRequest(errors);
    }

    /// <summary>Messages refused at the edge, newest first: topic, partition, offset, reason, time. Optional <c>topic</c> filter.</summary>
    [WolverineGet("/api/rejections", OperationId = "listRejections"), Authorize(Policy = ApiPolicies.Read), Tags("Rejections"), EndpointSummary("List rejected input messages, newest first")]
    public static async Task<Paged<RejectedMessage>> Get(string? topic, int? page, int? pageSize, IQuerySession session, CancellationToken ct)
    {
        var paging = Paging.Parse(page, pageSize, []);
        IQueryable<RejectedMessage> q = session.Query<RejectedMessage>();
        if (topic is not null) q = q.Where(r => r.Topic == topic);
        var rows = await ((IMartenQueryable<RejectedMessage>)q).Stats(out var stats)
            .OrderByDescending(r => r.ReceivedAt).ThenBy(r => r.Id)
            .Skip(paging.Skip).Take(paging.PageSize)
            .ToListAsync(ct);
        return new Paged<RejectedMessage>(rows, stats.TotalResults, paging.Page, paging.PageSize);
    }
}
