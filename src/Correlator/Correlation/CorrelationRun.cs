using Correlator.Ingestion.Events;

namespace Correlator.Correlation;

/// <summary>
/// One replay of the facts in knowledge-time order, tick by tick. Holds the indexes (hosts, signatures, updates,
/// services), scores every failure pattern that changed against every hypothesis (each update at each onset delay,
/// an unknown local cause, nothing) on the same change-point model, and drives the findings' lifecycle.
/// </summary>
internal sealed class CorrelationRun(CorrelationSettings settings)
{
    private readonly Dictionary<string, KnownHost> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _hostIndex = new(StringComparer.Ordinal);
    private readonly List<KnownHost> _crashHosts = [];
    private readonly List<string[]> _crashHostGroups = [];
    private readonly List<string[]> _crashHostStrata = [];
    private readonly Dictionary<string, int> _crashHostsByPlatform = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Platform, string Group), int> _groupSizes = [];
    private readonly UnplacedHosts _unplaced = new();
    private readonly Dictionary<string, List<SignatureHistory>> _hostSignatures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SignatureHistory> _signatures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UpdateExposure> _updates = new(StringComparer.Ordinal);
    private readonly List<UpdateExposure> _updateOrder = [];
    private readonly Dictionary<string, ExposureIndex> _exposures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ServiceHistory> _services = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirtySignatures = new(StringComparer.Ordinal);
    private readonly List<FindingFeedback> _feedback = [];
    private readonly Dictionary<string, (int Hosts, DateTimeOffset At)> _lastScored = new(StringComparer.Ordinal);
    private bool _allDirty, _servicesDirty;
    private DateTimeOffset _serviceMatures = DateTimeOffset.MaxValue;
    private DateTimeOffset? _dataStart;

    /// <summary>Latest score and posterior per (update, signature) — crash signatures and services alike.</summary>
    private readonly Dictionary<(string U, string S), Attribution> _attributions = [];
    private readonly Dictionary<string, List<string>> _attributedUpdates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<string>> _explained = new(StringComparer.Ordinal);

    private void SetAttribution(string u, string s, Attribution a)
    {
        if (!_attributions.ContainsKey((u, s)))
        {
            if (!_attributedUpdates.TryGetValue(s, out var list)) _attributedUpdates[s] = list = [];
            list.Add(u);
        }
        _attributions[(u, s)] = a;
        if (a.Explained)
        {
            if (!_explained.TryGetValue(u, out var set)) _explained[u] = set = new SortedSet<string>(StringComparer.Ordinal);
            set.Add(s);
        }
        else if (_explained.TryGetValue(u, out var set) && set.Remove(s) && set.Count == 0) _explained.Remove(u);
    }

    private IReadOnlyList<string> AttributedUpdates(string signature) => _attributedUpdates.GetValueOrDefault(signature) ?? (IReadOnlyList<string>)[];

    public FindingBook Findings { get; } = new(settings);
    public long LastBucket { get; private set; } = long.MinValue;

    internal sealed record Attribution(CrashScore? Crash, ServiceScore? Service, double Posterior, string? Alternative, double AlternativePosterior, bool Explained);

    public void RunBucket(long bucket, IReadOnlyList<Fact> facts, DateTimeOffset? tickAt = null)
    {
        LastBucket = bucket;
        var tick = tickAt ?? facts.Max(f => f.Known);
        foreach (var f in facts) Apply(f.Payload);
        Evaluate(tick);
        if (tick >= _nextEviction) Evict(tick);
    }

    // ---------------------------------------------------------------- window

    private DateTimeOffset _nextEviction = DateTimeOffset.MinValue;

    /// <summary>Crash times and service observations evicted so far (they left every window).</summary>
    public long Evicted { get; private set; }

    /// <summary>
    /// Drops what no hypothesis can read any more: crash times and service episodes before the start of the scoring
    /// window (lookback + baseline before now, which only moves forward) and before the baseline of any open finding's
    /// crash attribution (a resolution compares recent failures with that baseline). Hourly: the cut is cheap but not free.
    /// </summary>
    private void Evict(DateTimeOffset tick)
    {
        _nextEviction = tick + TimeSpan.FromHours(1);
        // The window's own start ignores the data's start (a late fact may move that earlier); a minute of margin
        // absorbs the rounding between hours and ticks.
        var horizon = tick - settings.Lookback - settings.BaselineWindow - TimeSpan.FromMinutes(1);
        var pinned = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var (u, item) in Findings.OpenItems())
            if (_attributions.TryGetValue((u, item), out var a) && a.Crash is { } c)
            {
                var from = c.Start - TimeSpan.FromHours(c.BaselineHours);
                if (from < pinned.GetValueOrDefault(item, horizon)) pinned[item] = from;
            }
        foreach (var s in _signatures.Values) Evicted += s.Evict(pinned.GetValueOrDefault(s.Signature, horizon));
        foreach (var s in _services.Values) Evicted += s.Evict(horizon);
    }

    // ---------------------------------------------------------------- facts

    private void Apply(object payload)
    {
        switch (payload)
        {
            case CrashReported c: ApplyCrash(c); break;
            case ServiceStatusObserved s: ApplyService(s); break;
            case UpdateReleased r: ApplyRelease(r); break;
            case UpdateInstalled i: ApplyInstall(i); break;
            case UpdateRecalled r: Update(r.UpdateId).Recall(r); break;
            case FindingFeedback f: _feedback.Add(f); break;
        }
    }

    private UpdateExposure Update(string id)
    {
        if (!_updates.TryGetValue(id, out var u)) _updates[id] = u = new UpdateExposure(id);
        return u;
    }

    private void ApplyCrash(CrashReported c)
    {
        var platform = c.Platform.ToLowerInvariant();
        // One instance of each host id (the first fact's): every index below is keyed by it.
        var id = _hosts.TryGetValue(c.HostId, out var host) ? host.HostId : c.HostId;
        if (host is null || host.Platform is null)
        {
            host = new KnownHost(id, Name(platform), Name(Blank(c.Region)), Name(Blank(c.Fleet)), Name(c.OsVersion));
            _hosts[id] = host;
            _hostIndex[id] = _crashHosts.Count;
            _crashHosts.Add(host);
            _crashHostGroups.Add(Groups(host).Select(Name).ToArray()!);
            _crashHostStrata.Add(ExposureIndex.Strata(host).Select(Name).ToArray()!);
            _crashHostsByPlatform[platform] = _crashHostsByPlatform.GetValueOrDefault(platform) + 1;
            foreach (var g in Groups(host)) _groupSizes[(platform, g)] = _groupSizes.GetValueOrDefault((platform, g)) + 1;
            _unplaced.Count(host, +1);
        }
        else if ((host.Region is null && Blank(c.Region) is not null) || (host.Fleet is null && Blank(c.Fleet) is not null) ||
                 (host.OsVersion is null && c.OsVersion is not null))
            Place(host, host with { Region = host.Region ?? Name(Blank(c.Region)), Fleet = host.Fleet ?? Name(Blank(c.Fleet)), OsVersion = host.OsVersion ?? Name(c.OsVersion) });
        var sig = Signature.Of(c);
        if (!_signatures.TryGetValue(sig, out var history)) _signatures[sig] = history = SignatureHistory.For(c);
        if (!history.ByHost.ContainsKey(id))
        {
            if (!_hostSignatures.TryGetValue(id, out var list)) _hostSignatures[id] = list = [];
            list.Add(history);
        }
        history.Add(id, c.OccurredAt);
        if (_dataStart is null || c.OccurredAt < _dataStart) _dataStart = c.OccurredAt;
        _dirtySignatures.Add(sig);
    }

    /// <summary>
    /// A later report names what the host's first one left out (its region, fleet or OS build): the first report is
    /// not the only witness of where a host lives. Its groups, their sizes and every update's exposure of it follow.
    /// </summary>
    private void Place(KnownHost old, KnownHost host)
    {
        var index = _hostIndex[host.HostId];
        var platform = host.Platform!;
        foreach (var g in Groups(old)) _groupSizes[(platform, g)]--;
        foreach (var g in Groups(host)) _groupSizes[(platform, g)] = _groupSizes.GetValueOrDefault((platform, g)) + 1;
        _unplaced.Count(old, -1);
        _unplaced.Count(host, +1);
        _hosts[host.HostId] = host;
        _crashHosts[index] = host;
        _crashHostGroups[index] = Groups(host).Select(Name).ToArray()!;
        _crashHostStrata[index] = ExposureIndex.Strata(host).Select(Name).ToArray()!;
        foreach (var e in _exposures.Values) e.Refresh(host, index);
        // Other patterns see the new group sizes at their next scoring (a host more or less in a group moves them little).
        foreach (var sig in _hostSignatures.GetValueOrDefault(host.HostId) ?? []) _dirtySignatures.Add(sig.Signature);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    /// <summary>
    /// One instance per distinct name (platforms, regions, fleets, OS builds, group names): every host holds a few, and
    /// a million hosts' reports each bring their own copies (issue 19: about 100 bytes a host).
    /// </summary>
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    private string? Name(string? s)
    {
        if (s is null) return null;
        if (_names.TryGetValue(s, out var name)) return name;
        _names[s] = s;
        return s;
    }

    private IEnumerable<string> Groups(KnownHost h) => _unplaced.GroupsOf(h);

    private void ApplyService(ServiceStatusObserved s)
    {
        var region = string.IsNullOrWhiteSpace(s.Region) ? "global" : s.Region;
        var key = Signature.OfService(s.Service, region);
        var isNew = !_services.TryGetValue(key, out var h);
        if (isNew) _services[key] = h = new ServiceHistory(s.Service, region);
        // Only what can change a degradation episode (or a new unit) calls for re-scoring the services.
        if (h!.Add(s.ObservedAt, s.Status, s.Id) || isNew) _servicesDirty = true;
        if (_dataStart is null || s.ObservedAt < _dataStart) _dataStart = s.ObservedAt;
    }

    private void ApplyRelease(UpdateReleased r)
    {
        Update(r.UpdateId).AddRelease(r);
        Forget(r.UpdateId);
    }

    private void ApplyInstall(UpdateInstalled i)
    {
        if (!_hosts.TryGetValue(i.HostId, out var known)) _hosts[i.HostId] = known = new KnownHost(i.HostId, null, null, null, null);
        if (!ReferenceEquals(known.HostId, i.HostId)) i = i with { HostId = known.HostId }; // one instance per host id
        var u = Update(i.UpdateId);
        var wasInstallBased = u.InstallBased;
        var before = u.Installs.GetValueOrDefault(i.HostId);
        u.AddInstall(i);
        if (!wasInstallBased) { Forget(i.UpdateId); return; }
        if (before != default && before <= i.InstalledAt) return;
        if (_hostIndex.TryGetValue(i.HostId, out var index))
        {
            if (_exposures.TryGetValue(i.UpdateId, out var e)) e.Refresh(_crashHosts[index], index);
            foreach (var s in _hostSignatures.GetValueOrDefault(i.HostId) ?? []) _dirtySignatures.Add(s.Signature);
        }
    }

    /// <summary>The update's exposure changed wholesale: drop its index, re-evaluate everything.</summary>
    private void Forget(string updateId)
    {
        _exposures.Remove(updateId);
        _serviceExposures.Remove(updateId);
        _allDirty = true;
        _servicesDirty = true;
    }

    private readonly Dictionary<string, Dictionary<string, double>> _serviceExposures = new(StringComparer.Ordinal);

    /// <summary>Since when (hours) the update exposes a service region, NaN if not; cached until its manifests change.</summary>
    private double ServiceExposure(UpdateExposure u, ServiceHistory r)
    {
        if (!_serviceExposures.TryGetValue(u.UpdateId, out var map)) _serviceExposures[u.UpdateId] = map = new(StringComparer.Ordinal);
        if (!map.TryGetValue(r.Signature, out var e))
            map[r.Signature] = e = u.ServiceExposedSince(r.Service, r.Region) is { } at ? ChangeModel.Hours(at) : double.NaN;
        return e;
    }

    private ExposureIndex Exposure(UpdateExposure u)
    {
        if (!_exposures.TryGetValue(u.UpdateId, out var e)) _exposures[u.UpdateId] = e = new ExposureIndex(u);
        e.CatchUp(_crashHosts);
        return e;
    }

    // ---------------------------------------------------------------- evaluation

    private void Evaluate(DateTimeOffset tick)
    {
        if (_updateOrder.Count != _updates.Count)
        {
            _updateOrder.Clear();
            _updateOrder.AddRange(_updates.Values);
            _updateOrder.Sort((x, y) => string.CompareOrdinal(x.UpdateId, y.UpdateId));
        }
        var candidates = new List<UpdateExposure>();
        foreach (var u in _updateOrder)
            if (u.First is not null && u.ExposureStart <= tick && tick - u.ExposureStart <= settings.Lookback) candidates.Add(u);
        var touched = new HashSet<string>(StringComparer.Ordinal);

        IEnumerable<SignatureHistory> sigs = _allDirty
            ? _signatures.Values
            : _dirtySignatures.Select(s => _signatures[s]);
        foreach (var s in sigs.Where(s => s.ByHost.Count >= settings.MinHosts).OrderBy(s => s.Signature, StringComparer.Ordinal))
        {
            // A big pattern is re-scored when its evidence grew materially (10 % more failing hosts) or every
            // MinAfterWindow; a small one on every new failure. Manifest changes re-score everything.
            var last = _lastScored.GetValueOrDefault(s.Signature);
            if (!_allDirty && last.Hosts > 0 && s.ByHost.Count < last.Hosts * 1.1 && tick - last.At < settings.MinAfterWindow) continue;
            _lastScored[s.Signature] = (s.ByHost.Count, tick);
            EvaluateSignature(s, candidates, tick);
            touched.Add(s.Signature);
        }
        // A degraded state with no later observation becomes an episode by lasting: re-score when one matures.
        if (tick >= _serviceMatures) _servicesDirty = true;
        if (_servicesDirty)
        {
            EvaluateServices(candidates, tick);
            foreach (var s in _services.Keys) touched.Add(s);
        }
        _allDirty = false;
        _servicesDirty = false;
        _dirtySignatures.Clear();

        var feedback = _feedback.OrderBy(f => f.At).ThenBy(f => f.Id, StringComparer.Ordinal).ToList();
        _feedback.Clear();
        Findings.Tick(tick, _attributions, _explained, _updates, touched, this, feedback);
    }

    private readonly List<Case> _cases = [];
    private readonly List<double> _lastDelays = [], _firstDelays = [];
    private double[] _exposed = [];

    /// <summary>One failing unit (host or service region) of a pattern: its first and last failure in the window.</summary>
    private readonly record struct Case(string Id, double First, double Last, IReadOnlyList<string> Groups, int HostIndex = -1);

    private double WindowStart(double now) =>
        Math.Max(_dataStart is { } d ? ChangeModel.Hours(d) : now, now - (settings.Lookback + settings.BaselineWindow).TotalHours);

    private void EvaluateSignature(SignatureHistory s, List<UpdateExposure> candidates, DateTimeOffset tick)
    {
        var now = ChangeModel.Hours(tick);
        var w0 = WindowStart(now);
        var floor = settings.MinAfterWindow.TotalHours;
        // Buffers are reused across evaluations: big patterns would otherwise allocate on the large-object heap each time.
        var cases = _cases;
        cases.Clear();
        foreach (var (id, times) in s.ByHost)
        {
            // Times are sorted: the first at or after w0 and the last at or before now.
            int i = 0, j = times.Count - 1;
            while (i < times.Count && ChangeModel.Hours(times[i]) < w0) i++;
            while (j >= i && ChangeModel.Hours(times[j]) > now) j--;
            if (j < i) continue;
            var index = _hostIndex[id];
            cases.Add(new Case(id, ChangeModel.Hours(times[i]), ChangeModel.Hours(times[j]), _crashHostGroups[index], index));
        }
        var population = _crashHostsByPlatform.GetValueOrDefault(s.Platform);
        var total = population * (now - w0);
        if (cases.Count < settings.MinHosts || total <= 0) { ClearSignature(s.Signature); return; }

        var scores = new List<CrashScore>();
        foreach (var u in candidates)
        {
            if (!u.ExposesHosts || !u.CoversPlatform(s.Platform)) { Clear(u, s.Signature); continue; }
            var score = ScoreCrash(u, s, cases, population, now, w0, total, floor);
            if (score is null) Clear(u, s.Signature); else scores.Add(score);
        }
        // Unknown causes may also strike an update's hosts in one region or fleet only: a global update whose hosts
        // fail in one region is explained better by "something in that region" than by the update.
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        var extra = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var score in scores)
        {
            var index = _exposures[score.Update.UpdateId];
            var byStratum = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var i = 0; i < cases.Count; i++)
            {
                var c = cases[i];
                if (double.IsNaN(index.Since(c.HostIndex))) continue;
                foreach (var stratum in _crashHostStrata[c.HostIndex])
                {
                    if (!byStratum.TryGetValue(stratum, out var list)) byStratum[stratum] = list = [];
                    list.Add(i);
                }
            }
            foreach (var (stratum, list) in byStratum)
            {
                var g = $"hosts with {score.Update.UpdateId} in {stratum}";
                extra[g] = list;
                sizes[g] = index.StratumSize(s.Platform, stratum);
            }
        }
        var local = BestLocal(cases, extra, g => sizes.TryGetValue(g, out var n) ? n : _groupSizes.GetValueOrDefault((s.Platform, g)) + _unplaced.Extra(s.Platform, g), now, w0, total);
        Attribute(s.Signature, scores.Select(x => (x.Update.UpdateId, x.LogWeight, (object)x)).ToList(), local);
    }

    private void ClearSignature(string signature)
    {
        foreach (var u in AttributedUpdates(signature)) Clear(_updates[u], signature);
    }

    /// <summary>
    /// The rise test over the platform's hosts, and over the fleets the update reached when that is fewer hosts: a
    /// signature that other fleets also have at a steady rate (a generic OOM panic) must not drown an update's rise on its
    /// own fleets in their baseline. The narrower contrast pays ln 2 for being a second look.
    /// </summary>
    private CrashScore? ScoreCrash(UpdateExposure u, SignatureHistory s, List<Case> cases, int population, double now, double w0, double total, double floor)
    {
        var pooled = ScoreCrashIn(u, s, cases, population, now, w0, total, floor);
        var fleets = Exposure(u).Fleets(s.Platform);
        if (fleets.Count == 0) return pooled;
        var fleetPopulation = fleets.Sum(f => _groupSizes.GetValueOrDefault((s.Platform, f)));
        if (fleetPopulation <= 0 || fleetPopulation >= population) return pooled;
        var inFleets = cases.Where(c => _crashHostStrata[c.HostIndex].Any(fleets.Contains)).ToList();
        var narrow = ScoreCrashIn(u, s, inFleets, fleetPopulation, now, w0, fleetPopulation * (now - w0), floor, Math.Log(2));
        return narrow is not null && (pooled is null || narrow.LogWeight > pooled.LogWeight) ? narrow : pooled;
    }

    private CrashScore? ScoreCrashIn(UpdateExposure u, SignatureHistory s, List<Case> cases, int population, double now, double w0, double total, double floor, double lookPenalty = 0)
    {
        var index = Exposure(u);
        var times = index.Platform(s.Platform);
        if (times is null || times.Count == 0) return null;
        if (_exposed.Length < cases.Count) _exposed = new double[Math.Max(cases.Count, 2 * _exposed.Length)];
        var exposed = _exposed;
        var screen = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            var e = exposed[i] = index.Since(cases[i].HostIndex);
            if (!double.IsNaN(e) && cases[i].Last >= Math.Max(e, w0)) screen++;
        }
        if (screen < settings.MinHosts) return null;
        var (scored, supersededAt, lateCases) = Supersession(u, s, cases, exposed, now, w0);
        cases = scored;

        // The onset delay d is fitted like an unknown cause's start: candidates are each exposed failing host's delay
        // from its exposure to its last failure (and 0); the prior density of d falls as 1/(τ + d).
        var lastDelays = _lastDelays;
        var firstDelays = _firstDelays;
        lastDelays.Clear();
        firstDelays.Clear();
        var unexposedCases = lateCases;
        for (var i = 0; i < cases.Count; i++)
        {
            if (double.IsNaN(exposed[i])) { unexposedCases++; continue; }
            firstDelays.Add(cases[i].First - exposed[i]);
            if (cases[i].Last - exposed[i] >= 0) lastDelays.Add(cases[i].Last - exposed[i]);
        }
        lastDelays.Sort((x, y) => y.CompareTo(x));
        firstDelays.Sort();
        var firstSorted = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(firstDelays);
        var atOnce = u.TakesEffectAtOnce;
        double bestWeight = double.NegativeInfinity, bestLlr = 0, bestTa = 0, delay = 0;
        int bestA = 0, bestB = 0;
        for (var k = settings.MinHosts - 1; k < lastDelays.Count; k++)
        {
            if (k + 1 < lastDelays.Count && lastDelays[k + 1] == lastDelays[k]) continue;
            var d = lastDelays[k];
            if (d > settings.Lookback.TotalHours) continue;
            var w = DelayFit(d, k + 1, unexposedCases + LowerBound(firstSorted, d));
            if (w.Weight > bestWeight) (bestWeight, bestLlr, bestTa, delay, bestA, bestB) = (w.Weight, w.Llr, w.Ta, d, k + 1, w.B);
        }
        if (lastDelays.Count >= settings.MinHosts)
        {
            var w = DelayFit(0, lastDelays.Count, unexposedCases + LowerBound(firstSorted, 0));
            if (w.Weight > bestWeight) (bestWeight, bestLlr, bestTa, delay, bestA, bestB) = (w.Weight, w.Llr, w.Ta, 0, lastDelays.Count, w.B);
        }
        if (double.IsNegativeInfinity(bestWeight)) return null;
        var logPRise = Statistics.LogPoissonRiseP(bestA, bestB, bestTa, total - bestTa);
        if (BayesFactors.FromP(logPRise, settings) - lookPenalty < Math.Log(settings.MinStatisticalBayesFactor)) return null;

        (double Weight, double Llr, double Ta, int B) DelayFit(double d, int a, int b)
        {
            var (ta, active) = times.After(d, w0, now, floor);
            if (active <= 0) return (double.NegativeInfinity, 0, 0, b);
            ta = Math.Min(ta, total);
            var llr = ChangeModel.LogLikelihoodRatio(a, ta, b, total - ta);
            if (llr <= 0) return (double.NegativeInfinity, 0, ta, b);
            var resolution = Math.Max(ta / active, floor) / a;
            return (llr + ChangeModel.LogOccam(a, b) + OnsetPrior.LogMass(d, resolution, atOnce, settings), llr, ta, b);
        }

        // Crashes on exposed hosts after their change point, the first of them, and the exposure→failure delays.
        int crashes = 0, unexposed = 0;
        DateTimeOffset? firstFailure = null;
        var delays = new List<double>();
        for (var i = 0; i < cases.Count; i++)
        {
            var e = exposed[i];
            if (double.IsNaN(e)) { unexposed++; continue; }
            var from = Math.Max(e + delay, w0);
            var hostFirst = double.NaN;
            foreach (var t in s.ByHost[cases[i].Id])
            {
                var h = ChangeModel.Hours(t);
                if (h < from || h > now || h >= supersededAt[i]) continue;
                crashes++;
                if (double.IsNaN(hostFirst)) hostFirst = h;
                if (firstFailure is null || t < firstFailure) firstFailure = t;
            }
            if (!double.IsNaN(hostFirst)) delays.Add(hostFirst - e);
        }
        if (crashes < settings.MinCrashes) return null;
        delays.Sort();
        var kth = delays.Count == 0 ? double.NaN : delays[Math.Min(delays.Count, Math.Max(settings.MinHosts, (int)Math.Ceiling(0.1 * delays.Count))) - 1];

        var module = u.MatchesModule(s.Module, s.ModuleVersion) ? Math.Log(settings.ModuleMatchBayesFactor)
            : u.ListsModules ? Math.Log(u.IsContent ? settings.ContentModuleMismatchBayesFactor : settings.ModuleMismatchBayesFactor) : 0;
        var logWeight = module + bestWeight - lookPenalty;
        var start = u.ExposureStart;
        var baselineHours = Math.Max(0, ChangeModel.Hours(start) - w0);
        return new CrashScore(u, s, start, delay, bestA, crashes, unexposed, bestB, bestTa, total - bestTa,
            population == 0 ? 1 : (double)times.Count / population, baselineHours, bestLlr,
            logPRise, module, logWeight, kth * 60, firstFailure);
    }

    private readonly List<Case> _supersededCases = [];
    private double[] _supersededAt = [];

    /// <summary>
    /// Where a later version of the same product replaced <paramref name="u"/> on a host (<see cref="UpdateExposure.Supersedes"/>),
    /// only the failures before that are the update's: the failing hosts' cases are cut there (a host failing only
    /// afterwards counts as unexposed; one failing before and after also as a failure outside the changed time). Only the
    /// failing hosts are looked at, never the whole fleet (a scan of every known host's replaced exposure per update,
    /// signature and minute was the July night's hot path and fed nothing). Exposure contrast in time: a channel file
    /// that was on every host for hours without failures and was replaced minutes before they began explains none of them.
    /// </summary>
    private (List<Case> Cases, double[] SupersededAt, int LateCases) Supersession(
        UpdateExposure u, SignatureHistory s, List<Case> cases, double[] exposed, double now, double w0)
    {
        if (_supersededAt.Length < cases.Count) _supersededAt = new double[Math.Max(cases.Count, 2 * _supersededAt.Length)];
        var at = _supersededAt;
        Array.Fill(at, double.PositiveInfinity, 0, cases.Count);
        List<ExposureIndex>? successors = null;
        foreach (var v in _updateOrder)
            if (v.Supersedes(u) && v.First is not null && v.ExposureStart <= ChangeModel.At(now)) (successors ??= []).Add(Exposure(v));
        if (successors is null) return (cases, at, 0);

        double End(int hostIndex, double e)
        {
            var end = double.PositiveInfinity;
            foreach (var v in successors)
                if (v.Since(hostIndex) is var x && x > e && x < end) end = x;
            return end <= now ? end : double.PositiveInfinity;
        }

        var result = _supersededCases;
        result.Clear();
        var late = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var e = exposed[i];
            if (double.IsNaN(e) || End(c.HostIndex, e) is var end && double.IsPositiveInfinity(end)) { result.Add(c); continue; }
            at[i] = end;
            double first = double.NaN, last = double.NaN;
            var after = false;
            foreach (var t in s.ByHost[c.Id])
            {
                var h = ChangeModel.Hours(t);
                if (h < w0 || h > now) continue;
                if (h >= end) { after = true; continue; }
                if (double.IsNaN(first)) first = h;
                last = h;
            }
            if (double.IsNaN(first)) { exposed[i] = double.NaN; result.Add(c); continue; }
            if (after) late++;
            result.Add(c with { First = first, Last = last });
        }
        return (result, at, late);
    }

    /// <summary>
    /// The strongest "unknown local cause": over groups (all hosts, a region, a fleet, a fleet in a region) and
    /// start times (each failing unit's last failure), the change point that fits best, weighted by its Occam factor
    /// and the prior rate of unknown causes per group and day times the start time's resolution.
    /// </summary>
    private LocalCause? BestLocal(List<Case> cases, Dictionary<string, List<int>> members, Func<string, int> groupSize, double now, double w0, double total)
    {
        for (var i = 0; i < cases.Count; i++)
            foreach (var g in cases[i].Groups)
            {
                if (!members.TryGetValue(g, out var list)) members[g] = list = [];
                list.Add(i);
            }
        // A failing host with no known region or fleet may be in any group of that dimension (UnplacedHosts).
        for (var i = 0; i < cases.Count; i++)
            if (_crashHosts[cases[i].HostIndex] is { } h && (h.Region is null || h.Fleet is null))
                foreach (var (g, list) in members)
                    if (_unplaced.MayJoin(g, h.Region, h.Fleet)) list.Add(i);
        var found = new List<LocalCause>();
        // Groups that hold the same failing hosts and are as big are one hypothesis, not several (a fleet that lives in
        // one region, an update's hosts that make up a whole fleet): counted once.
        var distinct = new HashSet<(int Size, int Count, ulong Hash)>();
        var names = members.Keys.ToArray();
        Array.Sort(names, (x, y) => x.Length != y.Length ? x.Length.CompareTo(y.Length) : string.CompareOrdinal(x, y));
        foreach (var g in names)
        {
            var list = members[g];
            if (list.Count < settings.MinHosts || groupSize(g) is var n && n <= 0) continue;
            ulong hash = 0;
            foreach (var i in list) hash += Mix((ulong)cases[i].HostIndex);
            if (!distinct.Add((n, list.Count, hash))) continue;
            if (BestLocalIn(g, cases, list, n, settings.MinHosts, now, w0, total) is { } one) found.Add(one);
        }
        return Combine(found);
    }

    /// <summary>A 64-bit mixer (splitmix64): the sum over a set of members identifies the set.</summary>
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>The best of several unknown causes, carrying the weight of them all (their sum).</summary>
    private static LocalCause? Combine(IReadOnlyList<LocalCause> found) =>
        found.Count == 0 ? null : found.MaxBy(l => l.LogWeight)! with { LogWeight = ChangeModel.LogSumExp(found.Select(l => l.LogWeight)) };

    private static int LowerBound(ReadOnlySpan<double> sorted, double x)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>
    /// Posterior of each update against the others, the unknown local cause and "nothing changed" (weight 1):
    /// P(U) = π·BF_U / (1 − π_all + Σ π·BF_V + BF_local), with π = <see cref="CorrelationSettings.PriorProbability"/>.
    /// </summary>
    private void Attribute(string signature, List<(string U, double LogWeight, object Score)> scores, LocalCause? local)
    {
        var logPrior = Math.Log(settings.PriorProbability);
        var all = scores.Select(x => x.LogWeight + logPrior).ToList();
        if (local is not null) all.Add(local.LogWeight);
        all.Add(0);
        var denom = ChangeModel.LogSumExp(all);
        var posteriors = scores.Select(x => Math.Exp(x.LogWeight + logPrior - denom)).ToArray();
        var localP = local is null ? 0 : Math.Exp(local.LogWeight - denom);
        for (var i = 0; i < scores.Count; i++)
        {
            string? alt = local is null ? null : local.Describe();
            var altP = localP;
            for (var j = 0; j < scores.Count; j++)
                if (j != i && posteriors[j] > altP) { altP = posteriors[j]; alt = scores[j].U; }
            var explained = posteriors[i] >= settings.RaiseThreshold;
            SetAttribution(scores[i].U, signature, scores[i].Score switch
            {
                CrashScore c => new Attribution(c, null, posteriors[i], alt, altP, explained),
                ServiceScore s => new Attribution(null, s, posteriors[i], alt, altP, explained),
                _ => throw new InvalidOperationException(),
            });
        }
        var scored = scores.Select(x => x.U).ToHashSet(StringComparer.Ordinal);
        foreach (var u in AttributedUpdates(signature))
            if (!scored.Contains(u)) Clear(_updates[u], signature);
    }

    private void Clear(UpdateExposure u, string signature)
    {
        if (_attributions.TryGetValue((u.UpdateId, signature), out var a) && a.Explained)
            SetAttribution(u.UpdateId, signature, a with { Explained = false });
    }

    // ---------------------------------------------------------------- services

    /// <summary>
    /// Services: the units are service regions, a failure is the onset of a degradation episode (consecutive degraded
    /// observations, at least <see cref="CorrelationSettings.MinServiceObservations"/> of them). Every hypothesis is
    /// scored on all service regions at once; each degraded region is attributed among the hypotheses that cover it.
    /// </summary>
    private void EvaluateServices(List<UpdateExposure> candidates, DateTimeOffset tick)
    {
        var now = ChangeModel.Hours(tick);
        var w0 = WindowStart(now);
        var floor = settings.MinAfterWindow.TotalHours;
        var units = _services.Values.Where(s => s.Observations.Count > 0 && s.Observations[0].At <= tick)
            .OrderBy(s => s.Signature, StringComparer.Ordinal).ToList();
        var total = units.Count * (now - w0);
        var unitIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < units.Count; i++) unitIndex[units[i].Signature] = i;
        var cases = new List<Case>();
        var episodes = new Dictionary<string, List<(double Onset, int Count, string Worst)>>(StringComparer.Ordinal);
        _serviceMatures = DateTimeOffset.MaxValue;
        var qualified = new List<(ServiceHistory R, List<(DateTimeOffset Onset, int Count, string Worst)> Episodes, DateTimeOffset? Pending)>();
        foreach (var r in units)
        {
            var list = r.Episodes(tick, settings.MinServiceObservations, settings.MinServiceEpisodeSpan);
            qualified.Add((r, list, r.PendingOnset));
            if (r.PendingOnset is { } pending && pending + settings.MinServiceEpisodeSpan < _serviceMatures)
                _serviceMatures = pending + settings.MinServiceEpisodeSpan;
        }
        var corroborated = Corroborated(qualified, tick);
        foreach (var (r, all, pending) in qualified)
        {
            var list = all.Where(e => ChangeModel.Hours(e.Onset) >= w0)
                .Select(e => (ChangeModel.Hours(e.Onset), e.Count, e.Worst)).ToList();
            if (pending is { } p && corroborated.Contains(r.Signature) && ChangeModel.Hours(p) >= w0)
            {
                var (count, _, worst) = r.DegradedBetween(p, tick);
                list.Add((ChangeModel.Hours(p), count, worst));
            }
            if (list.Count == 0) continue;
            episodes[r.Signature] = list;
            cases.Add(new Case(r.Signature, list[0].Item1, list[^1].Item1, ["all services", $"region {r.Region}", $"service {r.Service}"]));
        }
        var groupSizes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in units)
            foreach (var g in new[] { "all services", $"region {r.Region}", $"service {r.Service}" })
                groupSizes[g] = groupSizes.GetValueOrDefault(g) + 1;

        // Each update: exposure per service region, best delay, which degraded regions it covers. An update that names
        // services and targets regions may reach only the services it names or every service there (a cascade, as a
        // storage change takes down the VMs on it): both reaches are scored, each with half its prior, and a degraded
        // region gets the update's weight summed over the reaches that cover it.
        var fits = new List<(UpdateExposure U, double LogWeight, double Delay, double Llr, int A, int B, double[] Exposed)>();
        foreach (var u in candidates)
        {
            var exposedAll = new double[units.Count];
            var any = false;
            var unnamed = false;
            for (var i = 0; i < units.Count; i++)
            {
                any |= !double.IsNaN(exposedAll[i] = ServiceExposure(u, units[i]));
                unnamed |= !double.IsNaN(exposedAll[i]) && !u.NamesService(units[i].Service);
            }
            if (!any) continue;
            var reaches = new List<double[]> { exposedAll };
            if (unnamed && units.Any(x => u.NamesService(x.Service)))
                reaches.Add(exposedAll.Select((e, i) => u.NamesService(units[i].Service) ? e : double.NaN).ToArray());
            else if (!unnamed && u.CascadesEverywhere && FirstNamedOnset(u, exposedAll) is { } onset)
            {
                // Named services everywhere: a cascade reaches the services that depend on them once one of them has
                // failed (within a status source's resolution), never before; without such a failure there is none.
                var from = Math.Max(exposedAll.Where(e => !double.IsNaN(e)).Min(), onset - settings.MinServiceEpisodeSpan.TotalHours);
                reaches.Add(exposedAll.Select(e => double.IsNaN(e) ? from : e).ToArray());
            }
            foreach (var exposed in reaches)
                if (FitService(u, exposed) is { } fit)
                    fits.Add(fit with { LogWeight = fit.LogWeight - Math.Log(reaches.Count) });
        }

        double? FirstNamedOnset(UpdateExposure u, double[] exposedAll)
        {
            double? first = null;
            for (var i = 0; i < units.Count; i++)
                if (!double.IsNaN(exposedAll[i]) && episodes.TryGetValue(units[i].Signature, out var list))
                    foreach (var e in list)
                        if (e.Onset >= exposedAll[i] && (first is null || e.Onset < first)) { first = e.Onset; break; }
            return first;
        }

        (UpdateExposure U, double LogWeight, double Delay, double Llr, int A, int B, double[] Exposed)? FitService(UpdateExposure u, double[] exposedAll)
        {
            var atOnce = u.TakesEffectAtOnce;
            var exposedCase = new double[cases.Count];
            for (var i = 0; i < cases.Count; i++) exposedCase[i] = exposedAll[unitIndex[cases[i].Id]];
            var lastDelays = new List<double> { 0 };
            for (var i = 0; i < cases.Count; i++)
                if (!double.IsNaN(exposedCase[i]) && cases[i].Last - exposedCase[i] >= 0) lastDelays.Add(cases[i].Last - exposedCase[i]);
            double bestTerm = double.NegativeInfinity, bestD = 0, bestLlr = 0;
            int bestA = 0, bestB = 0;
            foreach (var d in lastDelays.Distinct())
            {
                if (d > settings.Lookback.TotalHours) continue;
                double ta = 0;
                var active = 0;
                foreach (var e in exposedAll)
                {
                    if (double.IsNaN(e) || e + d > now) continue;
                    active++;
                    ta += Math.Max(now - Math.Max(e + d, w0), floor);
                }
                if (active == 0) continue;
                ta = Math.Min(ta, total);
                int a = 0, b = 0;
                for (var i = 0; i < cases.Count; i++)
                {
                    var e = exposedCase[i];
                    if (double.IsNaN(e)) { b++; continue; }
                    if (cases[i].Last >= Math.Max(e + d, w0)) a++;
                    if (cases[i].First < e + d) b++;
                }
                if (a < 1) continue;
                var llr = ChangeModel.LogLikelihoodRatio(a, ta, b, total - ta);
                if (llr <= 0) continue;
                var term = llr + ChangeModel.LogOccam(a, b) + OnsetPrior.LogMass(d, Math.Max(ta / active, floor) / a, atOnce, settings);
                if (term > bestTerm) { bestTerm = term; bestD = d; bestLlr = llr; bestA = a; bestB = b; }
            }
            if (double.IsNegativeInfinity(bestTerm) || bestLlr < Math.Log(settings.MinServiceStatisticalBayesFactor)) return null;
            return (u, bestTerm, bestD, bestLlr, bestA, bestB, exposedAll);
        }

        // Unknown local causes per group: the best start time in each group.
        var locals = new Dictionary<string, LocalCause>(StringComparer.Ordinal);
        foreach (var g in groupSizes.Keys.Order(StringComparer.Ordinal))
        {
            var inGroup = Enumerable.Range(0, cases.Count).Where(i => cases[i].Groups.Contains(g)).ToList();
            if (inGroup.Count == 0) continue;
            var one = BestLocalIn(g, cases, inGroup, groupSizes[g], 1, now, w0, total);
            if (one is not null) locals[g] = one;
        }

        var seen = new HashSet<(string U, string S)>();
        for (var ci = 0; ci < cases.Count; ci++)
        {
            var c = cases[ci];
            var r = _services[c.Id];
            var ui = unitIndex[c.Id];
            var covering = new List<(string U, double LogWeight, object Score)>();
            var reachWeights = new Dictionary<string, List<double>>(StringComparer.Ordinal);
            foreach (var f in fits)
            {
                var e = f.Exposed[ui];
                if (double.IsNaN(e) || c.Last < Math.Max(e + f.Delay, w0)) continue;
                var onset = episodes[c.Id].Where(x => x.Onset >= e + f.Delay).ToList();
                var named = f.U.NamesService(r.Service);
                var regionTargeted = f.U.TargetsRegion(r.Region);
                var naming = named ? Math.Log(settings.ServiceNameMatchBayesFactor) : regionTargeted ? Math.Log(settings.ServiceRegionMatchBayesFactor) : 0;
                var (count, _, worst) = r.DegradedBetween(ChangeModel.At(onset[0].Onset), tick);
                var exposedUnits = f.Exposed.Count(x => !double.IsNaN(x) && x <= now);
                var score = new ServiceScore(f.U, r, count, worst, ChangeModel.At(onset[0].Onset), named, regionTargeted, f.A, f.B,
                    units.Count == 0 ? 1 : (double)exposedUnits / units.Count,
                    Statistics.LogPoissonRiseP(f.A, f.B, Math.Max(1e-9, exposedUnits * (now - w0)), total),
                    f.Delay, f.Llr, naming, f.LogWeight + naming);
                if (!reachWeights.TryGetValue(f.U.UpdateId, out var weights)) reachWeights[f.U.UpdateId] = weights = [];
                weights.Add(score.LogWeight);
                var k = covering.FindIndex(x => x.U == f.U.UpdateId);
                if (k < 0) covering.Add((f.U.UpdateId, score.LogWeight, score));
                else if (score.LogWeight > covering[k].LogWeight) covering[k] = (f.U.UpdateId, score.LogWeight, score);
                seen.Add((f.U.UpdateId, c.Id));
            }
            for (var k = 0; k < covering.Count; k++)
            {
                var sum = ChangeModel.LogSumExp(reachWeights[covering[k].U]);
                covering[k] = (covering[k].U, sum, ((ServiceScore)covering[k].Score) with { LogWeight = sum });
            }
            var localCover = locals.Values.Where(l => c.Groups.Contains(l.Group) && ChangeModel.Hours(l.Since) <= c.Last).ToList();
            if (covering.Count > 0) Attribute(c.Id, covering, Combine(localCover));
        }
        foreach (var (signature, list) in _attributedUpdates)
            if (Signature.IsService(signature))
                foreach (var u in list)
                    if (!seen.Contains((u, signature))) Clear(_updates[u], signature);
    }

    /// <summary>
    /// Service regions whose degradation began too recently to count alone (one observation, shorter than the minimum
    /// span: it may be a blip) but began within <see cref="CorrelationSettings.CorroborationWindow"/> of degradations of
    /// at least <see cref="CorrelationSettings.CorroboratingUnits"/> − 1 other service regions. Blips are independent;
    /// several service regions going down in the same minutes are a pattern, whatever caused it (an update or an unknown
    /// cause, which both see them), so they count from then instead of after the span.
    /// </summary>
    private HashSet<string> Corroborated(List<(ServiceHistory R, List<(DateTimeOffset Onset, int Count, string Worst)> Episodes, DateTimeOffset? Pending)> units, DateTimeOffset tick)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (settings.CorroboratingUnits <= 0) return result;
        var window = settings.CorroborationWindow;
        var onsets = new List<(DateTimeOffset At, int Unit)>();
        for (var i = 0; i < units.Count; i++)
        {
            foreach (var e in units[i].Episodes)
                if (tick - e.Onset <= settings.Lookback) onsets.Add((e.Onset, i));
            if (units[i].Pending is { } p) onsets.Add((p, i));
        }
        for (var i = 0; i < units.Count; i++)
        {
            if (units[i].Pending is not { } p) continue;
            var others = onsets.Where(o => o.Unit != i && (o.At - p).Duration() <= window).Select(o => o.Unit).Distinct().Count();
            if (others + 1 >= settings.CorroboratingUnits) result.Add(units[i].R.Signature);
        }
        return result;
    }

    /// <summary>
    /// The best start time of an unknown cause in one group of <paramref name="n"/> units: over start times at each
    /// failing member's last failure, the change point that fits best, weighted by its Occam factor and the prior rate
    /// of unknown causes per group and day times the start time's resolution (the after-window over the failures).
    /// </summary>
    private LocalCause? BestLocalIn(string group, List<Case> cases, List<int> memberIndexes, int n, int minUnits, double now, double w0, double total)
    {
        var allCases = cases.Count;
        var floor = settings.MinAfterWindow.TotalHours;
        var lasts = new double[memberIndexes.Count];
        var firsts = new double[memberIndexes.Count];
        for (var i = 0; i < memberIndexes.Count; i++) { lasts[i] = -cases[memberIndexes[i]].Last; firsts[i] = cases[memberIndexes[i]].First; }
        Array.Sort(lasts);
        for (var i = 0; i < lasts.Length; i++) lasts[i] = -lasts[i];
        Array.Sort(firsts);
        var outside = allCases - memberIndexes.Count;
        LocalCause? best = null;
        for (var k = minUnits - 1; k < lasts.Length; k++)
        {
            var t0 = lasts[k];
            if (k + 1 < lasts.Length && lasts[k + 1] == t0) continue; // ties: every member failing at t0 is in
            if (t0 - w0 < floor) break;
            var a = k + 1;
            var b = LowerBound(firsts, t0) + outside;
            var after = Math.Max(now - t0, floor);
            var ta = Math.Min(n * after, total);
            var llr = ChangeModel.LogLikelihoodRatio(a, ta, b, total - ta);
            if (llr <= 0) continue;
            var w = llr + ChangeModel.LogOccam(a, b) + Math.Log(settings.LocalCausePriorPerGroupDay / 24 * (after / a));
            if (best is null || w > best.LogWeight) best = new LocalCause(group, ChangeModel.At(t0), a, llr, w);
        }
        return best;
    }

    // ---------------------------------------------------------------- lookups for the finding book

    public SignatureHistory? SignatureOf(string signature) => _signatures.GetValueOrDefault(signature);
    public ServiceHistory? ServiceOf(string signature) => _services.GetValueOrDefault(signature);
}
