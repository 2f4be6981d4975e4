namespace Correlator.Health;

/// <summary>Configuration section <c>Health</c>.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>Ready turns unhealthy when an async projection or subscription is more events than this behind the newest.</summary>
    public long MaxProjectionLag { get; set; } = 50_000;
    /// <summary>How long one check (PostgreSQL, the broker) may take before it counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);
}
