using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>
/// The failures a bad change causes: each exposed host fails with some probability after a delay, possibly again and
/// again (a boot loop, a crash-looping service). Returns the crashes so the scenario can name their signatures.
/// </summary>
public static class Outbreak
{
    public static List<CrashReported> Crashes(ScenarioBuilder b, IEnumerable<(Host Host, DateTimeOffset ExposedAt)> exposures,
        double probability, Func<Random, TimeSpan> delay, Func<Host, DateTimeOffset, CrashReported> crash,
        Func<Random, int>? repeats = null, Func<Random, TimeSpan>? gap = null, DateTimeOffset? until = null)
    {
        var crashes = new List<CrashReported>();
        var stop = until ?? b.End;
        foreach (var (host, exposedAt) in exposures)
        {
            if (b.Chance() >= probability) continue;
            var t = exposedAt + delay(b.Rng);
            var n = repeats?.Invoke(b.Rng) ?? 1;
            for (var i = 0; i < n && t < stop && t < b.End; i++)
            {
                if (t >= b.Start) crashes.Add(b.Crash(crash(host, t)));
                t += gap?.Invoke(b.Rng) ?? TimeSpan.FromMinutes(5);
            }
        }
        return crashes;
    }

    public static TimeSpan Minutes(Random rng, double min, double max) => TimeSpan.FromSeconds(rng.Next((int)(min * 60), (int)(max * 60)));

    /// <summary>Geometric count ≥ 1 with the given mean, capped.</summary>
    public static int Geometric(Random rng, double mean, int cap)
    {
        var p = 1 / mean;
        var n = 1;
        while (n < cap && rng.NextDouble() > p) n++;
        return n;
    }
}
