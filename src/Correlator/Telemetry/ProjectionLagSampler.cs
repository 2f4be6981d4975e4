using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Correlator.Telemetry;

/// <summary>Measures <see cref="ProjectionLag"/> every <see cref="TelemetryOptions.LagSampleInterval"/> for the gauge (gauges are read synchronously).</summary>
public sealed class ProjectionLagSampler(ProjectionLag lag, IOptions<TelemetryOptions> options, ILogger<ProjectionLagSampler> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.Value.LagSampleInterval);
        do
        {
            try { await lag.MeasureAsync(ct); }
            catch (Exception e) when (!ct.IsCancellationRequested) { log.LogDebug("Measuring projection lag: {Error}", e.Message); }
        } while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
    }
}
