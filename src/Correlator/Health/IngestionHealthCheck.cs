using Correlator.Ingestion;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Correlator.Health;

/// <summary>Unhealthy while the ingestor retries a failure that is not a message's fault (<see cref="IngestionProgress.Fault"/>).</summary>
public sealed class IngestionHealthCheck(IngestionProgress progress) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var data = new Dictionary<string, object> { ["accepted"] = progress.Accepted, ["duplicates"] = progress.Duplicates, ["rejected"] = progress.Rejected };
        if (progress.Watermark is { } w) data["watermark"] = w.ToString("O");
        // Records the broker dropped before they were read are lost, not a reason to stop routing traffic here: reported, still healthy.
        if (progress.DroppedRecords > 0) { data["droppedRecords"] = progress.DroppedRecords; data["lastDrop"] = progress.LastDrop ?? ""; }
        return Task.FromResult(progress.Fault is { } fault
            ? new HealthCheckResult(context.Registration.FailureStatus, fault, data: data)
            : progress.DroppedRecords > 0
                ? HealthCheckResult.Degraded($"the broker dropped {progress.DroppedRecords} records before they were read (newest: {progress.LastDrop}); see /api/health/ingestion", data: data)
                : HealthCheckResult.Healthy("ingesting", data));
    }
}
