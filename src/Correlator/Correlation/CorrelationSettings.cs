namespace Correlator.Correlation;

/// <summary>
/// Thresholds and windows of the correlation engine. Every default is explained in
/// <c>docs/correlation.md</c>; the record binds from JSON (web defaults) or configuration as-is.
/// </summary>
public sealed record CorrelationSettings
{
    /// <summary>Posterior probability an update must reach on at least one failure pattern to be raised.</summary>
    public double RaiseThreshold { get; init; } = 0.8;

    /// <summary>Prior probability that one given recent update causes one given new failure pattern.</summary>
    public double PriorProbability { get; init; } = 0.02;

    /// <summary>Prior rate of an unknown cause (a regional outage, a bad batch of hardware, a change nobody announced)
    /// starting one failure pattern in one group of hosts (all, a region, a fleet, a fleet in a region) or service
    /// regions, per group and day. It competes with every update (see docs/correlation.md, "Unknown local cause").</summary>
    public double LocalCausePriorPerGroupDay { get; init; } = 0.005;

    /// <summary>Scale τ of the prior on an update's onset delay d, density ∝ 1/(τ + d) up to the lookback.</summary>
    public TimeSpan OnsetScale { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>A change that takes effect at once (configuration, content) and has been in use this long (a whole day
    /// of use on every unit it reached) fails later only if something else sets it off (docs/correlation.md, "Onset delay").</summary>
    public TimeSpan ExerciseWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The change-point likelihood ratio of an update at its best onset delay must reach this before module
    /// and naming evidence count at all: module evidence alone is never enough.</summary>
    public double MinStatisticalBayesFactor { get; init; } = 20;

    /// <summary>The same gate for service degradations (fewer units: service regions, not hosts).</summary>
    public double MinServiceStatisticalBayesFactor { get; init; } = 3;

    /// <summary>Upper cap on any single statistical Bayes factor (only against overflow: the size of the
    /// rise is what tells a culprit from an update released hours before it).</summary>
    public double MaxStatisticalBayesFactor { get; init; } = 1e300;

    /// <summary>p-values become Bayes factors through Vovk's calibrator κ·p^(κ−1) (an e-value: under the null
    /// it exceeds 1/α with probability at most α, which keeps many simultaneous tests honest).</summary>
    public double Calibration { get; init; } = 0.5;

    /// <summary>The rise test treats the window after exposure as at least this long, so that the first two
    /// or three background crashes after some update are not a "rise".</summary>
    public TimeSpan MinAfterWindow { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Bayes factor when the faulting module is among the update's artifacts or affects.</summary>
    public double ModuleMatchBayesFactor { get; init; } = 20;

    /// <summary>Bayes factor when the update lists artifacts/affects and the faulting module is not among them.</summary>
    public double ModuleMismatchBayesFactor { get; init; } = 0.25;

    /// <summary>The same for content (channel files, definitions): data read by the code it lists (<c>affects</c>), so a
    /// fault in other code is far less likely than for installed software, whose new code can break its neighbours, or a
    /// configuration, whose effect can cascade (a storage change crashes the disks of the VMs on it).</summary>
    public double ContentModuleMismatchBayesFactor { get; init; } = 0.01;

    /// <summary>Bayes factor when the update names the degraded service (targets.services or affects).</summary>
    public double ServiceNameMatchBayesFactor { get; init; } = 20;

    /// <summary>Bayes factor when the update only names the degraded service's region.</summary>
    public double ServiceRegionMatchBayesFactor { get; init; } = 3;

    /// <summary>Timing Bayes factor for a failure within <see cref="PromptOnset"/> of exposure; falls
    /// log-linearly to 1 at <see cref="SlowOnset"/> and to <see cref="LateOnsetBayesFactor"/> at the lookback.</summary>
    public double PromptOnsetBayesFactor { get; init; } = 100;
    public TimeSpan PromptOnset { get; init; } = TimeSpan.FromMinutes(30);
    public TimeSpan SlowOnset { get; init; } = TimeSpan.FromHours(24);
    public double LateOnsetBayesFactor { get; init; } = 0.5;

    /// <summary>How far back an update may have been released (or installed) to explain a failure (slow burn).</summary>
    public TimeSpan Lookback { get; init; } = TimeSpan.FromDays(14);

    /// <summary>How much history before an update's exposure serves as the signature's own baseline.</summary>
    public TimeSpan BaselineWindow { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Minimum evidence to raise on a crash signature: exposed crashes and distinct exposed hosts.</summary>
    public int MinCrashes { get; init; } = 3;
    public int MinHosts { get; init; } = 2;

    /// <summary>Minimum non-operational observations of one service region after exposure.</summary>
    public int MinServiceObservations { get; init; } = 2;

    /// <summary>…or a degraded state that lasted this long (to the next healthy observation, or until now): sources that
    /// publish state transitions, not samples, send one observation per episode. Shorter single blips do not count.</summary>
    public TimeSpan MinServiceEpisodeSpan { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>…unless this many service regions (0: never) began degrading within <see cref="CorroborationWindow"/> of
    /// each other: blips are independent, a common onset is a pattern (it counts from then, not after the span).</summary>
    public int CorroboratingUnits { get; init; } = 3;

    public TimeSpan CorroborationWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Heterogeneity test needs at least this many reference hosts with the attribute.</summary>
    public int MinReferenceHosts { get; init; } = 20;

    /// <summary>Knowledge-time tick: facts are evaluated in buckets of this width.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>After a recall, failures must stay at baseline for this long before the finding resolves.</summary>
    public TimeSpan RecoveryWindow { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>An <c>updated</c> transition is emitted when confidence moves by at least this much…</summary>
    public double MaterialConfidenceChange { get; init; } = 0.1;

    /// <summary>…or the number of explained hosts/crashes grows by this factor, or a signature/service is added.</summary>
    public double MaterialGrowthFactor { get; init; } = 2;

    public static CorrelationSettings Default { get; } = new();

    public static CorrelationSettings FromJson(string json) =>
        System.Text.Json.JsonSerializer.Deserialize<CorrelationSettings>(json, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))
        ?? Default;
}
