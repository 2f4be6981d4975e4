using Correlator.Correlation;
using Correlator.Ingestion;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Correlator.Api;

public sealed record FeedbackRequest(string? Note);

public sealed record FeedbackAccepted(string FeedbackId, string FindingId, string Action, DateTimeOffset At, string Finding);

/// <summary>
/// An SRE's verdict, appended as a <see cref="FindingFeedback"/> event to the finding's stream. The answer is 202 Accepted:
/// the engine reacts asynchronously (a confirmed/dismissed/resolved transition); follow the <c>Location</c> header.
/// </summary>
public static class PostFindingFeedback
{
    public static Task<StreamState?> LoadAsync(string id, IQuerySession session, CancellationToken ct) =>
        id.StartsWith("F-", StringComparison.Ordinal) ? session.Events.FetchStreamStateAsync(StreamKeys.Finding(id), ct) : Task.FromResult<StreamState?>(null);

    public const int MaxNoteLength = 4000;

    public static ProblemDetails Validate(StreamState? stream, string id, FeedbackRequest request)
    {
        // The note is stored as jsonb text: bounded, and free of what jsonb cannot hold (NUL, an unpaired surrogate).
        if (request.Note is { Length: > MaxNoteLength }) return Problems.BadRequest([$"note must be at most {MaxNoteLength} characters (it has {request.Note.Length})."]);
        if (!JsonbText.IsStorable(request.Note)) return Problems.BadRequest(["note must not contain NUL (\\u0000) or an unpaired surrogate."]);
        return stream is null ? Problems.NotFound("finding", id) : Problems.None;
    }

    [WolverinePost("/api/findings/{id}/confirm", OperationId = "confirmFinding"), Authorize(Policy = ApiPolicies.Operate), Tags("Findings"), EndpointSummary("Confirm a finding")]
    public static Task<Accepted<FeedbackAccepted>> Confirm(string id, FeedbackRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        GiveAsync(id, FeedbackAction.Confirm, request, session, clock, ct);

    [WolverinePost("/api/findings/{id}/dismiss", OperationId = "dismissFinding"), Authorize(Policy = ApiPolicies.Operate), Tags("Findings"), EndpointSummary("Dismiss a finding")]
    public static Task<Accepted<FeedbackAccepted>> Dismiss(string id, FeedbackRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        GiveAsync(id, FeedbackAction.Dismiss, request, session, clock, ct);

    [WolverinePost("/api/findings/{id}/resolve", OperationId = "resolveFinding"), Authorize(Policy = ApiPolicies.Operate), Tags("Findings"), EndpointSummary("Mark a finding resolved")]
    public static Task<Accepted<FeedbackAccepted>> Resolve(string id, FeedbackRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        GiveAsync(id, FeedbackAction.Resolve, request, session, clock, ct);

    private static async Task<Accepted<FeedbackAccepted>> GiveAsync(string id, string action, FeedbackRequest request,
        IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var feedback = new FindingFeedback($"fb-{Guid.NewGuid():N}", id, action, request.Note, clock.GetUtcNow());
        session.Events.Append(StreamKeys.Finding(id), feedback);
        await session.SaveChangesAsync(ct);
        var location = $"/api/findings/{id}";
        return TypedResults.Accepted(location, new FeedbackAccepted(feedback.Id, id, action, feedback.At, location));
    }
}
