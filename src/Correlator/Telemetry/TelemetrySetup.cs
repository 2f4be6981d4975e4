using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Correlator.Telemetry;

/// <summary>
/// OpenTelemetry traces and metrics: ASP.NET Core, outgoing HTTP (webhooks), Npgsql, Wolverine, Marten, the .NET
/// runtime and Correlator's own <see cref="CorrelatorMetrics"/>. Metrics are scraped at <c>/metrics</c> (Prometheus);
/// both signals go out over OTLP when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or a per-signal endpoint) is
/// set, with the rest of the standard <c>OTEL_*</c> settings (protocol, headers, <c>OTEL_SERVICE_NAME</c>) applying.
/// </summary>
public static class TelemetrySetup
{
    public static IServiceCollection AddCorrelatorTelemetry(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<TelemetryOptions>(config.GetSection(TelemetryOptions.Section));
        services.AddHostedService<ProjectionLagSampler>();
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(config["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "correlator"))
            .WithTracing(t => t
                .AddSource(CorrelatorMetrics.MeterName, "Wolverine", "Marten")
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsProbe(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(m => m
                .AddMeter(CorrelatorMetrics.MeterName, "Wolverine*", "Marten*")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                // Fresh on every scrape: scrapers come every few seconds, and a cached answer would hide the last batch.
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        if (OtlpConfigured(config)) otel.UseOtlpExporter();
        return services;
    }

    public static WebApplication MapCorrelatorTelemetry(this WebApplication app)
    {
        var path = app.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>()?.PrometheusPath ?? new TelemetryOptions().PrometheusPath;
        if (!string.IsNullOrEmpty(path)) app.MapPrometheusScrapingEndpoint(path).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>Without an endpoint the exporter would send to localhost:4317 and log a failure every few seconds.</summary>
    private static bool OtlpConfigured(IConfiguration config) =>
        new[] { "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT" }
            .Any(k => !string.IsNullOrWhiteSpace(config[k]));

    /// <summary>Health probes and scrapes every few seconds would drown the traces that matter.</summary>
    private static bool IsProbe(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");
}
