namespace Correlator.Scenarios;

/// <summary>What happens in every randomized scenario whatever the incident: background crashes, failing hardware, status blips.</summary>
internal static class RandomizedBackground
{
    public static void Add(RandomizedWorld w, RandomizedSink sink, List<string> notes)
    {
        var perHostDay = w.U(0.004, 0.02);
        foreach (var platform in new[] { "windows", "linux" })
        {
            var shapes = RandomizedCatalog.Background.Where(b => b.Shape.Platform == platform).ToList();
            var chosen = w.Sample(shapes, w.Int(3, shapes.Count)).Select(s => (s.Shape, s.Weight * w.U(0.3, 2))).ToArray();
            foreach (var host in w.Hosts.Where(h => h.Platform == platform))
                Poisson(w, host, perHostDay, w.Start, w.End, t => sink.Crash(host, t, w.PickWeighted(chosen)));
        }
        var flaky = w.Int(1, 4);
        foreach (var host in w.Sample(w.Hosts, flaky))
        {
            var shape = w.Pick(RandomizedCatalog.Hardware.Where(s => s.Platform == host.Platform).ToList());
            var first = w.Between(w.Start, w.End);
            var count = w.Int(3, 12);
            var t = first;
            for (var i = 0; i < count; i++) sink.Crash(host, t += w.Hours(0.1, 10), shape);
        }
        // Benign blips: a service region goes briefly degraded about once in three days.
        foreach (var where in w.Services)
        {
            var t = w.Start;
            while ((t += w.Exponential(TimeSpan.FromDays(3))) < w.End)
                sink.Episode(where, t, t + w.Minutes(where.TransitionsOnly ? 4 : 1, 35), w.Chance(0.8) ? "degraded" : "partial_outage");
        }
        notes.Add($"background crashes at {perHostDay * 365:0.0} per host-year, {flaky} hosts with failing hardware, status blips");
    }

    /// <summary>Calls <paramref name="at"/> for each event of a Poisson process of <paramref name="perDay"/> on [from, to).</summary>
    public static void Poisson(RandomizedWorld w, RHost host, double perDay, DateTimeOffset from, DateTimeOffset to, Action<DateTimeOffset> at)
    {
        if (perDay <= 0) return;
        var t = from;
        while ((t += w.Exponential(TimeSpan.FromDays(1 / perDay))) < to) at(t);
    }
}
