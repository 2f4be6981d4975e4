using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>
/// The incident mechanics of the randomized evaluation, each drawn at random: which product, which hosts, how it rolls
/// out, how long after exposure hosts fail and how, whether the manifest is complete or late, whether a recall fixes it,
/// and what innocent updates stand next to it. Each returns the culprit's update id (crashes and episodes it causes are
/// tagged with it in the sink, which is where the expected outcome comes from).
/// </summary>
internal static class RandomizedIncidents
{
    /// <summary>Installed software (driver, agent, application) that crashes some of the hosts it lands on.</summary>
    public static string Installed(RandomizedWorld w, RandomizedSink sink, DateTimeOffset at, bool slow, List<string> innocents, List<string> notes)
    {
        var product = w.Pick(slow ? RandomizedCatalog.Leaking : RandomizedCatalog.Installed);
        var fleets = w.Sample(w.FleetsOf(product.Platform).ToList(), w.Int(1, 2));
        var pool = fleets.SelectMany(f => f.Hosts).ToList();
        var exposed = w.Sample(pool, Math.Max(Math.Min(pool.Count, 6), (int)(pool.Count * w.U(0.4, 1))));

        var mode = slow ? w.PickWeighted(("spread", 0.6), ("waves", 0.4)) : w.PickWeighted(("window", 0.4), ("waves", 0.3), ("spread", 0.3));
        var installs = new List<(RHost Host, DateTimeOffset At)>();
        List<RolloutWave>? waves = null;
        if (mode == "waves")
        {
            var k = w.Int(2, 4);
            var starts = new List<DateTimeOffset> { at };
            for (var i = 1; i < k; i++) starts.Add(starts[^1] + w.Hours(1, slow ? 10 : 6));
            var cuts = Enumerable.Range(1, k).Select(i => i == k ? 100.0 : Math.Round(100.0 * i / k * w.U(0.5, 1), 0)).ToList();
            waves = starts.Select((s, i) => new RolloutWave(s, cuts[i])).ToList();
            for (var i = 0; i < exposed.Count; i++)
            {
                var share = 100.0 * (i + 1) / exposed.Count;
                var wave = waves.FindIndex(x => share <= x.Percent);
                installs.Add((exposed[i], starts[wave < 0 ? k - 1 : wave] + w.Minutes(0, 60)));
            }
        }
        else
        {
            var length = mode == "window" ? w.Minutes(15, 90) : slow ? w.Hours(6, 24) : w.Hours(2, 24);
            installs.AddRange(exposed.Select(h => (h, at + length * w.U(0, 1))));
        }
        var installedAt = installs.ToDictionary(x => x.Host.Id, x => x.At);

        var version = RandomizedInnocents.Version(w);
        var updateId = w.Unique($"{RandomizedInnocents.Slug(product.Vendor)}/{product.Product}/{version}");
        var noArtifacts = w.Chance(0.15);
        var noInstallations = w.Chance(0.15);
        var late = !slow && w.Chance(0.15);

        var affectedPool = exposed;
        var narrowed = "";
        if (w.Chance(0.3))
        {
            var build = w.Pick(exposed.Select(h => h.OsVersion).Distinct().Order(StringComparer.Ordinal).ToList());
            var onBuild = exposed.Where(h => h.OsVersion == build).ToList();
            if (onBuild.Count >= 5) { affectedPool = onBuild; narrowed = $" only on OS build {build}"; }
        }
        var failing = w.Sample(affectedPool, Math.Clamp((int)Math.Round(affectedPool.Count * w.U(0.08, 0.6)), 3, affectedPool.Count));
        var delayModel = slow ? "uniform 1-4 d" : w.PickWeighted(("prompt", 0.4), ("lognormal", 0.4), ("wide", 0.2));
        var promptMean = w.Minutes(1, 20);
        var median = w.Minutes(15, 360);
        var sigma = w.U(0.3, 1.2);
        var (lo, hi) = (w.Hours(0, 1), w.Hours(6, 30));
        TimeSpan Delay() => delayModel switch
        {
            "prompt" => w.Exponential(promptMean),
            "lognormal" => w.LogNormal(median, sigma),
            "wide" => lo + (hi - lo) * w.U(0, 1),
            _ => w.Hours(24, 96),
        };
        var onsets = failing.Select(h => (Host: h, At: installedAt[h.Id] + Delay())).OrderBy(x => x.At).ToList();

        var recall = w.Chance(slow ? 0.25 : 0.4);
        var fixes = w.Chance(0.65);
        DateTimeOffset? recallAt = recall ? Max(onsets[2].At + w.Minutes(10, 60), onsets[0].At + w.Minutes(20, 360)) : null;
        var bootLoop = !slow && w.Chance(0.2);
        var primary = product.Failures[0];
        var index = 0;
        foreach (var (host, onset) in onsets)
        {
            if (recallAt is { } r && installedAt[host.Id] >= r) continue;
            if (recallAt is { } r2 && fixes && onset > r2) continue;
            var shape = index++ < 3 || w.Chance(0.7) ? primary : w.Pick(product.Failures);
            var times = new List<DateTimeOffset> { onset };
            var repeats = bootLoop ? w.Int(2, 7) : w.Chance(0.4) ? w.Int(1, 3) : 0;
            for (var i = 0; i < repeats; i++) times.Add(times[^1] + (bootLoop ? w.Minutes(2, 8) : w.Hours(0.1, 12)));
            foreach (var t in times)
                if (!(recallAt is { } r3 && fixes && t > r3 + w.Minutes(0, 30))) sink.Crash(host, t, shape, updateId);
        }
        if (recallAt is { } cut) installs.RemoveAll(x => x.At >= cut);

        var baseline = slow || w.Chance(0.25);
        if (baseline)
        {
            var rate = w.U(1 / 200.0, 1 / 40.0);
            foreach (var h in w.Hosts.Where(h => h.Platform == product.Platform))
                RandomizedBackground.Poisson(w, h, rate, w.Start, w.End, t => sink.Crash(h, t, primary));
        }

        var firstReported = sink.Crashes.Where(c => c.Cause == updateId).Select(RandomizedSink.Reported).DefaultIfEmpty(at).Min();
        DateTimeOffset? arrival = late ? Max(firstReported, at) + w.Hours(1, 5) : null;
        var artifacts = noArtifacts ? null : new List<Artifact> { new(product.Module, version) };
        var targets = noInstallations || w.Chance(0.5) ? new UpdateTargets(Fleets: fleets.Select(f => f.Name).ToList()) : null;
        sink.Release(new UpdateReleased("", updateId, product.Vendor, product.Product, version, installs.Min(x => x.At) - w.Minutes(5, 180),
            product.Kind, [product.Platform], targets, artifacts, Rollout: waves), arrival);
        if (!noInstallations)
        {
            var n = 0;
            foreach (var (host, t) in installs) sink.Install(updateId, host, t, arrival is { } a ? a + TimeSpan.FromMilliseconds(++n) : null);
        }
        if (recallAt is { } rc) sink.Recall(updateId, rc, fixes ? "rolled back" : "withdrawn; hosts that have it keep it");

        var bundle = w.Chance(slow ? 0.3 : 0.4);
        if (bundle)
        {
            // Co-installed: a patch set on the same hosts in the same minutes, and on the rest of those fleets too.
            var others = pool.Except(exposed).Where(_ => w.Chance(0.8)).Select(h => (h, at + w.Minutes(0, 90)));
            var onSame = installs.Select(x => (x.Host, x.At + w.Minutes(-3, 3))).Concat(others).ToList();
            for (var i = 0; i < w.Int(2, 4); i++) innocents.Add(RandomizedInnocents.Installed(w, sink, at, onSame, product.Platform));
        }
        if (w.Chance(0.25))
        {
            var earlier = RandomizedInnocents.Version(w);
            var id = w.Unique($"{RandomizedInnocents.Slug(product.Vendor)}/{product.Product}/{earlier}");
            var otherHosts = w.Sample(w.Hosts.Where(h => h.Platform == product.Platform).ToList(), w.Int(5, 60));
            var t0 = at - w.Hours(18, 40);
            sink.Release(new UpdateReleased("", id, product.Vendor, product.Product, earlier, t0, product.Kind, [product.Platform], null, [new Artifact(product.Module, earlier)]));
            foreach (var h in otherHosts) sink.Install(id, h, t0 + w.Minutes(5, 240));
            innocents.Add(id);
        }
        notes.Add($"{updateId} ({product.Kind}, {product.Module}) installs on {installs.Count} hosts of {string.Join("+", fleets.Select(f => f.Name))} " +
                  $"({mode}{(waves is null ? "" : $", {waves.Count} waves")}); {failing.Count} hosts fail{narrowed}, onset {delayModel}{(bootLoop ? ", boot loops" : "")}" +
                  $"{(baseline ? ", signature has a baseline" : "")}{(noArtifacts ? ", manifest without artifacts" : "")}{(noInstallations ? ", no installation records" : "")}" +
                  $"{(late ? ", manifest arrives late" : "")}{(recallAt is null ? "" : fixes ? ", recall fixes it" : ", recall does not fix it")}{(bundle ? ", co-installed patch bundle" : "")}");
        return updateId;
    }

