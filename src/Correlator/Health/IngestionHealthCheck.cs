using Correlator.Ingestion;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Correlator.Health;

/// <summary>Unhealthy while the ingestor retries a failure that is not a message's fault (<see cref="IngestionProgress.Fault"/>); degraded once the broker dropped records unread.</summary>
public sealed class IngestionHealthCheck(IngestionProgress progress) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var data = new Dictionary<string, object> { ["accepted"] = progress.Accepted, ["duplicates"] = progress.Duplicates, ["rejected"] = progress.Rejected };
        if (progress.Watermark is { } w) data["watermark"] = w.ToString("O");
        if (progress.DroppedRecords > 0) { data["droppedRecords"] = progress.DroppedRecords; data["lastDrop"] = progress.LastDrop ?? ""; }
        return Task.FromResult(progress.State switch
        {
            IngestionState.Faulted => new HealthCheckResult(context.Registration.FailureStatus, progress.Fault, data: data),
            // Lost records do not make this node unfit for traffic: degraded (still 200), so an operator sees it.
            IngestionState.Degraded => HealthCheckResult.Degraded(
                $"the broker dropped {progress.DroppedRecords} records before they were read (newest: {progress.LastDrop}); see /api/health/ingestion", data: data),
            _ => HealthCheckResult.Healthy("ingesting", data),
        });
    }
}
