namespace Correlator.Rollouts;

/// <summary>
/// The gate's knobs (configuration section <c>Rollouts:Gate</c>). <see cref="Alpha"/> bounds the chance that an update
/// whose exposed hosts fail no more than their unexposed peers is ever stopped by the test, however often it is asked.
/// </summary>
public sealed record GateSettings
{
    public static GateSettings Default { get; } = new();

    /// <summary>False-stop bound of the sequential test, per update: 0.001 (stop at a likelihood ratio of 1000).</summary>
    public double Alpha { get; init; } = 0.001;
    /// <summary>Below this many exposed hosts the gate holds: too little exposure to tell.</summary>
    public int MinExposedHosts { get; init; } = 10;
    /// <summary>Below this much exposed host-time (hours) the gate holds.</summary>
    public double MinExposedHostHours { get; init; } = 10;
    /// <summary>A failure counts only after this many hours without one on the same host: a boot loop or a host
    /// with failing hardware is one failure, not one per crash, on either side of its exposure.</summary>
    public double FreshAfterHours { get; init; } = 24;
    /// <summary>How far before the first exposure unexposed host-time is counted for the baseline rate.</summary>
    public double LookbackHours { get; init; } = 24;

    /// <summary>Whether findings that name the update stop it (off: the rate test alone, to measure it).</summary>
    public bool StopOnFindings { get; init; } = true;

    /// <summary>What the test holds equal between exposed and unexposed hosts: any of <c>platform</c>, <c>fleet</c>, <c>region</c>.</summary>
    public IReadOnlyList<string> Strata { get; init; } = ["platform", "fleet", "region"];

    /// <summary>Whether a recall stops the update.</summary>
    public bool StopOnRecall { get; init; } = true;

    public double StopThreshold => 1 / Alpha;
}
