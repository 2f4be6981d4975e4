namespace Correlator.Scenarios;

/// <summary>
/// The randomized evaluation: one scenario per seed, its incident mechanics drawn at random (see
/// <see cref="RandomizedIncidents"/>), written as contract lines with the known outcome (culprits with the signatures
/// they caused, their first failure and whether it came as a burst; every innocent update). Independent of the
/// hand-written <see cref="ScenarioCatalog"/> generators: its own fleets, names, crash shapes, rollouts, status sources,
/// redeliveries and malformed lines. Seeds: <see cref="RandomizedSeeds"/> (tuning and held-out, fixed).
/// </summary>
public static class RandomizedScenarios
{
    public static readonly string[] Kinds = ["installed", "slow-burn", "content", "config", "two-culprits", "benign", "regional"];

    public static Scenario Generate(int seed)
    {
        var draw = new Random(seed ^ 0x5eed);
        var kind = Kinds[Pick(draw, [0.22, 0.12, 0.12, 0.14, 0.08, 0.16, 0.16])];
        var start = new DateTimeOffset(2025, 3, 3, 0, 0, 0, TimeSpan.Zero).AddDays(draw.Next(0, 600)).AddMinutes(draw.Next(0, 24 * 60));
        var pre = TimeSpan.FromHours(14 + draw.NextDouble() * 16);
        var post = kind switch
        {
            "slow-burn" => TimeSpan.FromDays(6),
            "installed" or "two-culprits" => TimeSpan.FromHours(60),
            _ => TimeSpan.FromHours(24 + draw.NextDouble() * 16),
        };
        var w = new RandomizedWorld(seed, start, pre + post);
        w.Populate(longWindow: kind == "slow-burn");
        var sink = new RandomizedSink(w);
        var notes = new List<string>();
        var innocents = new List<string>();
        var culprits = new List<string>();
        var at = start + pre;

        RandomizedBackground.Add(w, sink, notes);
        RandomizedInnocents.Add(w, sink, innocents, notes);
        switch (kind)
        {
            case "installed": culprits.Add(RandomizedIncidents.Installed(w, sink, at, slow: false, innocents, notes)); break;
            case "slow-burn": culprits.Add(RandomizedIncidents.Installed(w, sink, at, slow: true, innocents, notes)); break;
            case "content": culprits.Add(RandomizedIncidents.Content(w, sink, at, innocents, notes)); break;
            case "config": culprits.Add(RandomizedIncidents.Config(w, sink, at, innocents, notes, withCrashes: w.Chance(0.25))); break;
            case "two-culprits":
                culprits.Add(w.Chance(0.5)
                    ? RandomizedIncidents.Installed(w, sink, at, slow: false, innocents, notes)
                    : RandomizedIncidents.Content(w, sink, at, innocents, notes));
                culprits.Add(RandomizedIncidents.Config(w, sink, at + w.Hours(-6, 6), innocents, notes, withCrashes: false));
                break;
            case "regional": RandomizedIncidents.Regional(w, sink, at, innocents, notes, tempters: true); break;
            default: notes.Add("nothing goes wrong"); break;
        }
        if (culprits.Count > 0 && w.Chance(0.15))
        {
            var away = w.Chance(0.5) ? at - w.Hours(8, 12) : at + w.Hours(10, 20);
            if (away > w.Start && away < w.End) RandomizedIncidents.Regional(w, sink, away, innocents, notes, tempters: false);
        }
        if (innocents.Count > 0 && w.Chance(0.15))
        {
            var recalled = w.Pick(innocents);
            sink.Recall(recalled, w.Between(at, w.End), "superseded");
            notes.Add($"innocent {recalled} recalled (nothing changes)");
        }

        var lines = sink.Finish();
        var expected = new ExpectedOutcome(culprits.Select(c => Expected(sink, c)).ToList(),
            innocents.Where(i => !culprits.Contains(i)).Distinct().ToList());
        var description = $"Randomized scenario {seed} ({kind}), {w.Hosts.Count} hosts in {w.Fleets.Count} fleets over {w.Regions.Count} regions, " +
                          $"{(w.End - w.Start).TotalHours:0} h from {start:yyyy-MM-dd HH:mm}Z: {string.Join("; ", notes)}.";
        return new Scenario(RandomizedSeeds.Name(seed), lines, expected, description);
    }

    public static IEnumerable<Scenario> Tuning() => RandomizedSeeds.Tuning.Select(Generate);

    public static IEnumerable<Scenario> HeldOut() => RandomizedSeeds.HeldOut.Select(Generate);

    /// <summary>
    /// The culprit's outcome from what the sink wrote: crash signatures it caused on at least three hosts, the service
    /// regions whose caused episodes were observed, the first of those failures as reported, and whether the first
    /// three came within ten minutes (crashes in true time, episodes at their first degraded observation).
    /// </summary>
    internal static ExpectedCulprit Expected(RandomizedSink sink, string updateId)
    {
        var crashes = sink.Crashes.Where(c => c.Cause == updateId).ToList();
        var signatures = crashes.GroupBy(RandomizedSink.SignatureOf)
            .Where(g => g.Select(c => c.Host.Id).Distinct().Count() >= 3).Select(g => g.Key).ToList();
        // True times, not the hosts' clocks: a host whose clock is behind must not move the first failure before the release.
        var failures = crashes.Select(c => c.At).ToList();
        foreach (var e in sink.Episodes.Where(e => e.Cause == updateId))
            if (sink.FirstObserved(e) is { } seen)
            {
                failures.Add(seen);
                signatures.Add(Correlation.Signature.OfService(e.Where.Service, e.Where.Region));
            }
        failures.Sort();
        return new ExpectedCulprit(updateId, signatures.Distinct().Order(StringComparer.Ordinal).ToList())
        {
            FirstFailureAt = failures.Count > 0 ? failures[0].AddTicks(-(failures[0].Ticks % TimeSpan.TicksPerMillisecond)) : null,
            Burst = failures.Count >= 3 && failures[2] - failures[0] <= TimeSpan.FromMinutes(10),
        };
    }

    private static int Pick(Random rng, double[] weights)
    {
        var x = rng.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            if (x < weights[i]) return i;
            x -= weights[i];
        }
        return weights.Length - 1;
    }
}
