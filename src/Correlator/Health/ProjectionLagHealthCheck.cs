using Correlator.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Correlator.Health;

/// <summary>Unhealthy when an async projection or subscription is more than <see cref="HealthOptions.MaxProjectionLag"/> events behind.</summary>
public sealed class ProjectionLagHealthCheck(ProjectionLag lag, IOptions<HealthOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var shards = await lag.MeasureAsync(ct);
        var data = shards.ToDictionary(s => s.Shard, s => (object)s.Behind);
        var max = options.Value.MaxProjectionLag;
        var behind = shards.Where(s => s.Behind > max).Select(s => $"{s.Shard} {s.Behind}").ToList();
        return behind.Count == 0
            ? HealthCheckResult.Healthy($"{shards.Count} shard(s) within {max} events", data)
            : new HealthCheckResult(context.Registration.FailureStatus, $"more than {max} events behind: {string.Join(", ", behind)}", data: data);
    }
}
