using Correlator.Ingestion;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Correlator.Api;

/// <summary>The ingestor's state in this process: <c>healthy</c>, <c>degraded</c> (the broker dropped messages before they were read) or <c>faulted</c> (a store failure it keeps retrying).</summary>
public sealed record IngestionHealth(string Status, long Accepted, long Duplicates, long Rejected, long IsolatedRecords, long DroppedRecords, string? LastDrop, string? Fault);

public static class GetIngestionHealth
{
    [WolverineGet("/api/health/ingestion", OperationId = "GetIngestionHealth"), Authorize(Policy = ApiPolicies.Read), Tags("Health")]
    public static IngestionHealth Get(IngestionProgress progress) => new(
        progress.State.ToString().ToLowerInvariant(),
        progress.Accepted, progress.Duplicates, progress.Rejected, progress.IsolatedRecords, progress.DroppedRecords, progress.LastDrop, progress.Fault);
}
