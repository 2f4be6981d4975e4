namespace Correlator.Scenarios;

/// <summary>
/// A status source that publishes state transitions, not samples (many public status pages): one observation when a
/// service region's state changes (operational → partial_outage when a degradation starts, → operational when it ends
/// hours later), nothing in between, and an initial operational observation when the source is first polled.
/// Benign blips are short transitions too (a few minutes degraded).
/// </summary>
public static class TransitionStatusFeed
{
    public static void Add(ScenarioBuilder b, IReadOnlyList<ServiceSeries> series, IReadOnlyList<Degradation> degradations, double blipsPerDay = 0.04)
    {
        var days = (b.End - b.Start).TotalDays;
        foreach (var s in series)
        {
            var changes = new List<(DateTimeOffset At, string Status, string? Message)>
                { (b.Start + TimeSpan.FromMinutes(b.Rng.Next(0, 30)), "operational", null) };
            foreach (var d in degradations.Where(d => d.Service == s.Service && d.Region == s.Region))
            {
                changes.Add((d.From, d.Peak, d.Message));
                changes.Add((d.To, "operational", "This incident has been resolved."));
            }
            for (var i = 0; i < (int)Math.Round(blipsPerDay * days + (b.Chance() - 0.5)); i++)
            {
                var from = b.Between(b.Start, b.End);
                changes.Add((from, "degraded", "Elevated latency for a subset of requests; investigating."));
                changes.Add((from + TimeSpan.FromMinutes(b.Rng.Next(3, 12)), "operational", null));
            }
            foreach (var (at, status, message) in changes.Where(c => b.InWindow(c.At)).OrderBy(c => c.At))
                b.Status(s.Service, s.Region, status, at, s.Source, message);
        }
    }
}
