using Correlator.Ingestion;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Correlator.Api;

/// <summary>
/// The ingestor's state in this process: <c>healthy</c>, <c>degraded</c> (the broker dropped messages before they were
/// read) or <c>faulted</c> (a store failure it keeps retrying). <c>KnowledgeTime</c> is the configured source;
/// <c>HistoricRecords</c> counts messages too old at their record timestamp to be correlated (a replay that needs
/// <c>Ingestion:KnowledgeTime=EventTime</c>), <c>Hint</c> says so.
/// </summary>
public sealed record IngestionHealth(string Status, long Accepted, long Duplicates, long Rejected, long IsolatedRecords, long DroppedRecords,
    string? LastDrop, string? Fault, string KnowledgeTime, long HistoricRecords, string? LastHistoric, string? Hint);

public static class GetIngestionHealth
{
    [WolverineGet("/api/health/ingestion", OperationId = "getIngestionHealth"), Authorize(Policy = ApiPolicies.Read), Tags("Health"), EndpointSummary("Get the ingestion state, lag and hints")]
    public static IngestionHealth Get(IngestionProgress progress) => new(
        progress.State.ToString().ToLowerInvariant(),
        progress.Accepted, progress.Duplicates, progress.Rejected, progress.IsolatedRecords, progress.DroppedRecords, progress.LastDrop, progress.Fault,
        progress.KnowledgeTime.ToString(), progress.HistoricRecords, progress.LastHistoric,
        progress.HistoricRecords > 0
            ? "messages older than Ingestion:HistoricAge at their record timestamp are stored but not correlated; for a historic replay set Ingestion:KnowledgeTime=EventTime"
            : null);
}