    /// <summary>Content read by running code (no installation records): crashes within minutes on hosts online to get it.</summary>
    public static string Content(RandomizedWorld w, RandomizedSink sink, DateTimeOffset at, List<string> innocents, List<string> notes)
    {
        var product = w.Pick(RandomizedCatalog.Content);
        var fleets = w.Chance(0.4) ? w.Sample(w.FleetsOf(product.Platform).ToList(), w.Int(1, 2)) : null;
        var exposure = w.Hosts.Where(h => h.Platform == product.Platform && (fleets is null || fleets.Any(f => f.Name == h.Fleet))).ToList();
        string Version() => $"C-{w.Int(100, 999)}-{w.Int(10, 99)}";
        var version = Version();
        var updateId = w.Unique($"{RandomizedInnocents.Slug(product.Vendor)}/{product.Product}/{version}");
        var targets = fleets is null ? null : new UpdateTargets(Fleets: fleets.Select(f => f.Name).ToList());
        UpdateReleased Release(string id, string v, DateTimeOffset t) => new("", id, product.Vendor, product.Product, v, t, "content", [product.Platform], targets,
            w.Chance(0.5) ? [new Artifact($"{v}.bin")] : null, [product.Module]);
        sink.Release(Release(updateId, version, at));
        foreach (var before in new[] { w.Chance(0.6) ? w.Hours(2, 12) : (TimeSpan?)null, w.Chance(0.4) ? w.Hours(20, 40) : null })
            if (before is { } b)
            {
                var v = Version();
                var id = w.Unique($"{RandomizedInnocents.Slug(product.Vendor)}/{product.Product}/{v}");
                sink.Release(Release(id, v, at - b));
                innocents.Add(id);
            }

        var failing = w.Sample(exposure, Math.Clamp((int)Math.Round(exposure.Count * w.U(0.1, 0.6)), 3, exposure.Count));
        var mean = w.Minutes(0.5, 8);
        var onsets = failing.Select(h => (Host: h, At: (w.Chance(0.85) ? at : at + w.Hours(0, 6)) + w.Exponential(mean))).OrderBy(x => x.At).ToList();
        var recall = w.Chance(0.7);
        var fixes = w.Chance(0.75);
        DateTimeOffset? recallAt = recall ? Max(at + w.Minutes(30, 120), onsets[2].At + w.Minutes(5, 20)) : null;
        var bootLoop = w.Chance(0.5);
        foreach (var (host, onset) in onsets)
        {
            if (recallAt is { } r && fixes && onset > r) continue;
            var times = new List<DateTimeOffset> { onset };
            var repeats = bootLoop ? w.Int(2, 10) : w.Int(0, 1);
            for (var i = 0; i < repeats; i++) times.Add(times[^1] + w.Minutes(1.5, 6));
            foreach (var t in times) sink.Crash(host, t, w.Chance(0.75) ? product.Failures[0] : w.Pick(product.Failures), updateId);
        }
        if (recallAt is { } rc) sink.Recall(updateId, rc, fixes ? "reverted" : "reverted; hosts that cached it keep crashing");
        notes.Add($"{updateId} (content affecting {product.Module}) pushed to {(fleets is null ? "every " + product.Platform + " host" : string.Join("+", fleets.Select(f => f.Name)))}; " +
                  $"{failing.Count} hosts crash within minutes of getting it (mean {mean.TotalMinutes:0.0} min){(bootLoop ? ", boot loops" : "")}" +
                  $"{(recallAt is null ? "" : fixes ? ", recall fixes it" : ", recall does not fix it")}");
        return updateId;
    }

