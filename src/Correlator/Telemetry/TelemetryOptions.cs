namespace Correlator.Telemetry;

/// <summary>Configuration section <c>Telemetry</c>. OTLP export itself is configured by the standard <c>OTEL_*</c> settings.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Where Prometheus scrapes; empty turns the endpoint off.</summary>
    public string PrometheusPath { get; set; } = "/metrics";
    public TimeSpan LagSampleInterval { get; set; } = TimeSpan.FromSeconds(5);
}
