using Correlator.Correlation;
using Correlator.Ingestion.Events;

namespace Correlator.Rollouts;

/// <summary>
/// Where a rollout's waves start. The manifests' <c>rollout</c> waves when they list two or more; otherwise, for an
/// update whose hosts report installations, the moments it reached 1, 5, 10, 25, 50 and 100 % of the hosts that
/// installed it (the steps a canary pipeline would pause at); otherwise one wave, at the first exposure.
/// </summary>
public static class RolloutWaves
{
    public static readonly double[] Steps = [1, 5, 10, 25, 50, 100];

    public sealed record Start(DateTimeOffset StartsAt, double? Percent);

    public static IReadOnlyList<Start> Of(IReadOnlyList<UpdateReleased> releases, IReadOnlyList<DateTimeOffset> exposures, UpdateExposure update)
    {
        var manifest = releases.SelectMany(r => r.Rollout ?? []).Where(w => w.Percent > 0)
            .GroupBy(w => w.StartsAt).OrderBy(g => g.Key).Select(g => new Start(g.Key, g.Max(w => w.Percent))).ToList();
        if (manifest.Count >= 2) return manifest;
        if (update.InstallBased && exposures.Count > 0)
        {
            var sorted = exposures.Order().ToList();
            var starts = new List<Start>();
            foreach (var step in Steps)
            {
                var at = sorted[Math.Max(0, (int)Math.Ceiling(step / 100 * sorted.Count) - 1)];
                if (starts.Count > 0 && starts[^1].StartsAt == at) starts[^1] = starts[^1] with { Percent = step };
                else starts.Add(new Start(at, step));
            }
            return starts;
        }
        if (update.ExposureStart != DateTimeOffset.MaxValue) return [new Start(update.ExposureStart, manifest.FirstOrDefault()?.Percent ?? 100)];
        return manifest;
    }
}