    /// <summary>A configuration rolled out region by region (amended releases) that degrades the services it names.</summary>
    public static string Config(RandomizedWorld w, RandomizedSink sink, DateTimeOffset at, List<string> innocents, List<string> notes, bool withCrashes)
    {
        var name = w.Pick(RandomizedCatalog.ConfigProducts);
        var version = $"{at:yyyyMMdd}.{w.Int(100, 999)}";
        var updateId = w.Unique($"internal/{name}/{version}");
        var byService = w.Services.GroupBy(s => s.Service).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        var named = new List<string> { byService[0].Key };
        if (byService.Count > 1 && w.Chance(0.4)) named.Add(w.Pick(byService.Skip(1).Select(g => g.Key).ToList()));
        var regions = w.Sample(w.Services.Where(s => named.Contains(s.Service)).Select(s => s.Region).Distinct().Order(StringComparer.Ordinal).ToList(), 99);
        var k = w.Int(1, Math.Min(4, regions.Count));
        var waveOf = regions.Select((r, i) => (Region: r, Wave: i < k ? i : w.Int(0, k - 1))).ToList();
        var starts = new List<DateTimeOffset> { at };
        for (var i = 1; i < k; i++) starts.Add(starts[^1] + w.Hours(0.5, 5));
        var recall = w.Chance(0.7);
        var episodes = new List<(RServiceRegion Where, DateTimeOffset Start)>();
        foreach (var (region, wave) in waveOf)
            foreach (var where in w.Services.Where(s => s.Region == region && named.Contains(s.Service)))
                if (episodes.Count == 0 || w.Chance(0.9)) episodes.Add((where, starts[wave] + w.Minutes(1, 15)));
        var cascade = w.Chance(0.3);
        if (cascade)
            foreach (var (where, start) in episodes.ToList())
            {
                var other = w.Services.Where(s => s.Region == where.Region && !named.Contains(s.Service)).ToList();
                if (other.Count > 0) episodes.Add((w.Pick(other), start + w.Minutes(2, 10)));
            }
        DateTimeOffset? recallAt = recall ? Max(starts[^1] + w.Hours(0.5, 3), episodes.Max(e => e.Start) + w.Minutes(20, 40)) : null;
        foreach (var (where, start) in episodes)
        {
            var minimum = start + 2.5 * where.Interval;
            var end = recallAt is { } r ? r + w.Minutes(5, 40) : start + w.Hours(0.5, 5);
            sink.Episode(where, start, end > minimum ? end : minimum, w.PickWeighted(("partial_outage", 0.5), ("degraded", 0.3), ("major_outage", 0.2)), updateId);
        }

        var affects = new List<string>(w.Chance(0.5) ? named : []);
        var crashNote = "";
        if (withCrashes)
        {
            // The service's client process reads the configuration too and crash-loops where it arrived.
            var module = name.Replace("-", "", StringComparison.Ordinal) + ".dll";
            affects.Add(module);
            var shape = new CrashShape("windows", "user", module, Exception: "0xC0000005", Process: name.Replace("-", "", StringComparison.Ordinal) + "host.exe");
            var reached = waveOf.ToDictionary(x => x.Region, x => starts[x.Wave]);
            var hosts = w.Hosts.Where(h => h.Platform == "windows" && reached.ContainsKey(h.Region)).ToList();
            var failing = w.Sample(hosts, Math.Max(3, (int)(hosts.Count * w.U(0.05, 0.3))));
            foreach (var h in failing)
            {
                var t = reached[h.Region] + w.Minutes(1, 12);
                var count = w.Int(1, 4);
                for (var i = 0; i < count && (recallAt is null || t < recallAt); i++, t += w.Minutes(3, 20)) sink.Crash(h, t, shape, updateId);
            }
            crashNote = $"; {failing.Count} windows hosts there crash-loop in {module}";
        }

        var regionsSoFar = new List<string>();
        for (var i = 0; i < k; i++)
        {
            regionsSoFar.AddRange(waveOf.Where(x => x.Wave == i).Select(x => x.Region));
            var rollout = starts.Take(i + 1).Select((s, j) => new RolloutWave(s, Math.Round(100.0 * (j + 1) / k, 0))).ToList();
            var releasedAt = i == 0 || w.Chance(0.5) ? at : starts[i];
            sink.Release(new UpdateReleased("", updateId, "internal", name, version, releasedAt, "config", null,
                new UpdateTargets(Regions: regionsSoFar.ToList(), Services: named.ToList()), null, affects.Count == 0 ? null : affects.ToList(), rollout), starts[i]);
        }
        if (recallAt is { } rc) sink.Recall(updateId, rc, "rolled back");
        if (w.Chance(0.4))
        {
            var other = w.Services.Select(s => s.Service).Where(s => !named.Contains(s)).Distinct().Order(StringComparer.Ordinal).ToList();
            if (other.Count > 0)
            {
                var flag = w.Unique($"internal/feature-flags/{at:yyyyMMdd}.{w.Int(1, 99)}");
                sink.Release(new UpdateReleased("", flag, "internal", "feature-flags", flag[(flag.LastIndexOf('/') + 1)..], at - w.Minutes(20, 60), "config", null,
                    new UpdateTargets(Services: [w.Pick(other)])));
                innocents.Add(flag);
            }
        }
        notes.Add($"{updateId} (config naming {string.Join("+", named)}) rolls out to {regions.Count} regions in {k} waves; {episodes.Count} service regions degrade minutes after their wave" +
                  $"{(cascade ? " (with cascades to unnamed services)" : "")}{crashNote}{(recallAt is null ? "" : ", then rolled back")}");
        return updateId;
    }

