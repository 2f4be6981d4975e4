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
        return Task.FromResult(progress.Fault is { } fault
            ? new HealthCheckResult(context.Registration.FailureStatus, fault, data: data)
            : HealthCheckResult.Healthy("ingesting", data));
    }
}