    /// <summary>A regional failure no update explains (power, cooling, a network partition).</summary>
    public static void Regional(RandomizedWorld w, RandomizedSink sink, DateTimeOffset at, List<string> innocents, List<string> notes, bool tempters)
    {
        var region = w.Services.GroupBy(s => s.Region).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        if (w.Chance(0.3)) region = w.Pick(w.Regions);
        var services = w.Services.Where(s => s.Region == region).ToList();
        var hit = services.Where((_, i) => i == 0 || w.Chance(0.85)).ToList();
        foreach (var where in hit)
        {
            var start = at + w.Minutes(0, 10);
            sink.Episode(where, start, start + w.Hours(1, 5), w.Chance(0.6) ? "major_outage" : "partial_outage");
        }
        var hosts = w.Hosts.Where(h => h.Region == region).ToList();
        var failing = w.Sample(hosts, (int)(hosts.Count * w.U(0.1, 0.5)));
        foreach (var h in failing)
        {
            var shape = h.Platform == "windows"
                ? new CrashShape("windows", "kernel", "storport.sys", Bugcheck: "0x7A")
                : new CrashShape("linux", "kernel", "nfs", Panic: "INFO: task jbd2/sda1-8:412 blocked for more than 120 seconds.");
            var t = at + w.Minutes(0, 40);
            var count = w.Int(1, 3);
            for (var i = 0; i < count; i++, t += w.Minutes(5, 60)) sink.Crash(h, t, shape);
        }
        var tempt = new List<string>();
        if (tempters)
        {
            if (w.Chance(0.7))
            {
                var platform = w.Chance(0.5) ? "windows" : "linux";
                var start = at - w.Hours(1, 3);
                var everywhere = w.Hosts.Where(h => h.Platform == platform && w.Chance(0.8)).Select(h => (h, start + w.Minutes(0, 60))).ToList();
                var id = RandomizedInnocents.Installed(w, sink, start, everywhere, platform);
                innocents.Add(id);
                tempt.Add($"{id} installed everywhere {(at - start).TotalHours:0.0} h before");
            }
            if (w.Chance(0.5) && services.Count > 0)
            {
                var before = w.Hours(12, 60);
                innocents.Add(RandomizedInnocents.Flag(w, sink, at - before, region, w.Pick(services).Service));
                tempt.Add($"a flag for {region} {before.TotalHours:0} h before");
            }
            var elsewhere = w.Regions.Where(r => r != region).ToList();
            if (w.Chance(0.5) && elsewhere.Count > 0)
            {
                var other = w.Pick(elsewhere);
                innocents.Add(RandomizedInnocents.Flag(w, sink, at - w.Minutes(10, 40), other, w.Pick(w.Services).Service));
                tempt.Add($"a flag for {other} minutes before");
            }
        }
        notes.Add($"a regional failure in {region} no update explains: {hit.Count} service regions down, {failing.Count} hosts crash" +
                  (tempt.Count == 0 ? "" : $" ({string.Join("; ", tempt)})"));
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
